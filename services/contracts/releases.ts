/**
 * Released contracts: the committed baseline under `contracts/released/`, and the checks CI runs
 * against it (`switchyard contracts check`, `switchyard contracts release`).
 *
 *   contracts/openapi/<service>.json        the current OpenAPI document (generated)
 *   contracts/events/<eventType>.json       the current event JSON Schema (generated; `x-event-version`)
 *   contracts/released/openapi/<service>/<info.version>.json
 *   contracts/released/events/<eventType>/v<N>.json
 *
 * Rule: a current contract must be compatible with the last release of the same version number —
 * the OpenAPI document's `info.version` major, an event's `x-event-version`. A breaking change
 * needs a new version number (a new major, a new event version), which starts a new line of releases.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { checkOpenApiCompatibility, type TCompatibilityResult } from "./compat";
import { checkEventEvolution } from "./event-compat";

/** Unreadable or invalid contract files (the CLI exits 2). */
export class ContractInputError extends Error {}

export type CurrentContract =
  | { kind: "openapi"; name: string; version: string; major: number; rel: string; document: unknown; text: string }
  | { kind: "event"; name: string; version: number; rel: string; document: unknown; text: string };

type Released = { version: string; rel: string; document: unknown; text: string };

export type DriftItem = { rel: string; problem: "differs from the generated file" | "missing (run npm run contracts:generate)" | "no longer generated (delete it)" };

export type ReleaseCheck = { contract: CurrentContract; against: string; result: TCompatibilityResult };

export type CheckReport = {
  ok: boolean;
  drift: DriftItem[];
  /** Compared with their last release of the same version number. */
  checks: ReleaseCheck[];
  /** Current contracts whose version number has no release yet (a new API major or event version). */
  unreleased: CurrentContract[];
};

const OPENAPI_DIR = "contracts/openapi";
const EVENTS_DIR = "contracts/events";
const RELEASED_DIR = "contracts/released";

function readJson(root: string, rel: string): { document: unknown; text: string } {
  let text: string;
  try {
    text = readFileSync(path.join(root, rel), "utf8");
  } catch (error) {
    throw new ContractInputError(`${rel}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  try {
    return { document: JSON.parse(text) as unknown, text };
  } catch (error) {
    throw new ContractInputError(`${rel}: invalid JSON: ${(error as Error).message}`);
  }
}

function jsonFiles(root: string, dir: string): string[] {
  const abs = path.join(root, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs, { withFileTypes: true })
    .filter((d) => d.isFile() && d.name.endsWith(".json"))
    .map((d) => `${dir}/${d.name}`)
    .sort();
}

function semver(version: string, rel: string): [number, number, number] {
  const m = /^(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$/.exec(version);
  if (!m) throw new ContractInputError(`${rel}: info.version "${version}" is not a semantic version (MAJOR.MINOR.PATCH)`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

function compareSemver(a: string, b: string): number {
  const x = semver(a, a);
  const y = semver(b, b);
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

function openApiVersion(document: unknown, rel: string): string {
  const version = (document as { info?: { version?: unknown } } | null)?.info?.version;
  if (typeof version !== "string") throw new ContractInputError(`${rel}: no info.version`);
  semver(version, rel);
  return version;
}

function eventVersion(document: unknown, rel: string): number {
  const version = (document as Record<string, unknown> | null)?.["x-event-version"];
  if (typeof version !== "number" || !Number.isInteger(version) || version < 1) throw new ContractInputError(`${rel}: no x-event-version (a positive integer)`);
  return version;
}

/** The current contracts under `<root>/contracts/` (OpenAPI documents and event schemas). */
export function readCurrentContracts(root: string): CurrentContract[] {
  if (!existsSync(path.join(root, "contracts"))) throw new ContractInputError(`${path.join(root, "contracts")}: no such directory`);
  const openapi = jsonFiles(root, OPENAPI_DIR).map((rel): CurrentContract => {
    const { document, text } = readJson(root, rel);
    const version = openApiVersion(document, rel);
    return { kind: "openapi", name: path.basename(rel, ".json"), version, major: semver(version, rel)[0], rel, document, text };
  });
  const events = jsonFiles(root, EVENTS_DIR).map((rel): CurrentContract => {
    const { document, text } = readJson(root, rel);
    return { kind: "event", name: path.basename(rel, ".json"), version: eventVersion(document, rel), rel, document, text };
  });
  return [...openapi, ...events];
}

/** Where a contract's release of its current version lives. */
export function releasedPath(c: CurrentContract): string {
  return c.kind === "openapi" ? `${RELEASED_DIR}/openapi/${c.name}/${c.version}.json` : `${RELEASED_DIR}/events/${c.name}/v${c.version}.json`;
}

function releasesOf(root: string, c: CurrentContract): Released[] {
  const dir = c.kind === "openapi" ? `${RELEASED_DIR}/openapi/${c.name}` : `${RELEASED_DIR}/events/${c.name}`;
  return jsonFiles(root, dir).map((rel) => {
    const { document, text } = readJson(root, rel);
    if (c.kind === "openapi") return { version: openApiVersion(document, rel), rel, document, text };
    const version = eventVersion(document, rel);
    if (path.basename(rel) !== `v${version}.json`) throw new ContractInputError(`${rel}: holds x-event-version ${version}; the file should be v${version}.json`);
    return { version: String(version), rel, document, text };
  });
}

/** The last release with the same version number as `c` (same OpenAPI major / same event version), if any. */
export function lastReleaseFor(root: string, c: CurrentContract): Released | undefined {
  const same = releasesOf(root, c).filter((r) => (c.kind === "openapi" ? semver(r.version, r.rel)[0] === c.major : Number(r.version) === c.version));
  return same.sort((a, b) => (c.kind === "openapi" ? compareSemver(a.version, b.version) : 0)).at(-1);
}

/**
 * Is `c` compatible with `released`? OpenAPI: BACKWARD — clients built against the released API
 * keep working against the current one (oasdiff's ERR checks). Events: both ways (see checkEventEvolution).
 */
export function checkAgainstRelease(c: CurrentContract, released: Released): TCompatibilityResult {
  if (c.kind === "openapi") {
    return checkOpenApiCompatibility([{ label: released.rel, document: released.document }], { label: c.rel, document: c.document }, { mode: "BACKWARD" });
  }
  return checkEventEvolution({ label: released.rel, schema: released.document }, { label: c.rel, schema: c.document });
}

/** Files under contracts/openapi and contracts/events that differ from what the code generates. */
export function findDrift(root: string, generated: Record<string, string>): DriftItem[] {
  const drift: DriftItem[] = [];
  for (const [rel, content] of Object.entries(generated).sort(([a], [b]) => a.localeCompare(b))) {
    const file = path.join(root, rel);
    if (!existsSync(file)) drift.push({ rel, problem: "missing (run npm run contracts:generate)" });
    else if (readFileSync(file, "utf8") !== content) drift.push({ rel, problem: "differs from the generated file" });
  }
  for (const rel of [...jsonFiles(root, OPENAPI_DIR), ...jsonFiles(root, EVENTS_DIR)]) {
    if (!(rel in generated)) drift.push({ rel, problem: "no longer generated (delete it)" });
  }
  return drift;
}

/**
 * `contracts check`: drift between contracts/ and the code's generation (unless `generated` is
 * undefined), and each current contract against the last release of its version number.
 */
export function checkContracts(root: string, generated: Record<string, string> | undefined): CheckReport {
  const drift = generated ? findDrift(root, generated) : [];
  const checks: ReleaseCheck[] = [];
  const unreleased: CurrentContract[] = [];
  for (const c of readCurrentContracts(root)) {
    const released = lastReleaseFor(root, c);
    if (!released) unreleased.push(c);
    else checks.push({ contract: c, against: released.rel, result: checkAgainstRelease(c, released) });
  }
  return { ok: drift.length === 0 && checks.every((k) => k.result.compatible), drift, checks, unreleased };
}

export type ReleaseOutcome = { report: CheckReport; written: string[]; unchanged: string[] };

/**
 * `contracts release`: records every current contract as the release of its version (the file
 * `releasedPath`), after `checkContracts` passes; nothing is written when it does not.
 */
export function releaseContracts(root: string, generated: Record<string, string> | undefined): ReleaseOutcome {
  const report = checkContracts(root, generated);
  const written: string[] = [];
  const unchanged: string[] = [];
  if (!report.ok) return { report, written, unchanged };
  for (const c of readCurrentContracts(root)) {
    const rel = releasedPath(c);
    const file = path.join(root, rel);
    if (existsSync(file) && readFileSync(file, "utf8") === c.text) {
      unchanged.push(rel);
      continue;
    }
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, c.text);
    written.push(rel);
  }
  return { report, written, unchanged };
}
