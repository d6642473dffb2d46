/**
 * Schemas made readable: `$ref`s inlined (a recursive one is left as its `$ref`, marked), and an example
 * value made from a schema when its document gives none. Pure functions.
 */
import { createRefResolver, isJsonObject, type TJsonObject } from "./compat/refs";

const MAX_DEPTH = 12;

/**
 * `node` with every local `$ref` replaced by its target (siblings of the `$ref` kept on top). A reference
 * met again inside its own expansion stays `{ $ref, "x-recursive": true }`; an unresolvable one stays as is.
 */
export function inlineRefs(root: unknown, node: unknown): unknown {
  const resolver = createRefResolver(root);
  const walk = (value: unknown, open: readonly string[], depth: number): unknown => {
    if (Array.isArray(value)) return value.map((v) => walk(v, open, depth + 1));
    if (!isJsonObject(value)) return value;
    if (typeof value.$ref === "string") {
      const ref = value.$ref;
      const target = resolver.resolve(ref);
      if (target === undefined || depth > MAX_DEPTH * 3) return value;
      if (open.includes(ref)) return { ...value, "x-recursive": true };
      const { $ref: _r, ...siblings } = value;
      const inlined = walk(target, [...open, ref], depth + 1);
      const name = ref.startsWith("#/components/schemas/") ? ref.slice("#/components/schemas/".length) : undefined;
      return isJsonObject(inlined) ? { ...(name && !inlined.title ? { "x-ref-name": name } : {}), ...inlined, ...walk(siblings, open, depth + 1) as TJsonObject } : inlined;
    }
    const out: TJsonObject = {};
    for (const [k, v] of Object.entries(value)) out[k] = k === "example" || k === "examples" || k === "default" || k === "const" || k === "enum" ? v : walk(v, open, depth + 1);
    return out;
  };
  return walk(node, [], 0);
}

const STRING_FORMATS: Record<string, string> = {
  uuid: "3fa85f64-5717-4562-b3fc-2c963f66afa6",
  "date-time": "2026-01-15T09:30:00.000Z",
  date: "2026-01-15",
  time: "09:30:00Z",
  email: "priya.raman@templator.dev",
  uri: "https://templator.dev/example",
  url: "https://templator.dev/example",
  hostname: "templator.dev",
  ipv4: "192.0.2.10",
  ipv6: "2001:db8::10",
  byte: "aGVsbG8=",
};

function firstType(schema: TJsonObject): string | undefined {
  if (typeof schema.type === "string") return schema.type;
  if (Array.isArray(schema.type)) return schema.type.find((t): t is string => typeof t === "string" && t !== "null") ?? (schema.type[0] as string | undefined);
  if (isJsonObject(schema.properties)) return "object";
  if (schema.items !== undefined) return "array";
  return undefined;
}

/**
 * An example value for an (inlined) schema: its own `example`/`examples`/`const`/`default`/first `enum`
 * value when it has one, else a plausible value of its type that meets its bounds (all properties of an
 * object, one item of an array).
 */
export function exampleFor(schema: unknown, depth = 0, name = ""): unknown {
  if (!isJsonObject(schema) || depth > MAX_DEPTH) return null;
  if (schema.example !== undefined) return schema.example;
  if (Array.isArray(schema.examples) && schema.examples.length) return schema.examples[0];
  if (schema.const !== undefined) return schema.const;
  if (schema.default !== undefined && !(Array.isArray(schema.default) && schema.default.length === 0 && isJsonObject(schema.items))) return schema.default;
  if (Array.isArray(schema.enum) && schema.enum.length) return schema.enum[0];
  if (schema["x-recursive"]) return null;
  for (const key of ["oneOf", "anyOf"] as const) {
    const options = schema[key];
    if (Array.isArray(options) && options.length) {
      const pick = options.find((o) => !(isJsonObject(o) && o.type === "null")) ?? options[0];
      return exampleFor(pick, depth + 1, name);
    }
  }
  if (Array.isArray(schema.allOf)) {
    const merged = schema.allOf.map((s) => exampleFor(s, depth + 1, name));
    if (merged.every((m) => isJsonObject(m))) return Object.assign({}, ...(merged as TJsonObject[]));
    return merged.at(-1) ?? null;
  }
  switch (firstType(schema)) {
    case "object": {
      const props = isJsonObject(schema.properties) ? schema.properties : {};
      const out: TJsonObject = {};
      for (const [k, v] of Object.entries(props)) out[k] = exampleFor(v, depth + 1, k);
      if (!Object.keys(props).length && isJsonObject(schema.additionalProperties)) out.key = exampleFor(schema.additionalProperties, depth + 1, "key");
      return out;
    }
    case "array": {
      const count = typeof schema.minItems === "number" && schema.minItems > 1 ? Math.min(schema.minItems, 3) : 1;
      if (schema.maxItems === 0) return [];
      return Array.from({ length: count }, () => exampleFor(schema.items, depth + 1, name));
    }
    case "string": {
      if (typeof schema.format === "string" && STRING_FORMATS[schema.format]) return STRING_FORMATS[schema.format];
      const min = typeof schema.minLength === "number" ? schema.minLength : 0;
      const max = typeof schema.maxLength === "number" ? schema.maxLength : 60;
      let text = /slug/i.test(name) ? "welcome-email" : name ? `${name} example` : "string";
      if (typeof schema.pattern === "string" && /^\^\[a-z0-9\]/.test(schema.pattern)) text = "welcome-email";
      if (text.length < min) text = text.padEnd(min, "x");
      return text.slice(0, Math.max(max, min));
    }
    case "integer":
    case "number": {
      // zod's int() bounds (±MAX_SAFE_INTEGER) say "an integer", not a useful range.
      const bound = (v: unknown) => (typeof v === "number" && Math.abs(v) < 1e15 ? v : undefined);
      const min = bound(schema.minimum) ?? (bound(schema.exclusiveMinimum) !== undefined ? bound(schema.exclusiveMinimum)! + 1 : undefined);
      const max = bound(schema.maximum);
      const value = min !== undefined ? Math.max(min, Math.min(max ?? 1, 1)) : max !== undefined ? Math.min(max, 1) : 1;
      return firstType(schema) === "integer" ? Math.ceil(value) : value;
    }
    case "boolean":
      return true;
    case "null":
      return null;
    default:
      return {};
  }
}
