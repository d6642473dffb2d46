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
