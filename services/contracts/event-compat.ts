/**
 * Event schema compatibility as Switchyard uses it: reader against writer (can-i-deploy), and one
 * event version's evolution (contracts check). Built on the Confluent-semantics engine in ./compat.
 */
import { checkJsonSchemaCompatibility, type TChange, type TCompatibilityResult } from "./compat";

/**
 * Can a consumer reading with `reader` read every payload written with `writer`?
 *
 * Confluent's BACKWARD mode asks "can a reader on the NEW schema read data written with the OLD
 * one?", comparing a base (the writer) with a candidate (the reader). So the writer goes in as the
 * earlier version and the reader as the new one, whatever their real ages: a consumer built long
 * ago against v1 reading what today's producer writes is checked as writer = today's schema,
 * reader = the consumer's. (FORWARD would swap them and answer the opposite question.)
 */
export function readerCanRead(writer: { label: string; schema: unknown }, reader: { label: string; schema: unknown }): TCompatibilityResult {
  return checkJsonSchemaCompatibility([{ label: writer.label, document: writer.schema }], { label: reader.label, document: reader.schema }, { mode: "BACKWARD" });
}

/**
 * The schema as a tolerant reader applies it: closed content models opened. Switchyard's consumers
 * parse with zod, which ignores properties it does not know, while the published (writer) schemas
 * say `additionalProperties: false`.
 */
export function openContentModels(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(openContentModels);
  if (!schema || typeof schema !== "object") return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) {
    if ((k === "additionalProperties" || k === "unevaluatedProperties") && v === false) continue;
    out[k] = openContentModels(v);
  }
  return out;
}

/**
 * Is `current` a compatible successor of `released` under the SAME event version? Both ways:
 * - backward: a consumer on the current schema reads what the released one wrote — the event store
 *   is replayed and redelivered, so old events are read by new code (released = writer, current = reader);
 * - forward: a consumer still on the released schema reads what the current producer writes —
 *   producers deploy before consumers (current = writer, released opened = reader, as consumers are
 *   tolerant readers: adding an optional property is fine, removing or retyping one is not).
 * Anything else needs a new event version.
 */
export function checkEventEvolution(released: { label: string; schema: unknown }, current: { label: string; schema: unknown }): TCompatibilityResult {
  const backward = readerCanRead(released, current);
  const forward = readerCanRead(current, { label: `${released.label} (as a tolerant reader)`, schema: openContentModels(released.schema) });
  const changes: TChange[] = [
    ...backward.changes,
    ...forward.changes.filter((c) => c.level !== "INFO").map((c) => ({ ...c, direction: "forward" as const, against: released.label })),
  ];
  return { kind: "jsonschema", mode: "FULL", compatible: backward.compatible && forward.compatible, checkedAgainst: [released.label], changes };
}
