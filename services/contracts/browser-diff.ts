/**
 * The diff of two versions of one contract, as the contract browser shows it: the engine's verdict
 * (./compat: oasdiff-style checks for OpenAPI, Confluent semantics for event schemas) with each change
 * explained, and where each change sits in each document, so the side-by-side view can highlight it.
 */
import { DomainError } from "@/server/errors";
import { type TContractKind, type TContractVersion, contractVersions } from "./browser-sources";
import { checkJsonSchemaCompatibility, checkOpenApiCompatibility, type TChange, type TCompatibilityMode } from "./compat";
import { createRefResolver, escapePointerSegment, isJsonObject, type TJsonObject } from "./compat/refs";
import type { ContractsDb } from "./db";

export const DIFF_MODES = ["BACKWARD", "FORWARD", "FULL", "NONE"] as const satisfies readonly TCompatibilityMode[];

export type TDiffChange = Omit<TChange, "operation"> & {
  operation: string | null;
  /** The change's location in the `from` / `to` document (a JSON pointer into the stored document, `$ref`s followed), or null when it is not there. */
  fromLocation: string | null;
  toLocation: string | null;
  /** False when only a parent of the location is in that document (something added or removed there). */
  fromExact: boolean;
  toExact: boolean;
};

export type TVersionRef = Omit<TContractVersion, "document">;

export type TContractDiff = {
  kind: TContractKind;
  subject: string;
  mode: TCompatibilityMode;
  compatible: boolean;
  versions: TVersionRef[];
  from: TVersionRef & { document: Record<string, unknown> };
  to: TVersionRef & { document: Record<string, unknown> };
  counts: { ERR: number; WARN: number; INFO: number };
  changes: TDiffChange[];
};

function decode(segment: string): string {
  return segment.replace(/~1/g, "/").replace(/~0/g, "~");
}

const normalizeTemplate = (t: string) => t.replace(/\{[^}]*\}/g, "{}");

/**
 * Follows a logical location (the engine's pointer, which walks through `$ref`s and names parameters by
 * location and name) in `document`, and answers the physical JSON pointer it ends at — or the deepest one
 * reached when the rest is not in this document (the parent of something added or removed). Null when
 * not even the first step is there.
 */
export function physicalLocation(document: unknown, logical: string): { pointer: string; exact: boolean } | null {
  const resolver = createRefResolver(document);
  const segments = logical.replace(/^#\/?/, "").split("/").filter((s) => s.length).map(decode);
  let node: unknown = document;
  let pointer = "";
  let reached = 0;
  const follow = () => {
    for (let hop = 0; hop < 16 && isJsonObject(node) && typeof node.$ref === "string" && node.$ref.startsWith("#"); hop++) {
      const target = resolver.resolve(node.$ref);
      if (target === undefined) return;
      pointer = node.$ref.slice(1);
      node = target;
    }
  };
  for (let i = 0; i < segments.length; i++) {
    follow();
    const seg = segments[i]!;
    if (seg === "parameters" && Array.isArray((node as TJsonObject | undefined)?.[seg]) && i + 2 < segments.length) {
      const list = (node as TJsonObject).parameters as unknown[];
      const where = segments[i + 1];
      const name = segments[i + 2];
      const index = list.findIndex((p) => {
        const d = isJsonObject(p) && typeof p.$ref === "string" ? resolver.resolve(p.$ref) : p;
        return isJsonObject(d) && d.in === where && (d.name === name || (where === "header" && String(d.name).toLowerCase() === name?.toLowerCase()));
      });
      if (index === -1) break;
      pointer += `/parameters/${index}`;
      node = list[index];
      reached = i + 3;
      i += 2;
      continue;
    }
    if (!isJsonObject(node) && !Array.isArray(node)) break;
    let key = seg;
    if (i === 1 && segments[0] === "paths" && isJsonObject(node) && !Object.hasOwn(node, key)) {
      key = Object.keys(node).find((t) => normalizeTemplate(t) === normalizeTemplate(seg)) ?? seg;
    }
    const next = Array.isArray(node) ? (/^\d+$/.test(key) ? node[Number(key)] : undefined) : Object.hasOwn(node, key) ? node[key] : undefined;
    if (next === undefined) break;
    pointer += `/${escapePointerSegment(key)}`;
    node = next;
    reached = i + 1;
  }
  if (reached === 0 && segments.length > 0) return null;
  return { pointer: `#${pointer}`, exact: reached === segments.length };
}

const strip = ({ document: _d, ...v }: TContractVersion): TVersionRef => v;

function pick(versions: TContractVersion[], id: string, which: string): TContractVersion {
  const v = versions.find((x) => x.id === id);
  if (!v) throw new DomainError("NOT_FOUND", `no version "${id}" as ${which} (known: ${versions.map((x) => x.id).join(", ")})`);
  return v;
}

/**
 * Compares version `from` (the earlier contract) with `to` under `mode`: BACKWARD asks whether clients
 * and readers of `from` are served by `to`; FORWARD the reverse; FULL both; NONE lists the changes only.
 */
export async function diffContractVersions(
  root: string,
  db: ContractsDb,
  input: { service: string; kind: TContractKind; subject: string; from: string; to: string; mode: TCompatibilityMode },
): Promise<TContractDiff> {
  const versions = await contractVersions(root, db, input.service, input.kind, input.subject);
  const from = pick(versions, input.from, "from");
  const to = pick(versions, input.to, "to");
  const previous = [{ label: from.label, document: from.document }];
  const next = { label: to.label, document: to.document };
  const result = input.kind === "openapi" ? checkOpenApiCompatibility(previous, next, { mode: input.mode }) : checkJsonSchemaCompatibility(previous, next, { mode: input.mode });
  const changes = result.changes.map((c): TDiffChange => {
    const inFrom = physicalLocation(from.document, c.path);
    const inTo = physicalLocation(to.document, c.path);
    return { ...c, operation: c.operation ?? null, fromLocation: inFrom?.pointer ?? null, toLocation: inTo?.pointer ?? null, fromExact: inFrom?.exact ?? false, toExact: inTo?.exact ?? false };
  });
  const order = { ERR: 0, WARN: 1, INFO: 2 } as const;
  changes.sort((a, b) => order[a.level] - order[b.level]);
  return {
    kind: input.kind,
    subject: input.subject,
    mode: result.mode,
    compatible: result.compatible,
    versions: versions.map(strip),
    from: { ...strip(from), document: from.document },
    to: { ...strip(to), document: to.document },
    counts: { ERR: changes.filter((c) => c.level === "ERR").length, WARN: changes.filter((c) => c.level === "WARN").length, INFO: changes.filter((c) => c.level === "INFO").length },
    changes,
  };
}
