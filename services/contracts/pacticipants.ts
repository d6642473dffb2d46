import { DomainError } from "@/server/errors";
import type { ContractsDb } from "./db";

/** The broker's transaction client. */
export type Tx = Parameters<Parameters<ContractsDb["$transaction"]>[0]>[0];
type Reader = Pick<Tx, "pacticipant" | "pacticipantVersion" | "environment">;

/** The pacticipant called `name`, created on first use. */
export async function ensurePacticipant(tx: Tx, name: string) {
  return tx.pacticipant.upsert({ where: { name }, create: { name }, update: {}, select: { id: true, name: true } });
}

/** Version `number` of a pacticipant, created on first use; branch and build URL are updated when given. */
export async function ensureVersion(tx: Tx, pacticipantId: string, number: string, opts: { branch?: string; buildUrl?: string } = {}) {
  const details = { ...(opts.branch ? { branch: opts.branch } : {}), ...(opts.buildUrl ? { buildUrl: opts.buildUrl } : {}) };
  return tx.pacticipantVersion.upsert({
    where: { pacticipantId_number: { pacticipantId, number } },
    create: { pacticipantId, number, ...details },
    update: details,
    select: { id: true, number: true, pacticipantId: true },
  });
}

/** An existing pacticipant version, or NOT_FOUND saying which part is unknown. */
export async function getVersion(db: Reader, pacticipant: string, number: string) {
  const p = await db.pacticipant.findUnique({ where: { name: pacticipant }, select: { id: true, name: true } });
  if (!p) throw new DomainError("NOT_FOUND", `no pacticipant "${pacticipant}" (publish its contracts first)`);
  const v = await db.pacticipantVersion.findUnique({ where: { pacticipantId_number: { pacticipantId: p.id, number } }, select: { id: true, number: true } });
  if (!v) throw new DomainError("NOT_FOUND", `no version "${number}" of ${pacticipant}`);
  return { pacticipant: p, version: v };
}

/** An existing environment, or NOT_FOUND. */
export async function getEnvironment(db: Reader, name: string) {
  const env = await db.environment.findUnique({ where: { name }, select: { id: true, name: true, production: true } });
  if (!env) throw new DomainError("NOT_FOUND", `no environment "${name}" (create it first: POST /api/v1/contracts/environments)`);
  return env;
}
