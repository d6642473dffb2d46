/**
 * Breaking-change detection between two OpenAPI 3.x documents, in the manner of oasdiff: the
 * base is the API existing clients were built against, the candidate the one that will serve
 * them. Paths are matched with their parameters' names ignored (`/users/{id}` is
 * `/users/{userId}`), parameters by location and name (path parameters by position), responses by
 * status, bodies and responses by media type; schemas are compared by `openapi-schema.ts`.
 */
import { checkInfo, type TSchemaPrefix } from "./openapi-checks";
import { createOpenApiDoc, diffOpenApiSchemas, type TOpenApiDoc, type TSchemaLocation } from "./openapi-schema";
import { isJsonObject, toPointer, type TJsonObject } from "./refs";
import { runMode, type TFailOn } from "./modes";
import type { TCompatibilityMode, TCompatibilityResult, TContractVersion, TPairChange } from "./types";

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

/** Header parameters OpenAPI says to ignore: they are described elsewhere. */
const IGNORED_HEADERS = new Set(["accept", "content-type", "authorization"]);

type TEmit = (id: string, path: string[], message: string) => void;

type TSide = { doc: TOpenApiDoc; template: string; item: TJsonObject };

function objectAt(value: unknown): TJsonObject {
  return isJsonObject(value) ? value : {};
}

function normalizeTemplate(template: string): string {
  return template.replace(/\{[^}]*\}/g, "{}");
}

function pathIndex(doc: TOpenApiDoc): Map<string, TSide> {
  const index = new Map<string, TSide>();
  for (const [template, raw] of Object.entries(objectAt(doc.root.paths))) {
    const item = doc.deref(raw);
    const key = normalizeTemplate(template);
    if (isJsonObject(item) && !index.has(key)) index.set(key, { doc, template, item });
  }
  return index;
}

function operationsOf(item: TJsonObject): Map<string, TJsonObject> {
  const ops = new Map<string, TJsonObject>();
  for (const method of METHODS) if (isJsonObject(item[method])) ops.set(method, item[method]);
  return ops;
}

type TParameter = { key: string; name: string; in: string; required: boolean; schema: unknown; node: TJsonObject };

function parametersOf(side: TSide, op: TJsonObject): Map<string, TParameter> {
  const pathVars = [...side.template.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]);
  const params = new Map<string, TParameter>();
  for (const list of [side.item.parameters, op.parameters]) {
    if (!Array.isArray(list)) continue;
    for (const raw of list) {
      const p = side.doc.deref(raw);
      if (!isJsonObject(p) || typeof p.name !== "string" || typeof p.in !== "string") continue;
      if (p.in === "header" && IGNORED_HEADERS.has(p.name.toLowerCase())) continue;
      const key = p.in === "path" ? `path:#${pathVars.indexOf(p.name)}` : `${p.in}:${p.in === "header" ? p.name.toLowerCase() : p.name}`;
      const content = objectAt(p.content);
      const firstMedia = Object.values(content).find(isJsonObject);
      params.set(key, { key, name: p.name, in: p.in, required: p.in === "path" || p.required === true, schema: p.schema ?? firstMedia?.schema, node: p });
    }
  }
  return params;
}

function isSuccess(status: string): boolean {
  return /^2(\d\d|XX)$/i.test(status);
}

type TSecurityAlternative = Map<string, Set<string>>;

function securityOf(value: unknown): TSecurityAlternative[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.filter(isJsonObject).map((req) => new Map(Object.entries(req).map(([scheme, scopes]) => [scheme, new Set(Array.isArray(scopes) ? scopes.map(String) : [])])));
}

function describeAlternative(alt: TSecurityAlternative): string {
  return [...alt].map(([scheme, scopes]) => (scopes.size ? `${scheme} [${[...scopes].join(", ")}]` : scheme)).join(" + ") || "(none)";
}

/** True when credentials meeting `held` also meet `demanded`. */
function satisfies(held: TSecurityAlternative, demanded: TSecurityAlternative): boolean {
  for (const [scheme, scopes] of demanded) {
    const have = held.get(scheme);
    if (!have) return false;
    for (const s of scopes) if (!have.has(s)) return false;
  }
  return true;
}

/**
 * Security is a list of alternatives, each a set of schemes that must all be met. A change breaks
 * clients when some old alternative no longer satisfies any new one.
 */
function diffSecurity(before: TSecurityAlternative[], after: TSecurityAlternative[], global: boolean, path: string[], emit: TEmit): void {
  const anonymous = (alts: TSecurityAlternative[]) => alts.length === 0 || alts.some((a) => a.size === 0);
  const id = (what: string) => `api-${global ? "global-" : ""}security-${what}`;
  const where = global ? "the API" : "the operation";
  if (!anonymous(after)) {
    for (const old of before.length ? before : [new Map()]) {
      if (after.some((alt) => satisfies(old, alt))) continue;
      const sameSchemes = after.find((alt) => alt.size === old.size && [...alt.keys()].every((k) => old.has(k)));
      if (sameSchemes) {
        const added = [...sameSchemes].flatMap(([scheme, scopes]) => [...scopes].filter((s) => !old.get(scheme)?.has(s)).map((s) => `${scheme}:${s}`));
        emit(id("scope-added"), path, `${where} now requires the scope(s) ${added.join(", ")} (security ${describeAlternative(sameSchemes)})`);
      } else {
        const demanded = after.map(describeAlternative).join(" or ");
        emit(id("added"), path, old.size ? `${where} now requires ${demanded} instead of ${describeAlternative(old)}` : `${where} now requires ${demanded}`);
      }
    }
  }
  for (const old of before) {
    if (old.size === 0 || after.some((alt) => satisfies(alt, old) && satisfies(old, alt))) continue;
    const sameSchemes = after.find((alt) => alt.size === old.size && [...alt.keys()].every((k) => old.has(k)));
    if (sameSchemes && [...sameSchemes].every(([scheme, scopes]) => [...scopes].every((s) => old.get(scheme)?.has(s)))) {
      emit(id("scope-removed"), path, `${where} no longer requires all scopes of ${describeAlternative(old)} (now ${describeAlternative(sameSchemes)})`);
    } else if (anonymous(after) || after.some((alt) => satisfies(old, alt))) {
      emit(id("removed"), path, `${where} no longer requires ${describeAlternative(old)}`);
    }
  }
}

function isDeprecated(op: TJsonObject): boolean {
  return op.deprecated === true;
}

type TOperationContext = { oldSide: TSide; newSide: TSide; path: string[]; emit: TEmit };

function schemaLocation(direction: "request" | "response", rootPrefix: TSchemaPrefix, nestedPrefix: TSchemaPrefix, pointer: string[], subject: (property: string) => string): TSchemaLocation {
  return { direction, rootPrefix, nestedPrefix, pointer, subject };
}

function diffParameters(ctx: TOperationContext, oldOp: TJsonObject, newOp: TJsonObject): void {
  const before = parametersOf(ctx.oldSide, oldOp);
  const after = parametersOf(ctx.newSide, newOp);
  for (const [key, p] of before) {
    const path = [...ctx.path, "parameters", p.in, p.name];
    const q = after.get(key);
    if (!q) {
      ctx.emit("request-parameter-removed", path, `the ${p.in} parameter '${p.name}' was removed`);
      continue;
    }
    if (!p.required && q.required) ctx.emit("request-parameter-became-required", path, `the ${q.in} parameter '${q.name}' became required`);
    if (p.required && !q.required) ctx.emit("request-parameter-became-optional", path, `the ${q.in} parameter '${q.name}' became optional`);
    const subject = (property: string) => (property ? `property '${property}' of the ${q.in} parameter '${q.name}'` : `the ${q.in} parameter '${q.name}'`);
    const location = schemaLocation("request", "request-parameter", "request-parameter", [...path, "schema"], subject);
    for (const f of diffOpenApiSchemas(ctx.oldSide.doc, p.schema, ctx.newSide.doc, q.schema, location)) ctx.emit(f.id, f.path, f.message);
  }
  for (const [key, q] of after) {
    if (before.has(key)) continue;
    const path = [...ctx.path, "parameters", q.in, q.name];
    if (q.required) ctx.emit("new-required-request-parameter", path, `the new ${q.in} parameter '${q.name}' is required`);
    else ctx.emit("new-optional-request-parameter", path, `the new optional ${q.in} parameter '${q.name}' was added`);
  }
}

function diffRequestBody(ctx: TOperationContext, oldOp: TJsonObject, newOp: TJsonObject): void {
  const before = ctx.oldSide.doc.deref(oldOp.requestBody);
  const after = ctx.newSide.doc.deref(newOp.requestBody);
  const path = [...ctx.path, "requestBody"];
  if (!isJsonObject(before) && !isJsonObject(after)) return;
  if (!isJsonObject(before)) {
    const required = objectAt(after).required === true;
    ctx.emit(required ? "request-body-added-required" : "request-body-added-optional", path, `a ${required ? "required" : "optional"} request body was added`);
    return;
  }
  if (!isJsonObject(after)) return ctx.emit("request-body-removed", path, "the request body was removed");
  if (before.required !== true && after.required === true) ctx.emit("request-body-became-required", path, "the request body became required");
  if (before.required === true && after.required !== true) ctx.emit("request-body-became-optional", path, "the request body became optional");
  const oldContent = objectAt(before.content);
  const newContent = objectAt(after.content);
  for (const [mediaType, media] of Object.entries(oldContent)) {
    const mediaPath = [...path, "content", mediaType];
    if (!Object.hasOwn(newContent, mediaType)) {
      ctx.emit("request-body-media-type-removed", mediaPath, `the request body no longer accepts ${mediaType}`);
      continue;
    }
    const subject = (property: string) => (property ? `the request property '${property}' (${mediaType})` : `the request body (${mediaType})`);
    const location = schemaLocation("request", "request-body", "request-property", [...mediaPath, "schema"], subject);
    const findings = diffOpenApiSchemas(ctx.oldSide.doc, objectAt(media).schema, ctx.newSide.doc, objectAt(newContent[mediaType]).schema, location);
    for (const f of findings) ctx.emit(f.id, f.path, f.message);
  }
  for (const mediaType of Object.keys(newContent)) {
    if (!Object.hasOwn(oldContent, mediaType)) ctx.emit("request-body-media-type-added", [...path, "content", mediaType], `the request body now also accepts ${mediaType}`);
  }
}

function diffHeaders(ctx: TOperationContext, status: string, before: TJsonObject, after: TJsonObject, path: string[]): void {
  const oldHeaders = objectAt(before.headers);
  const newHeaders = objectAt(after.headers);
  const byName = (headers: TJsonObject) => new Map(Object.entries(headers).map(([name, h]) => [name.toLowerCase(), { name, h }]));
  const newByName = byName(newHeaders);
  for (const [lower, { name, h }] of byName(oldHeaders)) {
    const header = objectAt(ctx.oldSide.doc.deref(h));
    const headerPath = [...path, "headers", name];
    const match = newByName.get(lower);
    if (!match) {
      const required = header.required === true;
      ctx.emit(required ? "required-response-header-removed" : "optional-response-header-removed", headerPath, `the ${required ? "required" : "optional"} response header '${name}' (${status}) was removed`);
      continue;
    }
    const next = objectAt(ctx.newSide.doc.deref(match.h));
    if (header.required === true && next.required !== true) ctx.emit("response-header-became-optional", headerPath, `the response header '${name}' (${status}) became optional`);
    const subject = (property: string) => `the response header '${name}'${property ? ` property '${property}'` : ""} (${status})`;
    const location = schemaLocation("response", "response-header", "response-header", [...headerPath, "schema"], subject);
    for (const f of diffOpenApiSchemas(ctx.oldSide.doc, header.schema, ctx.newSide.doc, next.schema, location)) ctx.emit(f.id, f.path, f.message);
  }
}

function diffResponses(ctx: TOperationContext, oldOp: TJsonObject, newOp: TJsonObject): void {
  const before = objectAt(oldOp.responses);
  const after = objectAt(newOp.responses);
  for (const [status, raw] of Object.entries(before)) {
    const path = [...ctx.path, "responses", status];
    if (!Object.hasOwn(after, status)) {
      const success = isSuccess(status);
      ctx.emit(success ? "response-success-status-removed" : "response-non-success-status-removed", path, `the ${success ? "success" : "non-success"} response ${status} was removed`);
      continue;
    }
    const oldResponse = objectAt(ctx.oldSide.doc.deref(raw));
    const newResponse = objectAt(ctx.newSide.doc.deref(after[status]));
    diffHeaders(ctx, status, oldResponse, newResponse, path);
    const oldContent = objectAt(oldResponse.content);
    const newContent = objectAt(newResponse.content);
    for (const [mediaType, media] of Object.entries(oldContent)) {
      const mediaPath = [...path, "content", mediaType];
      if (!Object.hasOwn(newContent, mediaType)) {
        ctx.emit("response-media-type-removed", mediaPath, `the response ${status} no longer offers ${mediaType}`);
        continue;
      }
      const subject = (property: string) => (property ? `the response property '${property}' (${status}, ${mediaType})` : `the response body (${status}, ${mediaType})`);
      const location = schemaLocation("response", "response-body", "response-property", [...mediaPath, "schema"], subject);
      const findings = diffOpenApiSchemas(ctx.oldSide.doc, objectAt(media).schema, ctx.newSide.doc, objectAt(newContent[mediaType]).schema, location);
      for (const f of findings) ctx.emit(f.id, f.path, f.message);
    }
    for (const mediaType of Object.keys(newContent)) {
      if (!Object.hasOwn(oldContent, mediaType)) ctx.emit("response-media-type-added", [...path, "content", mediaType], `the response ${status} now also offers ${mediaType}`);
    }
  }
  for (const status of Object.keys(after)) {
    if (Object.hasOwn(before, status)) continue;
    const success = isSuccess(status);
    ctx.emit(success ? "response-success-status-added" : "response-non-success-status-added", [...ctx.path, "responses", status], `the ${success ? "success" : "non-success"} response ${status} was added`);
  }
}

function diffOperation(ctx: TOperationContext, oldOp: TJsonObject, newOp: TJsonObject, oldRoot: TJsonObject, newRoot: TJsonObject): void {
  if (!isDeprecated(oldOp) && isDeprecated(newOp)) ctx.emit("endpoint-deprecated", ctx.path, "the operation was deprecated");
  diffParameters(ctx, oldOp, newOp);
  diffRequestBody(ctx, oldOp, newOp);
  diffResponses(ctx, oldOp, newOp);
  // An operation's own `security` replaces the global one; global changes are reported once, globally.
  if (oldOp.security !== undefined || newOp.security !== undefined) {
    const before = securityOf(oldOp.security ?? oldRoot.security) ?? [];
    const after = securityOf(newOp.security ?? newRoot.security) ?? [];
    diffSecurity(before, after, false, [...ctx.path, "security"], ctx.emit);
  }
}

/**
 * Lists what changed from `base` to `candidate` (both parsed OpenAPI 3.0/3.1 documents), each
 * finding with an oasdiff-style check id, a level, and for ERR/WARN an explanation and a fix.
 */
export function diffOpenApi(base: unknown, candidate: unknown): TPairChange[] {
  const oldDoc = createOpenApiDoc(objectAt(base));
  const newDoc = createOpenApiDoc(objectAt(candidate));
  const changes: TPairChange[] = [];
  const emitter =
    (operation?: string): TEmit =>
    (id, path, message) => {
      const info = checkInfo(id);
      const change: TPairChange = { id, level: info.level, path: toPointer(path), message };
      if (operation) change.operation = operation;
      if (info.explanation) change.explanation = info.explanation;
      if (info.fix) change.fix = info.fix;
      changes.push(change);
    };

  diffSecurity(securityOf(oldDoc.root.security) ?? [], securityOf(newDoc.root.security) ?? [], true, ["security"], emitter());

  const before = pathIndex(oldDoc);
  const after = pathIndex(newDoc);
  for (const [key, oldSide] of before) {
    const newSide = after.get(key);
    const oldOps = operationsOf(oldSide.item);
    if (!newSide) {
      const deprecated = oldOps.size > 0 && [...oldOps.values()].every(isDeprecated);
      const id = deprecated ? "api-path-removed-with-deprecation" : "api-path-removed-without-deprecation";
      emitter(oldSide.template)(id, ["paths", oldSide.template], `the path ${oldSide.template} was removed${deprecated ? " (it was deprecated)" : ""}`);
      continue;
    }
    const newOps = operationsOf(newSide.item);
    for (const [method, oldOp] of oldOps) {
      const label = `${method.toUpperCase()} ${newSide.template}`;
      const path = ["paths", newSide.template, method];
      const newOp = newOps.get(method);
      if (!newOp) {
        const id = isDeprecated(oldOp) ? "api-removed-with-deprecation" : "api-removed-without-deprecation";
        emitter(label)(id, path, `the operation ${label} was removed${isDeprecated(oldOp) ? " (it was deprecated)" : ""}`);
        continue;
      }
      diffOperation({ oldSide, newSide, path, emit: emitter(label) }, oldOp, newOp, oldDoc.root, newDoc.root);
    }
    for (const method of newOps.keys()) {
      if (oldOps.has(method)) continue;
      const label = `${method.toUpperCase()} ${newSide.template}`;
      emitter(label)("endpoint-added", ["paths", newSide.template, method], `the operation ${label} was added`);
    }
  }
  for (const [key, newSide] of after) {
    if (before.has(key)) continue;
    for (const method of operationsOf(newSide.item).keys()) {
      const label = `${method.toUpperCase()} ${newSide.template}`;
      emitter(label)("endpoint-added", ["paths", newSide.template, method], `the operation ${label} was added`);
    }
  }
  return changes;
}

export type TOpenApiCheckOptions = { mode?: TCompatibilityMode; failOn?: TFailOn };

/**
 * Can clients keep working when `next` replaces `previous` (oldest first)? BACKWARD (the default):
 * clients built against the latest previous version call `next`; FORWARD: clients built against
 * `next` call the previous version (a rollback); FULL: both; `_TRANSITIVE`: against every previous
 * version. Incompatible when any change is at level ERR (or WARN, with `failOn: "WARN"`).
 */
export function checkOpenApiCompatibility(
  previous: readonly TContractVersion[],
  next: TContractVersion,
  options: TOpenApiCheckOptions = {},
): TCompatibilityResult {
  const mode = options.mode ?? "BACKWARD";
  const result = runMode(previous, next, mode, (base, candidate) => diffOpenApi(base.document, candidate.document), options.failOn);
  return { kind: "openapi", mode, ...result };
}
