import type { z } from "zod";
import type { ContractsDb } from "./db";
import type { MatrixInput, MatrixResult } from "./schemas";

/**
 * The matrix of a pacticipant (optionally one version): one row per pact it takes part in (as
 * consumer or provider) and provider version that verified it — or one row with no provider version
 * when nobody verified it — with where each side is deployed now. Newest pacts first.
 */
export async function getMatrix(db: ContractsDb, input: z.output<typeof MatrixInput>): Promise<z.output<typeof MatrixResult>> {
  const versionFilter = input.version ? { number: input.version } : {};
  const pacts = await db.pact.findMany({
    where: {
      OR: [
        { consumerVersion: { pacticipant: { name: input.pacticipant }, ...versionFilter } },
        // As a provider, a version filter applies to the verifying version (below), not to the pact.
        { provider: { name: input.pacticipant } },
      ],
    },
    orderBy: { publishedAt: "desc" },
    take: input.limit,
    select: {
      providerId: true,
      provider: { select: { name: true } },
      content: { select: { id: true, sha: true, kind: true } },
      consumerVersion: { select: { id: true, number: true, branch: true, pacticipant: { select: { name: true } } } },
    },
  });
  const contentIds = [...new Set(pacts.map((p) => p.content.id))];
  const verifications = await db.verification.findMany({
    where: { contentId: { in: contentIds } },
    orderBy: { verifiedAt: "desc" },
    select: { contentId: true, success: true, verifiedAt: true, providerVersion: { select: { id: true, number: true, pacticipantId: true } } },
  });
  const versionIds = [...new Set([...pacts.map((p) => p.consumerVersion.id), ...verifications.map((v) => v.providerVersion.id)])];
  const deployments = await db.deployment.findMany({
    where: { versionId: { in: versionIds }, undeployedAt: null },
    select: { versionId: true, environment: { select: { name: true } } },
  });
  const deployedIn = (versionId: string) => deployments.filter((d) => d.versionId === versionId).map((d) => d.environment.name).sort();

  const rows: z.output<typeof MatrixResult>["rows"] = [];
  for (const p of pacts) {
    const asProvider = p.provider.name === input.pacticipant;
    const seen = new Set<string>();
    const mine = verifications.filter((v) => {
      if (v.contentId !== p.content.id || v.providerVersion.pacticipantId !== p.providerId) return false;
      if (asProvider && input.version && v.providerVersion.number !== input.version) return false;
      // The newest verification per provider version counts.
      if (seen.has(v.providerVersion.id)) return false;
      seen.add(v.providerVersion.id);
      return true;
    });
    const base = {
      consumer: p.consumerVersion.pacticipant.name,
      consumerVersion: p.consumerVersion.number,
      consumerBranch: p.consumerVersion.branch,
      provider: p.provider.name,
      kind: p.content.kind,
      sha: p.content.sha,
      consumerDeployedIn: deployedIn(p.consumerVersion.id),
    };
    if (mine.length === 0) rows.push({ ...base, providerVersion: null, success: null, verifiedAt: null, providerDeployedIn: [] });
    for (const v of mine) rows.push({ ...base, providerVersion: v.providerVersion.number, success: v.success, verifiedAt: v.verifiedAt, providerDeployedIn: deployedIn(v.providerVersion.id) });
  }
  return { rows: rows.slice(0, input.limit) };
}
