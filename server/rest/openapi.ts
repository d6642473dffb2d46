import { DEV_SESSION_COOKIE } from "../auth/dev-session";
import { type JsonSchema, toJsonSchema } from "./json-schema";
import { REST_PREFIX } from "./meta";
import type { RestOperation } from "./operations";

export type OpenApiDocument = {
  openapi: "3.1.0";
  info: { title: string; version: string; description?: string; "x-service": string };
  servers: { url: string }[];
  tags: { name: string }[];
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, JsonSchema>; responses: Record<string, unknown>; securitySchemes: Record<string, unknown> };
  security: Record<string, string[]>[];
};

const ERROR_SCHEMA: JsonSchema = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message", "requestId"],
      properties: {
        code: { type: "string" },
        message: { type: "string" },
        requestId: { type: "string" },
        issues: { type: "array", items: { type: "object", required: ["path", "message"], properties: { path: { type: "string" }, message: { type: "string" } } } },
      },
    },
  },
};

const ERRORS: Record<string, string> = {
  "400": "The request is malformed or does not match the schema",
  "401": "No valid session or token",
  "403": "The caller's role does not allow this",
  "404": "No such resource",
  "409": "A request with this Idempotency-Key is still in flight, or the resource's state forbids the change",
  "422": "This Idempotency-Key was used with a different request",
};

/**
 * Moves `$defs` of one converted schema into the document's components, rewriting references. A
 * named schema reads differently on the way in (defaults make properties optional): when its input
 * form differs from the output form already there, it is filed as `<name>Input`.
 */
function hoist(schema: JsonSchema, components: Record<string, JsonSchema>, where: string, io: "input" | "output"): JsonSchema {
  const defs = (schema.$defs ?? {}) as Record<string, JsonSchema>;
  const { $defs: _drop, ...rest } = schema;
  const names: Record<string, string> = {};
  for (const [name, def] of Object.entries(defs)) {
    const text = JSON.stringify(def);
    const candidates = io === "input" ? [name, `${name}Input`] : [name];
    const free = candidates.find((c) => components[c] === undefined || JSON.stringify(components[`__raw_${c}`] ?? components[c]) === text);
    if (!free) throw new Error(`${where}: two different schemas are both named "${name}"`);
    names[name] = free;
    components[`__raw_${free}`] = def;
  }
  const rewrite = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(rewrite);
    if (v && typeof v === "object") {
      return Object.fromEntries(
        Object.entries(v).map(([k, x]) => [k, k === "$ref" && typeof x === "string" && x.startsWith("#/$defs/") ? `#/components/schemas/${names[x.slice(8)] ?? x.slice(8)}` : rewrite(x)]),
      );
    }
    return v;
  };
  for (const [name, def] of Object.entries(defs)) components[names[name]!] = rewrite(def) as JsonSchema;
  return rewrite(rest) as JsonSchema;
}

/**
 * The OpenAPI 3.1 document of one service's public REST API, generated from its procedures' REST
 * metadata and zod schemas — the same schemas that validate requests. Deterministic: the same code
 * gives byte-identical JSON, so the committed contract can be compared with a fresh one.
 */
export function buildOpenApiDocument(ops: RestOperation[], info: { service: string; title: string; version: string; description?: string }): OpenApiDocument {
  const components: Record<string, JsonSchema> = { Error: ERROR_SCHEMA };
  const paths: OpenApiDocument["paths"] = {};
  const mine = ops.filter((op) => op.service === info.service);
  // Outputs first, so a named schema's output form keeps the plain name.
  const outputs = new Map(mine.map((op) => [op, op.output ? hoist(toJsonSchema(op.output, "output"), components, op.procedure, "output") : undefined]));
  for (const op of mine) {
    const { rest } = op;
    const where = `${op.procedure} (${rest.method} ${rest.path})`;
    const input = op.input ? hoist(toJsonSchema(op.input, "input"), components, where, "input") : undefined;
    const props = (input?.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((input?.required ?? []) as string[]);
    const inQuery = rest.method === "GET" || rest.method === "DELETE";
    const parameters = [
      ...op.params.map((name) => ({ name, in: "path", required: true, schema: props[name] ?? { type: "string" } })),
      ...(inQuery
        ? Object.entries(props)
            .filter(([name]) => !op.params.includes(name))
            .map(([name, schema]) => ({
              name,
              in: "query",
              required: required.has(name),
              ...(typeof schema.description === "string" ? { description: schema.description } : {}),
              schema,
              ...(Array.isArray(schema.type) || schema.type === "array" ? { style: "form", explode: true } : {}),
            }))
        : []),
    ];
    let requestBody: unknown;
    if (!inQuery && input) {
      const bodyProps = Object.fromEntries(Object.entries(props).filter(([name]) => !op.params.includes(name)));
      if (Object.keys(bodyProps).length > 0) {
        const bodyRequired = [...required].filter((n) => !op.params.includes(n));
        const schema: JsonSchema = { ...input, properties: bodyProps, ...(bodyRequired.length ? { required: bodyRequired } : {}) };
        if (!bodyRequired.length) delete schema.required;
        const ex = rest.examples?.input as Record<string, unknown> | undefined;
        const example = ex ? Object.fromEntries(Object.entries(ex).filter(([k]) => !op.params.includes(k))) : undefined;
        requestBody = { required: bodyRequired.length > 0, content: { "application/json": { schema, ...(example ? { example } : {}) } } };
      }
    }
    const status = String(rest.successStatus ?? 200);
    const output = outputs.get(op);
    const success =
      status === "204"
        ? { description: "Done" }
        : {
            description: rest.summary,
            content: { "application/json": { schema: output ?? {}, ...(rest.examples?.output !== undefined ? { example: rest.examples.output } : {}) } },
          };
    const errorCodes = ["400", "401", "403", "404", ...(op.kind === "mutation" ? ["409", "422"] : [])];
    const operation: Record<string, unknown> = {
      operationId: op.procedure,
      summary: rest.summary,
      ...(rest.description ? { description: rest.description } : {}),
      tags: rest.tags ?? [info.service],
      ...(parameters.length ? { parameters } : {}),
      ...(requestBody ? { requestBody } : {}),
      responses: { [status]: success, ...Object.fromEntries(errorCodes.map((c) => [c, { $ref: `#/components/responses/E${c}` }])) },
      ...(rest.deprecated ? { deprecated: true, "x-deprecated-since": rest.deprecated.since } : {}),
      ...(rest.deprecated?.sunset ? { "x-sunset": rest.deprecated.sunset } : {}),
      ...(rest.deprecated?.replacement ? { "x-replacement": rest.deprecated.replacement } : {}),
    };
    if (op.kind === "mutation") {
      const p = (operation.parameters as unknown[] | undefined) ?? [];
      operation.parameters = [...p, { name: "Idempotency-Key", in: "header", required: false, description: "Retry-safe key (IETF Idempotency-Key draft): a repeat returns the first response", schema: { type: "string", maxLength: 255 } }];
    }
    (paths[rest.path] ??= {})[rest.method.toLowerCase()] = operation;
  }
  const sortedPaths = Object.fromEntries(Object.keys(paths).sort().map((p) => [p, paths[p]!]));
  const sortedSchemas = Object.fromEntries(
    Object.keys(components)
      .filter((k) => !k.startsWith("__raw_"))
      .sort()
      .map((k) => [k, components[k]!]),
  );
  return {
    openapi: "3.1.0",
    info: { title: info.title, version: info.version, ...(info.description ? { description: info.description } : {}), "x-service": info.service },
    servers: [{ url: REST_PREFIX }],
    tags: [...new Set(mine.flatMap((op) => op.rest.tags ?? [info.service]))].sort().map((name) => ({ name })),
    paths: sortedPaths,
    components: {
      schemas: sortedSchemas,
      responses: Object.fromEntries(
        Object.entries(ERRORS).map(([c, d]) => [`E${c}`, { description: d, content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } }]),
      ),
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT", description: "A Clerk session token" },
        session: { type: "apiKey", in: "cookie", name: DEV_SESSION_COOKIE, description: "The development login's session (non-production)" },
      },
    },
    security: [{ bearer: [] }, { session: [] }],
  };
}
