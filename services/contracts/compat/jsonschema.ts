/**
 * JSON Schema compatibility with Confluent Schema Registry's semantics: the typed difference list
 * (`diffJsonSchema`) and the verdict under a compatibility mode (`checkJsonSchemaCompatibility`).
 */
import { diffSchemas, isCompatible } from "./jsonschema-diff";
import { compatibleChanges, type TDifference, type TRuleSet } from "./jsonschema-differences";
import { explainDifference } from "./explain";
import { runMode, type TPairDiffer } from "./modes";
import { toPointer } from "./refs";
import type { TCompatibilityMode, TCompatibilityResult, TContractVersion, TPairChange } from "./types";

export { isCompatible };
export type { TDifference, TRuleSet };

/** Differences from `original` (the writer's schema) to `update` (the reader's schema). */
export function diffJsonSchema(original: unknown, update: unknown, rules: TRuleSet = "strict"): TDifference[] {
  return diffSchemas(original, update, rules);
}

/** `TYPE_CHANGED #/properties/foo`, as Confluent prints a difference. */
export function formatDifference(difference: TDifference): string {
  return `${difference.type} ${toPointer(difference.path)}`;
}

/** A differ for the mode runner: `base` wrote the data, `candidate` reads it. */
export function jsonSchemaPairDiffer(rules: TRuleSet = "strict"): TPairDiffer {
  const tolerated = compatibleChanges(rules);
  return (base, candidate) =>
    diffSchemas(base.document, candidate.document, rules).map((d): TPairChange => {
      const path = toPointer(d.path);
      const name = d.path.at(-1) ?? "(root)";
      return {
        id: d.type,
        level: tolerated.has(d.type) ? "INFO" : "ERR",
        path,
        ...explainDifference(d.type, { path, name, writer: base.label, reader: candidate.label }),
      };
    });
}

export type TJsonSchemaCheckOptions = { mode?: TCompatibilityMode; rules?: TRuleSet };

/**
 * Can `next` be registered after `previous` (oldest first) under `mode`? BACKWARD (the default):
 * a reader using `next` reads data written with the latest previous version; FORWARD: a reader
 * using the previous version reads data written with `next`; FULL: both; `_TRANSITIVE`: against
 * every previous version; NONE: always compatible.
 */
export function checkJsonSchemaCompatibility(
  previous: readonly TContractVersion[],
  next: TContractVersion,
  options: TJsonSchemaCheckOptions = {},
): TCompatibilityResult {
  const mode = options.mode ?? "BACKWARD";
  const result = runMode(previous, next, mode, jsonSchemaPairDiffer(options.rules));
  return { kind: "jsonschema", mode, ...result };
}
