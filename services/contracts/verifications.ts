import type { z } from "zod";
import { DomainError } from "@/server/errors";
import type { ContractsDb } from "./db";
import { ensureVersion, getVersion } from "./pacticipants";
import type { VerificationInput, VerificationResult } from "./schemas";

/**
 * Records a provider version's verification of a consumer version's pact. The result belongs to the
 * pact's content: every consumer version that published the same content is covered by it.
 */
export async function recordVerification(db: ContractsDb, input: z.output<typeof VerificationInput>): Promise<z.output<typeof VerificationResult>> {
  return db.$transaction(async (tx) => {
    const { version: consumerVersion } = await getVersion(tx, input.consumer, input.consumerVersion);
    const provider = await tx.pacticipant.findUnique({ where: { name: input.provider }, select: { id: true } });
    const pact = provider
      ? await tx.pact.findUnique({
          where: { consumerVersionId_providerId: { consumerVersionId: consumerVersion.id, providerId: provider.id } },
          select: { contentId: true, content: { select: { sha: true } } },
        })
      : null;
    if (!provider || !pact) throw new DomainError("NOT_FOUND", `${input.consumer} ${input.consumerVersion} has no pact with ${input.provider}`);
    const providerVersion = await ensureVersion(tx, provider.id, input.providerVersion, input);
    const failed = input.results.filter((r) => !r.success);
    if (input.success && failed.length) {
      throw new DomainError("BAD_REQUEST", `success is true but ${failed.length} interaction(s) failed: ${failed.map((f) => f.interaction).join(", ")}`);
    }
    const v = await tx.verification.create({
      data: { contentId: pact.contentId, providerVersionId: providerVersion.id, success: input.success, results: input.results as object[], buildUrl: input.buildUrl ?? null },
      select: { id: true },
    });
    const same = await tx.pact.findMany({
      where: { contentId: pact.contentId, providerId: provider.id, consumerVersionId: { not: consumerVersion.id } },
      select: { consumerVersion: { select: { number: true, pacticipant: { select: { name: true } } } } },
    });
    return {
      id: v.id,
      provider: input.provider,
      providerVersion: providerVersion.number,
      consumer: input.consumer,
      consumerVersion: consumerVersion.number,
      sha: pact.content.sha,
      success: input.success,
      alsoCovers: same.map((p) => `${p.consumerVersion.pacticipant.name} ${p.consumerVersion.number}`),
    };
  });
}
