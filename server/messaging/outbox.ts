import { SpanKind } from "@opentelemetry/api";
import { toEnvelope, type Envelope, type NewEvent, type ServiceName } from "./envelope";
import { type SqlTx, validateNewEvent } from "./registry";
import { currentTraceparent, tracer } from "./tracing";

/** The channel the dispatchers LISTEN on; the payload names the service whose outbox has news. */
export const OUTBOX_CHANNEL = "switchyard_outbox";

/**
 * Writes events to `service`'s outbox inside the caller's transaction — the same one that changes the
 * aggregate — so the change and its events commit or roll back together. Each event gets a producer
 * span ("create"), whose context travels in the envelope's traceparent. Dispatchers are woken at commit.
 * Each payload is first checked against its event type's registered schema (server/messaging/registry.ts):
 * an invalid one throws EventSchemaError (naming type, schema version and JSON paths) and nothing is written.
 */
export async function appendToOutbox(tx: SqlTx, service: ServiceName, events: NewEvent[]): Promise<Envelope[]> {
  if (events.length === 0) return [];
  const checked = events.map((e) => ({ ...e, ...validateNewEvent(e.eventType, e.version, e.payload) }));
  const envelopes = checked.map((e) =>
    tracer.startActiveSpan(
      `create ${e.eventType}`,
      {
        kind: SpanKind.PRODUCER,
        attributes: {
          "messaging.system": "switchyard.outbox",
          "messaging.operation.type": "create",
          "messaging.operation.name": "create",
          "messaging.destination.name": e.eventType,
          "switchyard.service": service,
          "switchyard.aggregate.id": e.aggregateId,
        },
      },
      (span) => {
        try {
          const env = toEnvelope(service, e, currentTraceparent());
          span.setAttribute("messaging.message.id", env.eventId);
          return env;
        } finally {
          span.end();
        }
      },
    ),
  );
  // The NOTIFY goes in the same statement (one round trip fewer per producing transaction); it is
  // delivered when the transaction commits, and nothing is announced if it rolls back.
  await tx.$executeRawUnsafe(
    `WITH written AS (
       INSERT INTO "${service}".outbox
         (id, aggregate_id, aggregate_version, event_type, version, payload, traceparent, correlation_id, occurred_at)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::int[], $6::jsonb[], $7::text[], $8::text[], $9::timestamptz[])
       RETURNING 1)
     SELECT pg_notify($10, $11) WHERE EXISTS (SELECT 1 FROM written)`,
    envelopes.map((e) => e.eventId),
    envelopes.map((e) => e.aggregateId),
    envelopes.map((e) => e.aggregateVersion),
    envelopes.map((e) => e.eventType),
    envelopes.map((e) => e.version),
    envelopes.map((e) => JSON.stringify(e.payload)),
    envelopes.map((e) => e.traceparent ?? null),
    envelopes.map((e) => e.correlationId ?? null),
    envelopes.map((e) => e.occurredAt),
    OUTBOX_CHANNEL,
    service,
  );
  return envelopes;
}

/**
 * One call for a service's change and its events: runs `fn` in a transaction on the service's client;
 * events passed to `emit` are written to the outbox in that same transaction, just before it commits.
 */
export async function transactWithEvents<Tx extends SqlTx, T>(
  client: { $transaction<R>(fn: (tx: Tx) => Promise<R>, opts?: { timeout?: number }): Promise<R> },
  service: ServiceName,
  fn: (tx: Tx, emit: (...events: NewEvent[]) => void) => Promise<T>,
): Promise<{ result: T; events: Envelope[] }> {
  return client.$transaction(async (tx) => {
    const pending: NewEvent[] = [];
    const result = await fn(tx, (...events) => pending.push(...events));
    const events = await appendToOutbox(tx, service, pending);
    return { result, events };
  });
}
