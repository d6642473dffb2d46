/**
 * An OpenAPI document as the contract browser shows it: each operation with its parameters, request
 * body, responses and examples (`$ref`s inlined), and the deprecations the document declares
 * (`deprecated: true` with the generator's `x-deprecated-since`, `x-sunset`, `x-replacement`). Pure.
 */
import { exampleFor, inlineRefs } from "./browser-example";
import { escapePointerSegment, isJsonObject, type TJsonObject } from "./compat/refs";

const METHODS = ["get", "put", "post", "delete", "patch", "options", "head", "trace"] as const;

export type TParameterView = { name: string; in: string; required: boolean; deprecated: boolean; description: string | null; type: string; schema: unknown };
export type TBodyView = { contentType: string; required: boolean; schema: unknown; example: unknown; exampleSource: "document" | "generated" };
export type TResponseView = { status: string; description: string; contentType: string | null; schema: unknown; example: unknown; exampleSource: "document" | "generated" | null };
export type TOperationView = {
  key: string;
  method: string;
  path: string;
  operationId: string | null;
  summary: string | null;
  description: string | null;
  tags: string[];
  deprecated: boolean;
  deprecatedSince: string | null;
  sunset: string | null;
  replacement: string | null;
  parameters: TParameterView[];
  requestBody: TBodyView | null;
  responses: TResponseView[];
};
export type TDeprecation = {
  kind: "operation" | "parameter" | "property" | "event" | "event-property";
  subject: string;
  where: string;
  description: string | null;
  since: string | null;
  sunset: string | null;
  replacement: string | null;
  /** The contract version that declares it. */
  version: string;
};

const str = (v: unknown): string | null => (typeof v === "string" && v.length ? v : null);

/** A one-line type of an inlined schema: `string (uuid)`, `integer ≥ 1`, `array of Module`, `"a" | "b"`. */
export function typeLabel(schema: unknown): string {
  if (!isJsonObject(schema)) return schema === true || schema === undefined ? "any" : "never";
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  const named = str(schema["x-ref-name"]) ?? str(schema.title);
  for (const key of ["oneOf", "anyOf"] as const) {
    if (Array.isArray(schema[key])) return (schema[key] as unknown[]).map(typeLabel).join(" | ");
  }
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : typeof schema.type === "string" ? [schema.type] : [];
  const nullable = types.includes("null");
  const type = types.find((t) => t !== "null") ?? (isJsonObject(schema.properties) ? "object" : schema.items ? "array" : undefined);
  let label: string;
  if (type === "array") label = `array of ${typeLabel(schema.items)}`;
  else if (type === "object") label = named ?? "object";
  else if (type === "string") label = `string${schema.format ? ` (${String(schema.format)})` : ""}`;
  else if (type === "integer" || type === "number") {
    const useful = (v: unknown): v is number => typeof v === "number" && Math.abs(v) < 1e15;
    const bounds = [useful(schema.minimum) ? `≥ ${schema.minimum}` : "", useful(schema.maximum) ? `≤ ${schema.maximum}` : ""].filter(Boolean).join(", ");
    label = bounds ? `${type} ${bounds}` : type;
  } else label = type ?? named ?? "any";
  return nullable ? `${label} | null` : label;
}

function exampleOf(media: TJsonObject, schema: unknown): { example: unknown; exampleSource: "document" | "generated" } {
  if (media.example !== undefined) return { example: media.example, exampleSource: "document" };
  if (isJsonObject(media.examples)) {
    const first = Object.values(media.examples).find(isJsonObject);
    if (first && first.value !== undefined) return { example: first.value, exampleSource: "document" };
  }
  return { example: exampleFor(schema), exampleSource: "generated" };
}

function firstMedia(content: unknown): [string, TJsonObject] | undefined {
  if (!isJsonObject(content)) return undefined;
  const entries = Object.entries(content).filter((e): e is [string, TJsonObject] => isJsonObject(e[1]));
  return entries.find(([t]) => t === "application/json") ?? entries[0];
}

/** Every operation of an OpenAPI document, in path order, with `$ref`s resolved. */
export function operationsOf(document: TJsonObject): TOperationView[] {
  const inline = (node: unknown) => inlineRefs(document, node);
  const ops: TOperationView[] = [];
  const paths = isJsonObject(document.paths) ? document.paths : {};
  for (const [template, rawItem] of Object.entries(paths)) {
    const item = inline(rawItem);
    if (!isJsonObject(item)) continue;
    for (const method of METHODS) {
      const op = item[method];
      if (!isJsonObject(op)) continue;
      const params = [...(Array.isArray(item.parameters) ? item.parameters : []), ...(Array.isArray(op.parameters) ? op.parameters : [])].filter(isJsonObject);
      const parameters = params.map((p): TParameterView => {
        const schema = p.schema ?? firstMedia(p.content)?.[1].schema ?? {};
        return { name: String(p.name), in: String(p.in), required: p.in === "path" || p.required === true, deprecated: p.deprecated === true, description: str(p.description) ?? str((schema as TJsonObject).description), type: typeLabel(schema), schema };
      });
      let requestBody: TBodyView | null = null;
      if (isJsonObject(op.requestBody)) {
        const media = firstMedia(op.requestBody.content);
        if (media) requestBody = { contentType: media[0], required: op.requestBody.required === true, schema: media[1].schema ?? {}, ...exampleOf(media[1], media[1].schema) };
      }
      const responses = Object.entries(isJsonObject(op.responses) ? op.responses : {}).map(([status, raw]): TResponseView => {
        const r = isJsonObject(raw) ? raw : {};
        const media = firstMedia(r.content);
        const base = { status, description: str(r.description) ?? "" };
        if (!media) return { ...base, contentType: null, schema: null, example: null, exampleSource: null };
        return { ...base, contentType: media[0], schema: media[1].schema ?? {}, ...exampleOf(media[1], media[1].schema) };
      });
      ops.push({
        key: `${method.toUpperCase()} ${template}`,
        method: method.toUpperCase(),
        path: template,
        operationId: str(op.operationId),
        summary: str(op.summary),
        description: str(op.description),
        tags: Array.isArray(op.tags) ? op.tags.map(String) : [],
        deprecated: op.deprecated === true,
        deprecatedSince: str(op["x-deprecated-since"]),
        sunset: str(op["x-sunset"]),
        replacement: str(op["x-replacement"]),
        parameters,
        requestBody,
        responses,
      });
    }
  }
  return ops;
}

/** Properties marked `deprecated: true` anywhere under `schema` (JSON pointers relative to `base`). */
function deprecatedProperties(schema: unknown, base: string, out: { where: string; node: TJsonObject; name: string }[], depth = 0): void {
  if (!isJsonObject(schema) || depth > 20) return;
  if (isJsonObject(schema.properties)) {
    for (const [name, prop] of Object.entries(schema.properties)) {
      const where = `${base}/properties/${escapePointerSegment(name)}`;
      if (isJsonObject(prop) && prop.deprecated === true) out.push({ where, node: prop, name });
      deprecatedProperties(prop, where, out, depth + 1);
    }
  }
  if (schema.items) deprecatedProperties(schema.items, `${base}/items`, out, depth + 1);
  for (const key of ["allOf", "anyOf", "oneOf"] as const) {
    if (Array.isArray(schema[key])) (schema[key] as unknown[]).forEach((s, i) => deprecatedProperties(s, `${base}/${key}/${i}`, out, depth + 1));
  }
}

const sunsetOf = (node: TJsonObject) => str(node["x-sunset"]);

/** What an OpenAPI document deprecates: operations, parameters, and schema properties (with their sunsets). */
export function openApiDeprecations(document: TJsonObject, version: string): TDeprecation[] {
  const out: TDeprecation[] = [];
  for (const op of operationsOf(document)) {
    if (op.deprecated) {
      out.push({ kind: "operation", subject: op.key, where: `#/paths/${escapePointerSegment(op.path)}/${op.method.toLowerCase()}`, description: op.summary, since: op.deprecatedSince, sunset: op.sunset, replacement: op.replacement, version });
    }
    for (const p of op.parameters.filter((x) => x.deprecated)) {
      out.push({ kind: "parameter", subject: `${op.key} ${p.in} ${p.name}`, where: `#/paths/${escapePointerSegment(op.path)}/${op.method.toLowerCase()}`, description: p.description, since: null, sunset: sunsetOf(p.schema as TJsonObject), replacement: null, version });
    }
  }
  const schemas = isJsonObject(document.components) && isJsonObject(document.components.schemas) ? document.components.schemas : {};
  for (const [name, schema] of Object.entries(schemas)) {
    const found: { where: string; node: TJsonObject; name: string }[] = [];
    deprecatedProperties(schema, `#/components/schemas/${escapePointerSegment(name)}`, found);
    for (const f of found) {
      out.push({ kind: "property", subject: `${name}.${f.name}`, where: f.where, description: str(f.node.description), since: str(f.node["x-deprecated-since"]), sunset: sunsetOf(f.node), replacement: str(f.node["x-replacement"]), version });
    }
  }
  return out;
}

/** What an event schema deprecates: the whole event type (root `deprecated`) or some of its properties. */
export function eventDeprecations(eventType: string, schema: TJsonObject, version: string): TDeprecation[] {
  const out: TDeprecation[] = [];
  if (schema.deprecated === true) {
    out.push({ kind: "event", subject: eventType, where: "#/", description: str(schema.description), since: str(schema["x-deprecated-since"]), sunset: sunsetOf(schema), replacement: str(schema["x-replacement"]), version });
  }
  const found: { where: string; node: TJsonObject; name: string }[] = [];
  deprecatedProperties(schema, "#", found);
  for (const f of found) {
    out.push({ kind: "event-property", subject: `${eventType.split(".").at(-1)}.${f.name}`, where: f.where, description: str(f.node.description), since: str(f.node["x-deprecated-since"]), sunset: sunsetOf(f.node), replacement: str(f.node["x-replacement"]), version });
  }
  return out;
}
