/**
 * The consumers x providers grid of the contract browser: per pair, what they exchange (HTTP pact,
 * message pact, events), the newest verification of each (pacts: the providers' verification results;
 * events: the consumer's published reader schema checked against the provider's published writer
 * schema, as can-i-deploy does), and where both sides are deployed.
 */
import { serviceOfEventType } from "@/server/messaging/envelope";
import { messagingRegistry } from "@/workers/consumers";
import type { ContractsDb } from "./db";
import { readerCanRead } from "./event-compat";

export type TCheckStatus = "ok" | "failed" | "unverified";
export type TMatrixCheck = {
  kind: "pact" | "events";
  consumerVersion: string | null;
  providerVersion: string | null;
  status: TCheckStatus;
  at: Date | null;
  detail: string;
};
export type TMatrixCell = {
  consumer: string;
  provider: string;
  interactions: { kind: "http" | "message" | "event"; label: string }[];
  /** The newest check decides: failed, ok, or unverified when nothing was checked. */
  status: TCheckStatus;
  checks: TMatrixCheck[];
  consumerDeployed: { environment: string; version: string }[];
  providerDeployed: { environment: string; version: string }[];
};
export type TContractMatrix = { consumers: string[]; providers: string[]; cells: TMatrixCell[]; environments: string[] };

type Cell = TMatrixCell & { eventTypes: Set<string> };

/** Every consumer -> provider pair the broker and the code know of, with its checks. */
export async function contractMatrix(db: ContractsDb): Promise<TContractMatrix> {
  const cells = new Map<string, Cell>();
  const cell = (consumer: string, provider: string): Cell => {
    const key = `${consumer}\u0000${provider}`;
    return cells.get(key) ?? cells.set(key, { consumer, provider, interactions: [], status: "unverified", checks: [], consumerDeployed: [], providerDeployed: [], eventTypes: new Set() }).get(key)!;
  };

  // Pacts: the newest consumer version's pact with each provider, and its verifications (newest per provider version).
  const pacts = await db.pact.findMany({
    orderBy: { consumerVersion: { createdAt: "desc" } },
    select: {
      contentId: true,
      providerId: true,
      provider: { select: { name: true } },
      content: { select: { kind: true, content: true } },
      consumerVersion: { select: { number: true, pacticipant: { select: { name: true } } } },
    },
  });
  const seenPairs = new Set<string>();
  for (const p of pacts) {
    const consumer = p.consumerVersion.pacticipant.name;
    const key = `${consumer}\u0000${p.provider.name}`;
    if (seenPairs.has(key)) continue;
    seenPairs.add(key);
    const c = cell(consumer, p.provider.name);
    const interactions = Array.isArray((p.content.content as { interactions?: unknown[] }).interactions) ? (p.content.content as { interactions: unknown[] }).interactions.length : 0;
    for (const kind of p.content.kind.split("+") as ("http" | "message")[]) {
      c.interactions.push({ kind, label: `${kind === "http" ? "HTTP" : "message"} pact · ${interactions} interaction${interactions === 1 ? "" : "s"}` });
    }
    const verifications = await db.verification.findMany({
      where: { contentId: p.contentId, providerVersion: { pacticipantId: p.providerId } },
      orderBy: { verifiedAt: "desc" },
      select: { success: true, verifiedAt: true, results: true, providerVersion: { select: { id: true, number: true } } },
    });
    const perVersion = new Set<string>();
    for (const v of verifications) {
      if (perVersion.has(v.providerVersion.id)) continue;
      perVersion.add(v.providerVersion.id);
      const failed = Array.isArray(v.results) ? (v.results as { interaction?: string; success?: boolean }[]).filter((r) => r.success === false).map((r) => r.interaction) : [];
      c.checks.push({
        kind: "pact",
        consumerVersion: p.consumerVersion.number,
        providerVersion: v.providerVersion.number,
        status: v.success ? "ok" : "failed",
        at: v.verifiedAt,
        detail: v.success ? "pact verified" : `pact verification failed${failed.length ? `: ${failed.join(", ")}` : ""}`,
      });
    }
    if (perVersion.size === 0) c.checks.push({ kind: "pact", consumerVersion: p.consumerVersion.number, providerVersion: null, status: "unverified", at: null, detail: "no provider version verified this pact yet" });
  }

  // Events: subscriptions declared in code, and event reads published to the broker.
  for (const consumer of messagingRegistry.consumers) {
    for (const t of consumer.eventTypes) {
      const producer = serviceOfEventType(t);
      if (producer && producer !== consumer.service) cell(consumer.service, producer).eventTypes.add(t);
    }
  }
  const reads = await db.eventConsumption.findMany({
    orderBy: { version: { createdAt: "desc" } },
    select: { eventType: true, readerSchema: true, version: { select: { number: true, createdAt: true, pacticipant: { select: { name: true } } } } },
  });
  for (const r of reads) {
    const producer = serviceOfEventType(r.eventType);
    if (producer && producer !== r.version.pacticipant.name) cell(r.version.pacticipant.name, producer).eventTypes.add(r.eventType);
  }
  const writes = await db.eventSchema.findMany({
    orderBy: { version: { createdAt: "desc" } },
    select: { eventType: true, eventVersion: true, schema: true, version: { select: { number: true, createdAt: true, pacticipant: { select: { name: true } } } } },
  });
  for (const c of cells.values()) {
    if (c.eventTypes.size === 0) continue;
    c.interactions.push({ kind: "event", label: `${c.eventTypes.size} event type${c.eventTypes.size === 1 ? "" : "s"}` });
    // The consumer's newest published version that reads the provider's events, against the provider's newest writer schemas.
    const mine = reads.filter((r) => r.version.pacticipant.name === c.consumer && c.eventTypes.has(r.eventType));
    const consumerVersion = mine[0]?.version.number;
    const theirs = writes.filter((w) => w.version.pacticipant.name === c.provider);
    const providerVersion = theirs[0]?.version.number;
    if (!consumerVersion || !providerVersion) {
      c.checks.push({ kind: "events", consumerVersion: consumerVersion ?? null, providerVersion: providerVersion ?? null, status: "unverified", at: null, detail: "declared in code; reader and writer schemas not both published to the broker" });
      continue;
    }
    const problems: string[] = [];
    let checked = 0;
    for (const read of mine.filter((r) => r.version.number === consumerVersion)) {
      const write = theirs.find((w) => w.version.number === providerVersion && w.eventType === read.eventType);
      if (!write) continue;
      checked++;
      const result = readerCanRead({ label: `${c.provider} ${providerVersion}`, schema: write.schema }, { label: `${c.consumer} ${consumerVersion}`, schema: read.readerSchema });
      if (!result.compatible) problems.push(`${read.eventType.split(".").at(-1)} v${write.eventVersion}: ${result.changes.filter((x) => x.level === "ERR").map((x) => x.id).join(", ")}`);
    }
    const at = new Date(Math.max(mine[0]!.version.createdAt.getTime(), theirs[0]!.version.createdAt.getTime()));
    c.checks.push({
      kind: "events",
      consumerVersion,
      providerVersion,
      status: checked === 0 ? "unverified" : problems.length ? "failed" : "ok",
      at: checked ? at : null,
      detail: checked === 0 ? "no event type both published" : problems.length ? `reader schemas cannot read: ${problems.join("; ")}` : `${checked} reader schema${checked === 1 ? "" : "s"} read the writer's`,
    });
  }

  const deployments = await db.deployment.findMany({
    where: { undeployedAt: null },
    orderBy: { environment: { name: "asc" } },
    select: { pacticipant: { select: { name: true } }, environment: { select: { name: true } }, version: { select: { number: true } } },
  });
  const deployedOf = (service: string) => deployments.filter((d) => d.pacticipant.name === service).map((d) => ({ environment: d.environment.name, version: d.version.number }));
  const out: TMatrixCell[] = [...cells.values()].map(({ eventTypes: _e, ...c }) => {
    c.checks.sort((a, b) => (b.at?.getTime() ?? 0) - (a.at?.getTime() ?? 0));
    const dated = c.checks.filter((k) => k.at);
    const newest = [...new Set(c.checks.map((k) => k.kind))].map((kind) => dated.find((x) => x.kind === kind));
    const status: TCheckStatus = newest.some((n) => n?.status === "failed") ? "failed" : newest.length && newest.every((n) => n?.status === "ok") ? "ok" : "unverified";
    return { ...c, status, consumerDeployed: deployedOf(c.consumer), providerDeployed: deployedOf(c.provider) };
  });
  out.sort((a, b) => a.consumer.localeCompare(b.consumer) || a.provider.localeCompare(b.provider));
  const environments = (await db.environment.findMany({ orderBy: { name: "asc" }, select: { name: true } })).map((e) => e.name);
  return { consumers: [...new Set(out.map((c) => c.consumer))].sort(), providers: [...new Set(out.map((c) => c.provider))].sort(), cells: out, environments };
}

/** A provider's verification summary over its consumers' newest pacts: failed, ok, unverified, or none. */
export function providerVerification(matrix: TContractMatrix, provider: string): { status: TCheckStatus | "none"; providerVersion: string | null; at: Date | null } {
  const mine = matrix.cells.filter((c) => c.provider === provider && c.checks.length);
  if (mine.length === 0) return { status: "none", providerVersion: null, at: null };
  const newest = mine.flatMap((c) => c.checks).filter((k) => k.at).sort((a, b) => b.at!.getTime() - a.at!.getTime())[0];
  const status: TCheckStatus = mine.some((c) => c.status === "failed") ? "failed" : mine.every((c) => c.status === "ok") ? "ok" : "unverified";
  return { status, providerVersion: newest?.providerVersion ?? null, at: newest?.at ?? null };
}
