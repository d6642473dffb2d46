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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export type RedeliveryDeps = {
  /** Aborted when the process stops: a long sweep ends after its current page. */
  signal?: AbortSignal;
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

/** What a sweep page reads of each event: enough to order it and to look it up; payloads only for the missing. */
type Candidate = { event_id: string; occurred_at: Date; published_at: Date };

/** Events per page, and pages per sweep (a sweep accounts for at most 100,000 events; the next goes on). */
const LIMIT = 500;
const PAGES_PER_SWEEP = 200;

/**
 * Re-enqueues one consumer's undelivered events; returns how many. Events are read page by page in
 * publication order — ids and times only — and checked against the inbox and dead letters by id, two
 * index lookups whose plans cannot go wrong (a single anti-join over fast-growing tables was once
 * planned as a quadratic loop: 5 minutes for 100,000 events, seen here). Only the missing events are
 * then read in full. After a burst the first sweep accounts for tens of thousands of events; reading
 * their payloads too stalled this process's consumers for a third of a second (bench:outbox p99).
 */
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
  const only = { ...deps.subscriptions, subscribers: (t: string) => deps.subscriptions.subscribers(t).filter((c) => c.name === consumer.name) };
  let after: { at: Date; id: string } = { at: from, id: "ffffffff-ffff-ffff-ffff-ffffffffffff" };
  let settled = from;
  let blocked = false;
  let redelivered = 0;
  for (let page = 0; page < PAGES_PER_SWEEP; page++) {
    const pageStarted = performance.now();
    const client = await deps.pool.connect();
    let rows: Candidate[];
    let unaccounted: Candidate[];
    let missing: Missing[] = [];
    try {
      // (jit off: a plan priced with the disabled-scan penalty would be JIT-compiled, ~90 ms a page)
      await client.query("BEGIN READ ONLY; SET LOCAL enable_seqscan = off; SET LOCAL jit = off");
      rows = (
        await client.query<Candidate>(
          `SELECT event_id, occurred_at, published_at
             FROM messaging.event_store
            WHERE event_type = ANY($1) AND published_at <= $2 AND (published_at, event_id) > ($3, $4::uuid)
            ORDER BY published_at, event_id
            LIMIT ${LIMIT}`,
          [consumer.eventTypes, until, after.at, after.id],
        )
      ).rows;
      const ids = rows.map((r) => r.event_id);
      const seen = await client.query<{ event_id: string }>(
        `SELECT event_id FROM "${consumer.service}".inbox WHERE consumer = $1 AND delivery = '' AND event_id = ANY($2::uuid[])
         UNION ALL
         SELECT event_id FROM messaging.dead_letters WHERE consumer = $1 AND event_id = ANY($2::uuid[])`,
        [consumer.name, ids],
      );
      const accounted = new Set(seen.rows.map((r) => r.event_id));
      unaccounted = rows.filter((r) => !accounted.has(r.event_id));
      if (unaccounted.length > 0) {
        missing = (
          await client.query<Missing>(
            `SELECT e.event_id, e.event_type, e.version, e.aggregate_id, e.aggregate_version, e.occurred_at, e.published_at, e.payload, e.traceparent, e.correlation_id
               FROM messaging.event_store e JOIN unnest($1::uuid[], $2::timestamptz[]) AS k(event_id, occurred_at) USING (event_id, occurred_at)
              ORDER BY e.published_at, e.event_id`,
            [unaccounted.map((r) => r.event_id), unaccounted.map((r) => r.occurred_at)],
          )
        ).rows;
      }
      await client.query("COMMIT");
    } finally {
      client.release();
    }
    if (missing.length > 0) {
      await enqueueDeliveries({ queues: deps.queues, subscriptions: only }, missing.map(toEnvelope));
      redelivered += missing.length;
    }
    // Everything before the oldest event still unaccounted for is settled; never move past it.
    if (!blocked) {
      if (unaccounted.length > 0) {
        settled = new Date(unaccounted[0]!.published_at.getTime() - 1);
        blocked = true;
      } else if (rows.length > 0) {
        // Conservative by a millisecond: events sharing the last timestamp may continue on the next page.
        settled = new Date(rows[rows.length - 1]!.published_at.getTime() - 1);
      }
    }
    if (rows.length < LIMIT) {
      if (!blocked) settled = until;
      break;
    }
    const last = rows[rows.length - 1]!;
    after = { at: last.published_at, id: last.event_id };
    // A safety net, not a hot path: small pages, and a rest three times as long as the page took, so a
    // backlog after a burst is accounted for at a quarter of full speed, in slices too short to hold up
    // the consumers beside it (bench:outbox at 1,000 events/s during such a sweep: max 300 ms with
    // 5,000-event pages read whole, ~60 ms with 2,000 ids and a rest as long).
    if (deps.signal?.aborted) break; // the process is stopping; the cursor keeps what is settled
    await sleep(3 * (performance.now() - pageStarted));
  }
  if (redelivered > 0) deps.log.warn({ consumer: consumer.name, events: redelivered }, "redelivered events missing from the consumer's inbox");
  if (settled > from) {
    await deps.pool.query(
      `INSERT INTO messaging.consumer_cursors (consumer, swept_until, updated_at) VALUES ($1, $2, now())
       ON CONFLICT (consumer) DO UPDATE SET swept_until = EXCLUDED.swept_until, updated_at = now()`,
      [consumer.name, settled],
    );
  }
  return redelivered;
}

function toEnvelope(r: Missing): Envelope {
  return {
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
}
