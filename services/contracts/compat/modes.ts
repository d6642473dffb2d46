/**
 * Compatibility modes (Confluent Schema Registry semantics) over any pairwise differ.
 * https://docs.confluent.io/platform/current/schema-registry/fundamentals/schema-evolution.html
 */
import {
  COMPATIBILITY_MODES,
  type TChange,
  type TCompatibilityMode,
  type TContractVersion,
  type TDirection,
  type TLevel,
  type TPairChange,
} from "./types";

/** The mode named by `text` (case-insensitive), or undefined. */
export function parseMode(text: string): TCompatibilityMode | undefined {
  const upper = text.trim().toUpperCase();
  return COMPATIBILITY_MODES.find((m) => m === upper);
}

/** True for the modes that check against every earlier version. */
export function isTransitive(mode: TCompatibilityMode): boolean {
  return mode.endsWith("_TRANSITIVE");
}

/**
 * Compares `base` with `candidate`: for a schema, `base` is the writer's schema and `candidate`
 * the reader's; for an API, `base` is the API clients were built against and `candidate` the one
 * that serves them.
 */
export type TPairDiffer = (base: TContractVersion, candidate: TContractVersion) => TPairChange[];

type TCheck = { base: TContractVersion; candidate: TContractVersion; direction: TDirection; against: string };

function checksFor(previous: readonly TContractVersion[], next: TContractVersion, mode: TCompatibilityMode): TCheck[] {
  if (previous.length === 0) return [];
  const against = isTransitive(mode) ? previous : previous.slice(-1);
  const checks: TCheck[] = [];
  for (const old of against) {
    if (!mode.startsWith("FORWARD")) checks.push({ base: old, candidate: next, direction: "backward", against: old.label });
    if (!mode.startsWith("BACKWARD") && mode !== "NONE") checks.push({ base: next, candidate: old, direction: "forward", against: old.label });
  }
  return checks;
}

/** The levels that make a result incompatible (`ERR`, or `ERR` and `WARN`). */
export type TFailOn = "ERR" | "WARN";

/** True when a change at `level` makes the verdict incompatible. */
export function failsOn(level: TLevel, failOn: TFailOn): boolean {
  return level === "ERR" || (failOn === "WARN" && level === "WARN");
}

/**
 * Runs the checks a mode asks for. `previous` is oldest first; the non-transitive modes use only
 * its last entry. NONE is always compatible: it lists the changes from the latest previous version
 * for information, every one at level INFO.
 */
export function runMode(
  previous: readonly TContractVersion[],
  next: TContractVersion,
  mode: TCompatibilityMode,
  differ: TPairDiffer,
  failOn: TFailOn = "ERR",
): { compatible: boolean; checkedAgainst: string[]; changes: TChange[] } {
  const checks = checksFor(previous, next, mode);
  const changes: TChange[] = [];
  for (const check of checks) {
    for (const change of differ(check.base, check.candidate)) {
      const level = mode === "NONE" ? "INFO" : change.level;
      changes.push({ ...change, level, direction: check.direction, against: check.against });
    }
  }
  return {
    compatible: changes.every((c) => !failsOn(c.level, failOn)),
    checkedAgainst: [...new Set(checks.map((c) => c.against))],
    changes,
  };
}
