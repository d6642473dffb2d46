/**
 * Test support: writing what production code must never write. (For tests only; not imported by
 * application code.)
 */
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { OUTBOX_CHANNEL } from "@/server/messaging/outbox";
import type { ServiceName } from "@/server/messaging/envelope";

/**
 * Inserts an event straight into a service's outbox with plain SQL, bypassing the schema check of
 * `appendToOutbox` — the way a buggy writer, a hand-made fix or another tool could. Consumers must
 * still refuse it (a dead letter naming the violation).
 */
export async function insertUnvalidatedEvent(
  pool: pg.Pool,
  service: ServiceName,
  event: { eventType: string; payload: Record<string, unknown>; aggregateId?: string; version?: number },
): Promise<string> {
  const id = randomUUID();
  await pool.query(
    `INSERT INTO "${service}".outbox (id, aggregate_id, aggregate_version, event_type, version, payload, occurred_at)
     VALUES ($1, $2, 1, $3, $4, $5::jsonb, now())`,
    [id, event.aggregateId ?? randomUUID(), event.eventType, event.version ?? 1, JSON.stringify(event.payload)],
  );
  await pool.query(`SELECT pg_notify($1, $2)`, [OUTBOX_CHANNEL, service]);
  return id;
}
