import type pg from "pg";
import type { Logger } from "../logger";
import type { QueueBackend } from "../queue/backend";
import { enqueueDeliveries } from "./dispatcher";
import type { Envelope } from "./envelope";
import type { buildSubscriptions, ConsumerDefinition } from "./registry";

/**
 * Nothing depends on Redis remembering. For each consumer, events in the event store that it
 * subscribes to, published more than `graceMs` ago, with neither an inbox row nor a dead letter, are
 * enqueued again (same job id: a delivery still waiting in Redis is not doubled, and the inbox absorbs
 * any other copy). A per-consumer cursor (`messaging.consumer_cursors`) remembers up to where every
 * event is accounted for, so each sweep reads only the recent tail.
 */

export type RedeliveryDeps = {
  pool: pg.Pool;
  queues: QueueBackend;
  subscriptions: ReturnType<typeof buildSubscriptions>;
  log: Logger;
};

type Missing = {
  event_id: string;
  event_type: string;
  version: number;
  aggregate_id: string;
  aggregate_version: number;
  occurred_at: Date;
  published_at: Date;
  payload: Record<string, unknown>;
  traceparent: string | null;
  correlation_id: string | null;
};

const LIMIT = 5000;

/**
 * A consumer's sweep starts when it is first registered: events published before it existed are not
 * its to receive (an event-store replay can backfill them).
 */
export async function registerCursors(pool: pg.Pool, consumers: ConsumerDefinition[]): Promise<void> {
  await pool.query(
    `INSERT INTO messaging.consumer_cursors (consumer, swept_until) SELECT unnest($1::text[]), now() ON CONFLICT (consumer) DO NOTHING`,
    [consumers.map((c) => c.name)],
  );
}

/** Re-enqueues one consumer's undelivered events; returns how many. */
export async function redeliverMissing(deps: RedeliveryDeps, consumer: ConsumerDefinition, graceMs: number): Promise<number> {
  const cursor = await deps.pool.query<{ swept_until: Date }>(
    `SELECT swept_until FROM messaging.consumer_cursors WHERE consumer = $1`,
    [consumer.name],
  );
  const from = cursor.rows[0]?.swept_until;
  if (!from) {
    await registerCursors(deps.pool, [consumer]);
    return 0;
  }
  const until = new Date(Date.now() - graceMs);
  if (until <= from) return 0;
  const client = await deps.pool.connect();
  let missing: pg.QueryResult<Missing>;
  try {
    // Event store and inbox grow in bursts, so their statistics lag; without this the planner may pick
    // a nested loop over sequential scans (minutes on 100,000 events, seen here) instead of index probes.
    await client.query("BEGIN READ ONLY; SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off");
    missing = await client.query<Missing>(
    `SELECT e.event_id, e.event_type, e.version, e.aggregate_id, e.aggregate_version, e.occurred_at, e.published_at,
            e.payload, e.traceparent, e.correlation_id
       FROM messaging.event_store e
      WHERE e.event_type = ANY($1) AND e.published_at > $2 AND e.published_at <= $3
        AND NOT EXISTS (SELECT 1 FROM "${consumer.service}".inbox i
                         WHERE i.consumer = $4 AND i.event_id = e.event_id AND i.delivery = '')
        AND NOT EXISTS (SELECT 1 FROM messaging.dead_letters d WHERE d.consumer = $4 AND d.event_id = e.event_id)
      ORDER BY e.published_at, e.aggregate_id, e.aggregate_version
      LIMIT ${LIMIT}`,
    [consumer.eventTypes, from, until, consumer.name],
    );
    await client.query("COMMIT");
  } finally {
    client.release();
  }
  const envelopes: Envelope[] = missing.rows.map((r) => ({
    eventId: r.event_id,
    eventType: r.event_type,
    version: r.version,
    aggregateId: r.aggregate_id,
    aggregateVersion: r.aggregate_version,
    occurredAt: r.occurred_at.toISOString(),
    payload: r.payload,
    ...(r.traceparent ? { traceparent: r.traceparent } : {}),
    ...(r.correlation_id ? { correlationId: r.correlation_id } : {}),
  }));
  if (envelopes.length > 0) {
    const only = { ...deps.subscriptions, subscribers: (t: string) => deps.subscriptions.subscribers(t).filter((c) => c.name === consumer.name) };
    await enqueueDeliveries({ queues: deps.queues, subscriptions: only }, envelopes);
    deps.log.warn({ consumer: consumer.name, events: envelopes.length }, "redelivered events missing from the consumer's inbox");
  }
  // Everything before the oldest event still unaccounted for is settled; never move past it.
  const settledUntil = missing.rows.length > 0 ? new Date(missing.rows[0]!.published_at.getTime() - 1) : until;
  if (settledUntil > from) {
    await deps.pool.query(
      `INSERT INTO messaging.consumer_cursors (consumer, swept_until, updated_at) VALUES ($1, $2, now())
       ON CONFLICT (consumer) DO UPDATE SET swept_until = EXCLUDED.swept_until, updated_at = now()`,
      [consumer.name, settledUntil],
    );
  }
  return envelopes.length;
}
