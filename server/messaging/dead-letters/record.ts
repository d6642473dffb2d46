import { randomUUID } from "node:crypto";
import type pg from "pg";
import { errorFingerprint } from "../fingerprint";
import { traceIdOf } from "../tracing";

type Queryable = Pick<pg.Pool | pg.PoolClient, "query">;

export type DeadLetterInput = {
  consumer: string;
  /** The job's data as delivered (an envelope, or whatever arrived when it was not one). */
  delivered: unknown;
  error: Error;
  attempts: number;
  firstFailedAt: Date;
  unrecoverable: boolean;
};

function envelopeFields(delivered: unknown) {
  const env = (delivered as { envelope?: Record<string, unknown> } | undefined)?.envelope;
  const str = (v: unknown) => (typeof v === "string" ? v : undefined);
  const eventId = str(env?.eventId);
  return {
    eventId: eventId && /^[0-9a-f-]{36}$/i.test(eventId) ? eventId : randomUUID(),
    eventType: str(env?.eventType) ?? "(unknown)",
    aggregateId: str(env?.aggregateId) ?? "(unknown)",
    traceId: traceIdOf(str(env?.traceparent)),
    envelope: env ?? { raw: delivered },
  };
}

/**
 * Stores a message its consumer gave up on, with the payload, error, stack, attempts, first/last
 * failure times and trace id. A message that fails again after a replay updates its row (back to
 * `dead`) and gets a `failed-again` entry in its audit trail.
 */
export async function recordDeadLetter(db: Queryable, input: DeadLetterInput): Promise<string> {
  const f = envelopeFields(input.delivered);
  const errorType = input.error.name || "Error";
  const res = await db.query<{ id: string; was: string | null }>(
    `WITH prior AS (SELECT id, status FROM messaging.dead_letters WHERE consumer = $1 AND event_id = $2)
     INSERT INTO messaging.dead_letters
       (id, consumer, event_id, event_type, aggregate_id, envelope, error_type, error_message, stack, fingerprint,
        unrecoverable, attempts, first_failed_at, last_failed_at, trace_id, status, updated_at)
     VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, now(), $13, 'dead', now())
     ON CONFLICT (consumer, event_id) DO UPDATE
       SET error_type = EXCLUDED.error_type, error_message = EXCLUDED.error_message, stack = EXCLUDED.stack,
           fingerprint = EXCLUDED.fingerprint, unrecoverable = EXCLUDED.unrecoverable,
           attempts = messaging.dead_letters.attempts + EXCLUDED.attempts,
           last_failed_at = now(), status = 'dead', updated_at = now()
     RETURNING id, (SELECT status FROM prior) AS was`,
    [
      input.consumer,
      f.eventId,
      f.eventType,
      f.aggregateId,
      JSON.stringify(f.envelope),
      errorType,
      input.error.message.slice(0, 4000),
      input.error.stack?.slice(0, 16000) ?? null,
      errorFingerprint(input.consumer, errorType, input.error.message),
      input.unrecoverable,
      input.attempts,
      input.firstFailedAt.toISOString(),
      f.traceId ?? null,
    ],
  );
  const row = res.rows[0]!;
  if (row.was) {
    await db.query(
      `INSERT INTO messaging.dead_letter_actions (id, dead_letter_id, action, actor, details)
       VALUES (gen_random_uuid(), $1, 'failed-again', 'system', $2)`,
      [row.id, JSON.stringify({ error: `${errorType}: ${input.error.message.slice(0, 500)}`, previousStatus: row.was })],
    );
  }
  return row.id;
}
