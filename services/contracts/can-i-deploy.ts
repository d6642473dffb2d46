import type { z } from "zod";
import type { ContractsDb } from "./db";
import { readerCanRead } from "./event-compat";
import type { CanIDeployInput, CanIDeployResult, TOutcome, TReason } from "./schemas";

type Json = unknown;

/** What the checks need of a deployed or candidate version. */
type VersionFacts = {
  versionId: string;
  pacticipantId: string;
  pacticipant: string;
  number: string;
  pacts: { providerId: string; provider: string; contentId: string }[];
  writes: { eventType: string; eventVersion: number; schema: Json }[];
  reads: { eventType: string; readerSchema: Json }[];
};

const VERSION_SELECT = {
  id: true,
  number: true,
  pacticipant: { select: { id: true, name: true } },
  pacts: { select: { providerId: true, contentId: true, provider: { select: { name: true } } } },
  eventSchemas: { select: { eventType: true, eventVersion: true, schema: true } },
  eventReads: { select: { eventType: true, readerSchema: true } },
} as const;

type SelectedVersion = {
  id: string;
  number: string;
  pacticipant: { id: string; name: string };
  pacts: { providerId: string; contentId: string; provider: { name: string } }[];
  eventSchemas: { eventType: string; eventVersion: number; schema: Json }[];
  eventReads: { eventType: string; readerSchema: Json }[];
};

function facts(v: SelectedVersion): VersionFacts {
  return {
    versionId: v.id,
    pacticipantId: v.pacticipant.id,
    pacticipant: v.pacticipant.name,
    number: v.number,
    pacts: v.pacts.map((p) => ({ providerId: p.providerId, provider: p.provider.name, contentId: p.contentId })),
    writes: v.eventSchemas,
    reads: v.eventReads,
  };
}

const at = (v: { pacticipant: string; number: string }) => `${v.pacticipant} ${v.number}`;

/** The verdict over all checks: any no is no; else any unknown is unknown; else yes. */
function verdict(reasons: TReason[]): TOutcome {
  if (reasons.some((r) => r.outcome === "no")) return "no";
  if (reasons.some((r) => r.outcome === "unknown")) return "unknown";
  return "yes";
}

/**
 * Can `pacticipant` at `version` be deployed to `environment`, given what runs there now?
 *
 * (a) As a consumer: each of its pacts must have a successful verification by the provider version
 *     deployed in the environment (none recorded: unknown; failed: no). A provider not deployed
 *     there has nothing to break (its own can-i-deploy will check this version once it is deployed).
 * (b) As a provider: each consumer version deployed in the environment with a pact with it must have
 *     a successful verification of that pact by this version.
 * (c) Events: every consumer deployed there that reads an event type this version writes must be able
 *     to read it (its reader schema against this version's schema), and this version's reader schema
 *     must read what the deployed producers of the event types it reads write.
 * The version's own pacticipant currently deployed there is left out: this version replaces it.
 */
export async function canIDeploy(db: ContractsDb, input: z.output<typeof CanIDeployInput>): Promise<z.output<typeof CanIDeployResult>> {
  const head = { pacticipant: input.pacticipant, version: input.version, environment: input.environment };
  const env = await db.environment.findUnique({ where: { name: input.environment }, select: { id: true } });
  if (!env) return { ...head, result: "unknown", reasons: [{ check: "setup", outcome: "unknown", message: `no environment "${input.environment}" in the broker` }] };
  const found = await db.pacticipantVersion.findFirst({ where: { number: input.version, pacticipant: { name: input.pacticipant } }, select: VERSION_SELECT });
  if (!found) {
    const message = `${input.pacticipant} ${input.version} is unknown to the broker: publish its contracts first (switchyard contracts publish)`;
    return { ...head, result: "unknown", reasons: [{ check: "setup", outcome: "unknown", message }] };
  }
  const candidate = facts(found);
  const deployments = await db.deployment.findMany({
    where: { environmentId: env.id, undeployedAt: null, pacticipantId: { not: candidate.pacticipantId } },
    select: { version: { select: VERSION_SELECT } },
  });
  const deployed = deployments.map((d) => facts(d.version));

  /** The newest verification of a pact content by one provider version. */
  const verification = (contentId: string, providerVersionId: string) =>
    db.verification.findFirst({ where: { contentId, providerVersionId }, orderBy: { verifiedAt: "desc" }, select: { success: true, results: true } });
  const failedInteractions = (results: unknown) =>
    (Array.isArray(results) ? (results as { interaction?: string; success?: boolean }[]) : []).filter((r) => r.success === false).map((r) => r.interaction ?? "?");

  const reasons: TReason[] = [];

  // (a) this version as a consumer of HTTP/message pacts
  for (const pact of candidate.pacts) {
    const provider = deployed.find((d) => d.pacticipantId === pact.providerId);
    if (!provider) {
      reasons.push({ check: "pact-as-consumer", outcome: "yes", message: `${pact.provider} is not deployed in ${input.environment}: the pact with it has nothing to break there` });
      continue;
    }
    const v = await verification(pact.contentId, provider.versionId);
    if (!v) reasons.push({ check: "pact-as-consumer", outcome: "unknown", message: `the pact with ${pact.provider} has not been verified by ${at(provider)}, deployed in ${input.environment}` });
    else if (v.success) reasons.push({ check: "pact-as-consumer", outcome: "yes", message: `the pact with ${pact.provider} was verified by ${at(provider)}, deployed in ${input.environment}` });
    else {
      const failed = failedInteractions(v.results);
      reasons.push({ check: "pact-as-consumer", outcome: "no", message: `${at(provider)}, deployed in ${input.environment}, failed to verify the pact${failed.length ? `: ${failed.join("; ")}` : ""}` });
    }
  }

  // (b) this version as the provider of pacts of consumers deployed there
  for (const consumer of deployed) {
    for (const pact of consumer.pacts.filter((p) => p.providerId === candidate.pacticipantId)) {
      const v = await verification(pact.contentId, candidate.versionId);
      if (!v) reasons.push({ check: "pact-as-provider", outcome: "unknown", message: `${at(candidate)} has not verified the pact of ${at(consumer)}, deployed in ${input.environment}` });
      else if (v.success) reasons.push({ check: "pact-as-provider", outcome: "yes", message: `${at(candidate)} verified the pact of ${at(consumer)}, deployed in ${input.environment}` });
      else {
        const failed = failedInteractions(v.results);
        reasons.push({ check: "pact-as-provider", outcome: "no", message: `${at(candidate)} failed to verify the pact of ${at(consumer)}, deployed in ${input.environment}${failed.length ? `: ${failed.join("; ")}` : ""}` });
      }
    }
  }

  // (c) events, both ways. The compatibility question is always "can this reader read what that
  // writer wrote" — readerCanRead (Confluent BACKWARD with the writer as base) — whichever side is new.
  const eventReason = (check: "event-written" | "event-read", writer: VersionFacts, w: VersionFacts["writes"][number], reader: VersionFacts, schema: Json): TReason => {
    const result = readerCanRead(
      { label: `${at(writer)}'s ${w.eventType} v${w.eventVersion}`, schema: w.schema },
      { label: `${at(reader)}'s reader schema`, schema },
    );
    const what = `${at(reader)} ${result.compatible ? "can read" : "cannot read"} ${w.eventType} (v${w.eventVersion}) as written by ${at(writer)}`;
    if (result.compatible) return { check, outcome: "yes", message: what };
    const changes = result.changes
      .filter((c) => c.level === "ERR")
      .map((c) => ({ id: c.id, level: c.level, path: c.path, message: c.message, ...(c.explanation ? { explanation: c.explanation } : {}), ...(c.fix ? { fix: c.fix } : {}) }));
    return { check, outcome: "no", message: `${what}: ${changes.map((c) => `${c.id} at ${c.path}`).join(", ")}`, changes };
  };
  for (const w of candidate.writes) {
    const readers = deployed.flatMap((d) => d.reads.filter((r) => r.eventType === w.eventType).map((r) => ({ d, r })));
    if (readers.length === 0) reasons.push({ check: "event-written", outcome: "yes", message: `no consumer deployed in ${input.environment} reads ${w.eventType}` });
    for (const { d, r } of readers) reasons.push(eventReason("event-written", candidate, w, d, r.readerSchema));
  }
  for (const r of candidate.reads) {
    const writers = deployed.flatMap((d) => d.writes.filter((w) => w.eventType === r.eventType).map((w) => ({ d, w })));
    if (writers.length === 0) reasons.push({ check: "event-read", outcome: "yes", message: `no version deployed in ${input.environment} writes ${r.eventType}` });
    for (const { d, w } of writers) reasons.push(eventReason("event-read", d, w, candidate, r.readerSchema));
  }

  if (reasons.length === 0) reasons.push({ check: "setup", outcome: "yes", message: `${at(candidate)} has no pacts or events that involve what runs in ${input.environment}` });
  return { ...head, result: verdict(reasons), reasons };
}
