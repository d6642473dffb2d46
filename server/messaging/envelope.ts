import { randomUUID } from "node:crypto";
import { z } from "zod";
import { type DOMAIN_SCHEMAS } from "../db/schemas";

/**
 * The envelope every domain event travels in (ARCHITECTURE.md, "How a domain event travels").
 * Event types are `templator.events.v1.<service>.<EventName>`.
 */
export const EVENT_TYPE = /^templator\.events\.v(\d+)\.([a-z]+)\.([A-Z][A-Za-z0-9]+)$/;

export type ServiceName = (typeof DOMAIN_SCHEMAS)[number];

export const Envelope = z.object({
  eventId: z.string().uuid(),
  eventType: z.string().regex(EVENT_TYPE, "must be templator.events.v<major>.<service>.<EventName>"),
  version: z.number().int().min(1),
  aggregateId: z.string().min(1).max(200),
  aggregateVersion: z.number().int().min(0),
  occurredAt: z.string().datetime({ offset: true }),
  payload: z.record(z.string(), z.unknown()),
  traceparent: z.string().optional(),
  correlationId: z.string().max(200).optional(),
});
export type Envelope = z.infer<typeof Envelope>;

/** What a service hands to the outbox; the rest of the envelope is filled in. */
export type NewEvent = {
  eventType: string;
  version?: number;
  aggregateId: string;
  aggregateVersion: number;
  payload: Record<string, unknown>;
  correlationId?: string;
  /** Defaults to now. */
  occurredAt?: Date;
  /** Defaults to a new UUID. */
  eventId?: string;
};

/** The service that owns an event type (`templator.events.v1.ai.PromptRunRecorded` -> `ai`). */
export function serviceOfEventType(eventType: string): string | undefined {
  return EVENT_TYPE.exec(eventType)?.[2];
}

/** Fills in ids and times, and checks the event type belongs to `service`. */
export function toEnvelope(service: ServiceName, e: NewEvent, traceparent: string | undefined): Envelope {
  const owner = serviceOfEventType(e.eventType);
  if (owner === undefined) throw new Error(`event type "${e.eventType}" is not templator.events.v<major>.<service>.<EventName>`);
  if (owner !== service) throw new Error(`service "${service}" cannot emit "${e.eventType}" (it belongs to "${owner}")`);
  return Envelope.parse({
    eventId: e.eventId ?? randomUUID(),
    eventType: e.eventType,
    version: e.version ?? 1,
    aggregateId: e.aggregateId,
    aggregateVersion: e.aggregateVersion,
    occurredAt: (e.occurredAt ?? new Date()).toISOString(),
    payload: e.payload,
    ...(traceparent ? { traceparent } : {}),
    ...(e.correlationId ? { correlationId: e.correlationId } : {}),
  });
}
