/**
 * Shared vocabulary of the contract compatibility engine (JSON Schema and OpenAPI).
 * Everything in `services/contracts/compat/` is pure: documents in, findings out, no I/O.
 */

/** How much a change matters: ERR breaks existing consumers, WARN may break some, INFO is safe. */
export type TLevel = "ERR" | "WARN" | "INFO";

export const LEVELS: readonly TLevel[] = ["ERR", "WARN", "INFO"];

/** The contract kinds the engine understands. */
export const CONTRACT_KINDS = ["openapi", "jsonschema"] as const;
export type TContractKind = (typeof CONTRACT_KINDS)[number];

/**
 * Confluent Schema Registry's compatibility modes. BACKWARD: a reader on the new version can read
 * what the previous version wrote (consumers upgrade first); FORWARD: the reverse (producers
 * upgrade first); FULL: both. The `_TRANSITIVE` variants check against every earlier version
 * instead of only the latest one; NONE checks nothing.
 */
export const COMPATIBILITY_MODES = [
  "BACKWARD",
  "BACKWARD_TRANSITIVE",
  "FORWARD",
  "FORWARD_TRANSITIVE",
  "FULL",
  "FULL_TRANSITIVE",
  "NONE",
] as const;
export type TCompatibilityMode = (typeof COMPATIBILITY_MODES)[number];

/**
 * Which way one pairwise check ran. `backward`: the earlier version is the base (writer, or the
 * API the clients were built against) and the candidate is the new version; `forward`: swapped.
 */
export type TDirection = "backward" | "forward";

/** One version of a contract, as parsed JSON/YAML, with a label for messages (usually a file name). */
export type TContractVersion = { label: string; document: unknown };

/** One finding, explained for a human. */
export type TChange = {
  /** A JSON Schema difference type (`REQUIRED_ATTRIBUTE_ADDED`) or an OpenAPI check id (`request-property-removed`). */
  id: string;
  level: TLevel;
  /** Where: a JSON pointer (`#/properties/foo`) or, for OpenAPI, a pointer-like logical location. */
  path: string;
  /** What changed, in one sentence. */
  message: string;
  /** Why it matters (present for ERR and WARN). */
  explanation?: string;
  /** What to do about it (present for ERR and WARN). */
  fix?: string;
  /** OpenAPI only: the operation, e.g. `POST /users`. */
  operation?: string;
  direction: TDirection;
  /** Label of the earlier version this finding was computed against. */
  against: string;
};

/** The verdict of one compatibility check. */
export type TCompatibilityResult = {
  kind: TContractKind;
  mode: TCompatibilityMode;
  compatible: boolean;
  /** The version labels checked against, oldest first (empty for NONE). */
  checkedAgainst: string[];
  changes: TChange[];
};

/** A finding before the mode runner adds `direction` and `against`. */
export type TPairChange = Omit<TChange, "direction" | "against">;
