import type { z } from "zod";
import { DomainError } from "@/server/errors";
import { validateContract } from "./compat";
import type { ContractsDb } from "./db";
import { parsePact } from "./pact-content";
import { ensurePacticipant, ensureVersion } from "./pacticipants";
import type { PublishInput, PublishResult } from "./schemas";

function assertJsonSchemas(what: string, items: { eventType: string; schema: unknown }[]): void {
  for (const item of items) {
    const problems = validateContract("jsonschema", item.schema);
    if (problems.length) throw new DomainError("BAD_REQUEST", `${what} for ${item.eventType} is not a valid JSON Schema: ${problems.slice(0, 5).join("; ")}`);
  }
}

/**
 * Publishes what one version of a pacticipant brings: its pacts as a consumer (stored once per
 * content, by hash), the event schemas it writes and the event types it reads with their reader
 * schemas. Publishing the same version again replaces its pacts per provider and, when given, its
 * event schemas and reads — CI may re-run.
 */
export async function publishContracts(db: ContractsDb, input: z.output<typeof PublishInput>): Promise<z.output<typeof PublishResult>> {
  const pacts = input.pacts.map((p) => ({ provider: p.provider, ...parsePact(p.content, { consumer: input.pacticipant, provider: p.provider }) }));
  const providers = pacts.map((p) => p.provider);
  const twice = providers.find((p, i) => providers.indexOf(p) !== i);
  if (twice) throw new DomainError("BAD_REQUEST", `two pacts with provider "${twice}"; publish one pact per provider`);
  assertJsonSchemas("the event schema", (input.eventSchemas ?? []).map((e) => ({ eventType: e.eventType, schema: e.schema })));
  assertJsonSchemas("the reader schema", (input.eventReads ?? []).map((e) => ({ eventType: e.eventType, schema: e.readerSchema })));
  if (input.openapi) {
    const problems = validateContract("openapi", input.openapi);
    if (problems.length) throw new DomainError("BAD_REQUEST", `the OpenAPI document is not valid: ${problems.slice(0, 5).join("; ")}`);
  }

  return db.$transaction(async (tx) => {
    const consumer = await ensurePacticipant(tx, input.pacticipant);
    const version = await ensureVersion(tx, consumer.id, input.version, input);
    if (input.openapi) await tx.pacticipantVersion.update({ where: { id: version.id }, data: { openapi: input.openapi as object } });
    const published: z.output<typeof PublishResult>["pacts"] = [];
    for (const pact of pacts) {
      const provider = await ensurePacticipant(tx, pact.provider);
      const content = await tx.pactContent.upsert({
        where: { sha: pact.sha },
        create: { sha: pact.sha, kind: pact.kind, content: pact.content as object },
        update: {},
        select: { id: true },
      });
      await tx.pact.upsert({
        where: { consumerVersionId_providerId: { consumerVersionId: version.id, providerId: provider.id } },
        create: { consumerVersionId: version.id, providerId: provider.id, contentId: content.id },
        update: { contentId: content.id, publishedAt: new Date() },
      });
      const verifications = await tx.verification.findMany({
        where: { contentId: content.id, providerVersion: { pacticipantId: provider.id } },
        orderBy: { verifiedAt: "desc" },
        select: { success: true, providerVersion: { select: { number: true } } },
      });
      const latest = new Map<string, boolean>();
      for (const v of verifications) if (!latest.has(v.providerVersion.number)) latest.set(v.providerVersion.number, v.success);
      published.push({
        provider: pact.provider,
        sha: pact.sha,
        kind: pact.kind,
        interactions: pact.interactions.length,
        verifiedBy: [...latest].map(([providerVersion, success]) => ({ providerVersion, success })),
      });
    }
    if (input.eventSchemas) {
      await tx.eventSchema.deleteMany({ where: { versionId: version.id } });
      await tx.eventSchema.createMany({
        data: input.eventSchemas.map((e) => ({ versionId: version.id, eventType: e.eventType, eventVersion: e.eventVersion, schema: e.schema as object })),
      });
    }
    if (input.eventReads) {
      await tx.eventConsumption.deleteMany({ where: { versionId: version.id } });
      await tx.eventConsumption.createMany({
        data: input.eventReads.map((e) => ({ versionId: version.id, eventType: e.eventType, readerSchema: e.readerSchema as object })),
      });
    }
    const eventSchemas = await tx.eventSchema.count({ where: { versionId: version.id } });
    const eventReads = await tx.eventConsumption.count({ where: { versionId: version.id } });
    return { pacticipant: consumer.name, version: version.number, pacts: published, eventSchemas, eventReads };
  });
}
