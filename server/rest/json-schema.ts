import { z } from "zod";

export type JsonSchema = Record<string, unknown>;

/**
 * A zod schema as JSON Schema 2020-12 (the dialect of OpenAPI 3.1), as seen on the way in (`input`:
 * defaults make properties optional) or out (`output`). Dates become date-time strings, the way they
 * travel in JSON; schemas named with `.meta({ id })` land in `$defs`.
 */
export function toJsonSchema(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const out = z.toJSONSchema(schema, {
    target: "draft-2020-12",
    io,
    unrepresentable: "any",
    override(ctx) {
      const def = (ctx.zodSchema as { _zod: { def: { type: string } } })._zod.def;
      if (def.type === "date") {
        ctx.jsonSchema.type = "string";
        ctx.jsonSchema.format = "date-time";
      }
    },
  }) as JsonSchema;
  delete out.$schema;
  return out;
}

/** The JSON types a schema admits at its top level (looking through anyOf/oneOf, e.g. nullable). */
export function jsonTypes(schema: JsonSchema | undefined): string[] {
  if (!schema) return [];
  const t = schema.type;
  if (typeof t === "string") return [t];
  if (Array.isArray(t)) return t as string[];
  const alts = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (alts) return alts.flatMap(jsonTypes);
  if (schema.enum) return [...new Set((schema.enum as unknown[]).map((v) => (v === null ? "null" : typeof v)))];
  if ("const" in schema) return [schema.const === null ? "null" : typeof schema.const];
  return [];
}

/**
 * Reads a query-string or path value as the type its schema asks for, so `?limit=20` reaches a
 * `z.number()` as 20. Values that do not parse are passed on as strings and zod reports them.
 */
export function coerceParam(values: string[], schema: JsonSchema | undefined): unknown {
  const types = jsonTypes(schema);
  if (types.includes("array")) {
    const items = (schema?.items as JsonSchema | undefined) ?? undefined;
    return values.flatMap((v) => v.split(",")).filter((v) => v !== "").map((v) => coerceParam([v], items));
  }
  const v = values[values.length - 1]!;
  if ((types.includes("integer") || types.includes("number")) && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  if (types.includes("boolean") && (v === "true" || v === "false")) return v === "true";
  if (types.includes("null") && v === "null") return null;
  if (types.includes("object")) {
    try {
      return JSON.parse(v) as unknown;
    } catch {
      return v;
    }
  }
  return v;
}
