import type pg from "pg";
import { z } from "zod";
import type { MessagingDb } from "../db/messaging";
import type { QueueBackend } from "../queue/backend";
import type { DeliveryJob } from "./dispatcher";
import type { Envelope, ServiceName } from "./envelope";
import { type buildSubscriptions, consumerQueue, type TransactionalClient } from "./registry";
import { consumerClient } from "./sql-tx";

/**
 * Event-store replay: re-delivers the events of chosen types since a time to one consumer, to rebuild
 * its read model. Each replayed delivery carries the operation's id, so the consumer's inbox takes it as
 * a new delivery (and still only once per replay). With `reset`, the consumer first clears its read
 * model (its `reset` hook) and the replay starts from the beginning of the store.
 */
export const EventReplayParams = z
  .object({
    consumer: z.string().min(1),
    eventTypes: z.array(z.string().min(1)).min(1),
    since: z.coerce.date().optional(),
    reset: z.boolean().default(false),
  })
  .refine((p) => !(p.reset && p.since), { message: "a replay that resets the read model must start at the beginning (no since)", path: ["since"] });
export type EventReplayParams = z.infer<typeof EventReplayParams>;

type Subscriptions = ReturnType<typeof buildSubscriptions>;

/** Checks the request against the consumer's subscriptions and records it as an operation. */
export async function createEventReplayOperation(db: MessagingDb, subscriptions: Subscriptions, params: EventReplayParams, actor: string) {
  const consumer = subscriptions.consumer(params.consumer);
  if (!consumer) throw new Error(`no consumer named "${params.consumer}"`);
  const foreign = params.eventTypes.filter((t) => !consumer.eventTypes.includes(t));
  if (foreign.length) throw new Error(`${params.consumer} does not subscribe to ${foreign.join(", ")}`);
  if (params.reset && !consumer.reset) throw new Error(`${params.consumer} cannot reset its read model (no reset hook)`);
  return db.operation.create({
    data: { kind: "event-replay", actor, params: { ...params, service: consumer.service, since: params.since?.toISOString() ?? null } },
  });
}

type Row = {
  event_id: string;
  event_type: string;
  version: number;
  aggregate_id: string;
  aggregate_version: number;
  occurred_at: Date;
  payload: Record<string, unknown>;
  traceparent: string | null;
  correlation_id: string | null;
};

const PAGE = 1000;

/** Runs an event replay (in the worker), recording progress as it enqueues. */
export async function runEventReplay(
  deps: { db: MessagingDb; pool: pg.Pool; queues: QueueBackend; subscriptions: Subscriptions; clients: Record<ServiceName, TransactionalClient> },
  operationId: string,
): Promise<number> {
  const op = await deps.db.operation.update({ where: { id: operationId }, data: { status: "running", startedAt: new Date() } });
  try {
    const p = op.params as EventReplayParams & { since: string | null };
    const consumer = deps.subscriptions.consumer(p.consumer);
    if (!consumer) throw new Error(`no consumer named "${p.consumer}"`);
    const since = p.since ? new Date(p.since) : new Date(0);
    // Events published after the replay began reach the consumer the normal way.
    const until = op.startedAt!;
    const count = await deps.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM messaging.event_store WHERE event_type = ANY($1) AND occurred_at >= $2 AND published_at <= $3`,
      [p.eventTypes, since, until],
    );
    await deps.db.operation.update({ where: { id: operationId }, data: { total: Number(count.rows[0]!.n) } });
    if (p.reset) await consumerClient(consumer, deps.pool, deps.clients).$transaction((tx) => consumer.reset!(tx));

    const queue = deps.queues.queue(consumerQueue(consumer.name), { traced: false });
    let after: { at: Date; id: string } = { at: new Date(since.getTime() - 1), id: "00000000-0000-0000-0000-000000000000" };
    let processed = 0;
    for (;;) {
      const page = await deps.pool.query<Row>(
        `SELECT event_id, event_type, version, aggregate_id, aggregate_version, occurred_at, payload, traceparent, correlation_id
           FROM messaging.event_store
          WHERE event_type = ANY($1) AND occurred_at >= $2 AND published_at <= $3 AND (occurred_at, event_id) > ($4, $5::uuid)
          ORDER BY occurred_at, event_id LIMIT ${PAGE}`,
        [p.eventTypes, since, until, after.at, after.id],
      );
      if (page.rows.length === 0) break;
      await queue.addBulk(
        page.rows.map((r) => {
          const envelope: Envelope = {
            eventId: r.event_id,
            eventType: r.event_type,
            version: r.version,
            aggregateId: r.aggregate_id,
            aggregateVersion: r.aggregate_version,
            occurredAt: r.occurred_at.toISOString(),
            payload: r.payload,
            ...(r.traceparent ? { traceparent: r.traceparent } : {}),
            ...(r.correlation_id ? { correlationId: r.correlation_id } : {}),
          };
          return {
            name: r.event_type,
            data: { envelope, delivery: operationId } satisfies DeliveryJob,
            opts: {
              jobId: `${r.event_id}_r${operationId}`,
              attempts: consumer.attempts ?? 5,
              backoff: { type: "exponential", delay: consumer.backoffMs ?? 200, jitter: 0.5 },
              removeOnComplete: true,
              removeOnFail: true,
            },
          };
        }),
      );
      processed += page.rows.length;
      const last = page.rows[page.rows.length - 1]!;
      after = { at: last.occurred_at, id: last.event_id };
      await deps.db.operation.update({ where: { id: operationId }, data: { processed } });
    }
    await deps.db.operation.update({ where: { id: operationId }, data: { status: "done", processed, finishedAt: new Date() } });
    return processed;
  } catch (err) {
    await deps.db.operation.update({ where: { id: operationId }, data: { status: "failed", error: (err as Error).message, finishedAt: new Date() } });
    throw err;
  }
}

/** An operation with, for event replays, how many replayed deliveries the consumer has applied so far. */
export async function getOperation(db: MessagingDb, pool: pg.Pool, id: string) {
  const op = await db.operation.findUnique({ where: { id } });
  if (!op) return undefined;
  let applied: number | undefined;
  if (op.kind === "event-replay") {
    const p = op.params as { consumer: string; service: string };
    const r = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM "${p.service}".inbox WHERE consumer = $1 AND delivery = $2`, [p.consumer, id]);
    applied = Number(r.rows[0]!.n);
  }
  if (op.kind === "dlq-replay") {
    const r = await pool.query<{ n: string }>(
      `SELECT count(DISTINCT dead_letter_id) AS n FROM messaging.dead_letter_actions a
        WHERE a.action = 'replayed' AND a.dead_letter_id IN (SELECT dead_letter_id FROM messaging.dead_letter_actions WHERE operation_id = $1)`,
      [id],
    );
    applied = Number(r.rows[0]!.n);
  }
  return { ...op, applied };
}
