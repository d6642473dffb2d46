import type { z } from "zod";
import type { ContractsDb } from "./db";
import { ensurePacticipant, ensureVersion, getEnvironment } from "./pacticipants";
import type { DeploymentInput, DeploymentResult, EnvironmentInput, UndeploymentInput } from "./schemas";

/** Creates an environment, or updates its production flag. */
export async function saveEnvironment(db: ContractsDb, input: z.output<typeof EnvironmentInput>) {
  return db.environment.upsert({
    where: { name: input.name },
    create: { name: input.name, production: input.production },
    update: { production: input.production },
    select: { name: true, production: true },
  });
}

/** Every environment, by name. */
export async function listEnvironments(db: ContractsDb) {
  return db.environment.findMany({ orderBy: { name: "asc" }, select: { name: true, production: true } });
}

/**
 * Records that a version of a pacticipant now runs in an environment. It replaces the pacticipant's
 * previous deployment there (marked undeployed in the same transaction; a partial unique index
 * guarantees one current deployment per pacticipant and environment). Recording the version that is
 * already deployed changes nothing. The version is created if CI never published anything for it.
 */
export async function recordDeployment(db: ContractsDb, input: z.output<typeof DeploymentInput>): Promise<z.output<typeof DeploymentResult>> {
  const env = await getEnvironment(db, input.environment);
  return db.$transaction(async (tx) => {
    const pacticipant = await ensurePacticipant(tx, input.pacticipant);
    const version = await ensureVersion(tx, pacticipant.id, input.version);
    // Two deployments of one pacticipant to one environment at once: the second waits for the first.
    await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(hashtext($1))`, `contracts.deploy:${pacticipant.id}:${env.id}`);
    const current = await tx.deployment.findFirst({
      where: { pacticipantId: pacticipant.id, environmentId: env.id, undeployedAt: null },
      select: { id: true, versionId: true, deployedAt: true, version: { select: { number: true } } },
    });
    const base = { pacticipant: pacticipant.name, version: version.number, environment: env.name };
    if (current?.versionId === version.id) return { ...base, deployedAt: current.deployedAt, replaced: null };
    const now = new Date();
    if (current) await tx.deployment.update({ where: { id: current.id }, data: { undeployedAt: now } });
    await tx.deployment.create({ data: { pacticipantId: pacticipant.id, versionId: version.id, environmentId: env.id, deployedAt: now } });
    return { ...base, deployedAt: now, replaced: current?.version.number ?? null };
  });
}

/** Records that a pacticipant no longer runs in an environment (only if `version` is the deployed one, when given). */
export async function recordUndeployment(db: ContractsDb, input: z.output<typeof UndeploymentInput>): Promise<{ undeployed: string | null }> {
  const env = await getEnvironment(db, input.environment);
  const current = await db.deployment.findFirst({
    where: { pacticipant: { name: input.pacticipant }, environmentId: env.id, undeployedAt: null, ...(input.version ? { version: { number: input.version } } : {}) },
    select: { id: true, version: { select: { number: true } } },
  });
  if (!current) return { undeployed: null };
  await db.deployment.update({ where: { id: current.id }, data: { undeployedAt: new Date() } });
  return { undeployed: current.version.number };
}
