import type pg from "pg";
import { DOMAIN_SCHEMAS } from "../db/schemas";
import type { ServiceName } from "./envelope";
import { OUTBOX_CHANNEL } from "./outbox";

/** Per service: how many outbox events are pending, sent and failed, and the oldest pending one. */
export type OutboxSummary = { service: ServiceName; pending: number; sent: number; failed: number; oldestPendingAt: Date | null };

export async function outboxSummary(pool: pg.Pool): Promise<OutboxSummary[]> {
  return Promise.all(
    DOMAIN_SCHEMAS.map(async (service) => {
      const r = await pool.query<{ pending: string; sent: string; failed: string; oldest: Date | null }>(
        `SELECT count(*) FILTER (WHERE status = 'PENDING') AS pending, count(*) FILTER (WHERE status = 'SENT') AS sent,
                count(*) FILTER (WHERE status = 'FAILED') AS failed, min(occurred_at) FILTER (WHERE status = 'PENDING') AS oldest
           FROM "${service}".outbox`,
      );
      const row = r.rows[0]!;
      return { service, pending: Number(row.pending), sent: Number(row.sent), failed: Number(row.failed), oldestPendingAt: row.oldest };
    }),
  );
}

export type OutboxEventRow = {
  id: string;
  aggregateId: string;
  aggregateVersion: number;
  eventType: string;
  status: string;
  retryCount: number;
  lastError: string | null;
  occurredAt: Date;
  availableAt: Date;
};

/** A service's unsent events (FAILED first, then PENDING, oldest first). */
export async function listUnsent(pool: pg.Pool, service: ServiceName, limit = 100): Promise<OutboxEventRow[]> {
  const r = await pool.query<OutboxEventRow>(
    `SELECT id, aggregate_id AS "aggregateId", aggregate_version AS "aggregateVersion", event_type AS "eventType", status,
            retry_count AS "retryCount", last_error AS "lastError", occurred_at AS "occurredAt", available_at AS "availableAt"
       FROM "${service}".outbox WHERE status IN ('FAILED', 'PENDING')
      ORDER BY (status = 'FAILED') DESC, seq LIMIT $1`,
    [limit],
  );
  return r.rows;
}

/** An operator sends FAILED events back to PENDING with a fresh retry budget; returns how many. */
export async function retryFailed(pool: pg.Pool, service: ServiceName, ids?: string[]): Promise<number> {
  const r = await pool.query(
    `UPDATE "${service}".outbox SET status = 'PENDING', retry_count = 0, available_at = now()
      WHERE status = 'FAILED' AND ($1::uuid[] IS NULL OR id = ANY($1::uuid[]))`,
    [ids ?? null],
  );
  if ((r.rowCount ?? 0) > 0) await pool.query(`SELECT pg_notify($1, $2)`, [OUTBOX_CHANNEL, service]);
  return r.rowCount ?? 0;
}

/** Deletes SENT outbox rows older than the retention (the event store keeps the history). */
export async function pruneSent(pool: pg.Pool, olderThanHours: number): Promise<number> {
  let n = 0;
  for (const service of DOMAIN_SCHEMAS) {
    const r = await pool.query(
      `DELETE FROM "${service}".outbox WHERE status = 'SENT' AND sent_at < now() - make_interval(secs => $1 * 3600.0)`,
      [olderThanHours],
    );
    n += r.rowCount ?? 0;
  }
  return n;
}
