import type { MessagingDb } from "../../db/messaging";
import type { QueueBackend } from "../../queue/backend";
import type { DeliveryJob } from "../dispatcher";
import type { Envelope } from "../envelope";
import { type buildSubscriptions, consumerQueue } from "../registry";
import { type DeadLetterFilter, whereOf } from "./queries";

/**
 * Operator actions on dead letters. Each is audited with its actor (`dead_letter_actions`), and each
 * applies only to dead letters in the state it expects, so repeating an action changes nothing.
 */

export class DeadLetterActionError extends Error {
  constructor(
    message: string,
    public readonly code: "NOT_FOUND" | "CONFLICT" | "BAD_REQUEST",
  ) {
    super(message);
    this.name = "DeadLetterActionError";
  }
}

/** Stores a corrected payload for a dead letter; the original stays in its envelope. */
export async function editDeadLetterPayload(
  db: MessagingDb,
  id: string,
  payload: Record<string, unknown>,
  actor: string,
  reason?: string,
): Promise<void> {
  await db.$transaction(async (tx) => {
    const dl = await tx.deadLetter.findUnique({ where: { id }, select: { status: true, envelope: true, editedPayload: true } });
    if (!dl) throw new DeadLetterActionError(`no dead letter ${id}`, "NOT_FOUND");
    if (dl.status !== "dead") throw new DeadLetterActionError(`dead letter ${id} is ${dl.status}; only a dead one can be edited`, "CONFLICT");
    await tx.deadLetter.update({ where: { id }, data: { editedPayload: payload as object } });
    await tx.deadLetterAction.create({
      data: {
        deadLetterId: id,
        action: "edit",
        actor,
        reason: reason ?? null,
        details: { before: (dl.editedPayload ?? (dl.envelope as { payload?: unknown }).payload ?? null) as object, after: payload as object },
      },
    });
  });
}

/** Discards dead letters (with a reason) that are still dead; returns how many. */
export async function discardDeadLetters(db: MessagingDb, ids: string[], reason: string, actor: string): Promise<number> {
  if (!reason.trim()) throw new DeadLetterActionError("a reason is required to discard", "BAD_REQUEST");
  return db.$transaction(async (tx) => {
    const dead = await tx.deadLetter.findMany({ where: { id: { in: ids }, status: "dead" }, select: { id: true } });
    const done = dead.map((d) => d.id);
    await tx.deadLetter.updateMany({ where: { id: { in: done }, status: "dead" }, data: { status: "discarded", discardReason: reason } });
    await tx.deadLetterAction.createMany({ data: done.map((deadLetterId) => ({ deadLetterId, action: "discard", actor, reason })) });
    return done.length;
  });
}

export type ReplayTarget = { ids: string[] } | { filter: DeadLetterFilter };

/** Records a replay request (one, selected, or all matching a filter) as an operation with progress. */
export async function createReplayOperation(db: MessagingDb, target: ReplayTarget, actor: string) {
  const where = "ids" in target ? { id: { in: target.ids } } : whereOf(target.filter);
  const total = await db.deadLetter.count({ where: { ...where, status: "dead" } });
  if (total === 0) throw new DeadLetterActionError("nothing to replay: no dead letter matches (already replayed or discarded?)", "CONFLICT");
  return db.operation.create({ data: { kind: "dlq-replay", actor, params: target as object, total } });
}

export type ReplayDeps = {
  db: MessagingDb;
  queues: QueueBackend;
  subscriptions: ReturnType<typeof buildSubscriptions>;
};

const PAGE = 200;

/**
 * Runs a replay operation (in the worker): page by page, moves matching dead letters from `dead` to
 * `replaying` and enqueues each to its consumer with the edited payload if there is one. The consumer
 * marks it `replayed` in the transaction that applies it; the inbox makes a repeated replay harmless.
 */
export async function runReplayOperation(deps: ReplayDeps, operationId: string): Promise<{ replayed: number; skipped: number }> {
  const op = await deps.db.operation.update({ where: { id: operationId }, data: { status: "running", startedAt: new Date() } });
  const target = op.params as ReplayTarget;
  // A message that fails again while this operation runs is not replayed twice by it.
  const base = "ids" in target ? { id: { in: target.ids } } : whereOf(target.filter);
  const until = "filter" in target && target.filter.until && new Date(target.filter.until) < op.startedAt! ? new Date(target.filter.until) : op.startedAt!;
  const where = { ...base, lastFailedAt: { ...("lastFailedAt" in base ? base.lastFailedAt : {}), lte: until } };
  const declared = deps.subscriptions.names();
  let replayed = 0;
  try {
    // Dead letters of consumers no longer declared cannot be replayed: count them, leave them dead.
    const skipped = await deps.db.deadLetter.count({ where: { ...where, status: "dead", consumer: { notIn: declared } } });
    for (;;) {
      const page = await deps.db.deadLetter.findMany({
        where: { ...where, status: "dead", consumer: { in: declared } },
        orderBy: { lastFailedAt: "asc" },
        take: PAGE,
        select: { id: true },
      });
      if (page.length === 0) break;
      const claimed = await deps.db.$transaction(async (tx) => {
        const ids = page.map((d) => d.id);
        await tx.deadLetter.updateMany({ where: { id: { in: ids }, status: "dead" }, data: { status: "replaying", replayCount: { increment: 1 } } });
        const rows = await tx.deadLetter.findMany({ where: { id: { in: ids }, status: "replaying" } });
        await tx.deadLetterAction.createMany({
          data: rows.map((d) => ({ deadLetterId: d.id, action: "replay", actor: op.actor, operationId, details: { edited: d.editedPayload !== null } })),
        });
        return rows;
      });
      for (const d of claimed) {
        const consumer = deps.subscriptions.consumer(d.consumer)!;
        const original = d.envelope as Envelope;
        const envelope = { ...original, payload: (d.editedPayload ?? original.payload) as Record<string, unknown> };
        await deps.queues.queue(consumerQueue(d.consumer), { traced: false }).add(
          envelope.eventType,
          { envelope, delivery: "", deadLetterId: d.id } satisfies DeliveryJob,
          {
            jobId: `${d.eventId}_dlq${d.replayCount}`,
            attempts: consumer.attempts ?? 5,
            backoff: { type: "exponential", delay: consumer.backoffMs ?? 200, jitter: 0.5 },
            removeOnComplete: true,
            removeOnFail: true,
          },
        );
        replayed++;
      }
      await deps.db.operation.update({ where: { id: operationId }, data: { processed: replayed, failed: skipped } });
    }
    await deps.db.operation.update({
      where: { id: operationId },
      data: {
        status: "done",
        processed: replayed,
        failed: skipped,
        finishedAt: new Date(),
        ...(skipped ? { error: `${skipped} dead letter(s) belong to consumers no longer declared and were left dead` } : {}),
      },
    });
    return { replayed, skipped };
  } catch (err) {
    await deps.db.operation.update({ where: { id: operationId }, data: { status: "failed", error: (err as Error).message, finishedAt: new Date() } });
    throw err;
  }
}
