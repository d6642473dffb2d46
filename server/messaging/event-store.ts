import type pg from "pg";

/**
 * The append-only event store (`messaging.event_store`), natively partitioned by month on
 * occurred_at: `event_store_yYYYYmMM` holds [first of the month, first of the next) in UTC.
 */

type Queryable = Pick<pg.Pool | pg.PoolClient, "query">;

/** The month partition's name and bounds for a time. */
export function monthPartition(d: Date): { name: string; from: string; to: string } {
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  const from = new Date(Date.UTC(y, m, 1));
  const to = new Date(Date.UTC(y, m + 1, 1));
  return {
    name: `event_store_y${y}m${String(m + 1).padStart(2, "0")}`,
    from: from.toISOString(),
    to: to.toISOString(),
  };
}

/** Creates the month partitions covering `from` and the `monthsAhead` months after it (idempotent). */
export async function ensurePartitions(db: Queryable, from: Date, monthsAhead: number): Promise<string[]> {
  const created: string[] = [];
  for (let i = 0; i <= monthsAhead; i++) {
    const p = monthPartition(new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + i, 1)));
    const res = await db.query<{ exists: boolean }>(
      `SELECT to_regclass($1) IS NOT NULL AS exists`,
      [`messaging.${p.name}`],
    );
    if (res.rows[0]?.exists) continue;
    try {
      await db.query(
        `CREATE TABLE IF NOT EXISTS messaging.${p.name} PARTITION OF messaging.event_store FOR VALUES FROM ('${p.from}') TO ('${p.to}')`,
      );
      created.push(p.name);
    } catch (err) {
      // Another process created it at the same moment (IF NOT EXISTS does not cover the race).
      if (!["42P07", "23505"].includes((err as { code?: string }).code ?? "")) throw err;
    }
  }
  return created;
}

/**
 * The event store's partitions with their upper bounds and PostgreSQL's row estimate, oldest first.
 * `rows` is null while a partition has never been analyzed (reltuples = -1): unknown, not empty.
 */
export async function listPartitions(db: Queryable): Promise<{ name: string; to: Date; rows: number | null }[]> {
  const res = await db.query<{ name: string; bound: string; rows: string }>(
    `SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound, c.reltuples::bigint AS rows
       FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'messaging.event_store'::regclass
      ORDER BY c.relname`,
  );
  return res.rows.map((r) => {
    const to = /TO \('([^']+)'\)/.exec(r.bound)?.[1];
    return { name: r.name, to: new Date(to ?? 0), rows: Number(r.rows) < 0 ? null : Number(r.rows) };
  });
}

/** Drops whole partitions whose every event is older than `retentionMonths` before `now`. */
export async function dropExpiredPartitions(db: Queryable, now: Date, retentionMonths: number): Promise<string[]> {
  const cutoff = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - retentionMonths, 1));
  const dropped: string[] = [];
  for (const p of await listPartitions(db)) {
    if (p.to.getTime() <= cutoff.getTime()) {
      await db.query(`DROP TABLE messaging.${p.name}`);
      dropped.push(p.name);
    }
  }
  return dropped;
}

export type StoredRow = {
  eventId: string;
  eventType: string;
  version: number;
  service: string;
  aggregateId: string;
  aggregateVersion: number;
  occurredAt: Date;
  payload: unknown;
  traceparent: string | null;
  correlationId: string | null;
};

// Partitions this process knows exist, so the hot path does not ask the catalog every batch.
const knownMonths = new Set<string>();

/**
 * Appends events (a re-append of the same event is ignored). A missing month partition is created
 * first through `ddl` — outside the caller's transaction, so it is not held for the batch's duration.
 */
export async function appendEvents(db: Queryable, ddl: Queryable, rows: StoredRow[]): Promise<void> {
  for (const r of rows) {
    const p = monthPartition(r.occurredAt);
    if (!knownMonths.has(p.name)) {
      await ensurePartitions(ddl, r.occurredAt, 0);
      knownMonths.add(p.name);
    }
  }
  await db.query(
    // published_at is the wall clock at insert (not the transaction's start), so an aggregate's events are
    // stamped in the order they were published even when two dispatchers' transactions overlap.
    `INSERT INTO messaging.event_store
       (event_id, event_type, version, service, aggregate_id, aggregate_version, occurred_at, payload, traceparent, correlation_id, published_at)
     SELECT *, clock_timestamp() FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::text[], $6::int[], $7::timestamptz[], $8::jsonb[], $9::text[], $10::text[])
     ON CONFLICT DO NOTHING`,
    [
      rows.map((r) => r.eventId),
      rows.map((r) => r.eventType),
      rows.map((r) => r.version),
      rows.map((r) => r.service),
      rows.map((r) => r.aggregateId),
      rows.map((r) => r.aggregateVersion),
      rows.map((r) => r.occurredAt.toISOString()),
      rows.map((r) => JSON.stringify(r.payload)),
      rows.map((r) => r.traceparent),
      rows.map((r) => r.correlationId),
    ],
  );
}

/** Forgets which partitions exist (after retention dropped some, or an insert found one missing). */
export function forgetKnownPartitions(): void {
  knownMonths.clear();
}
