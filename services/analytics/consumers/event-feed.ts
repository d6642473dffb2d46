import { defineConsumer } from "@/server/messaging/registry";
import { type Envelope, serviceOfEventType } from "@/server/messaging/envelope";
import { traceIdOf } from "@/server/messaging/tracing";
import { domainEvents } from "@/services/events";
import type { AnalyticsDb } from "../db";

type Tx = Parameters<Parameters<AnalyticsDb["$transaction"]>[0]>[0];

function entry(envelope: Envelope) {
  return {
    eventId: envelope.eventId,
    eventType: envelope.eventType,
    service: serviceOfEventType(envelope.eventType) ?? "unknown",
    aggregateId: envelope.aggregateId,
    aggregateVersion: envelope.aggregateVersion,
    occurredAt: new Date(envelope.occurredAt),
    correlationId: envelope.correlationId ?? null,
    traceId: traceIdOf(envelope.traceparent) ?? null,
    payload: envelope.payload as object,
  };
}

/**
 * analytics.event-feed: every domain event, validated against its payload schema, into the event feed
 * read model (`analytics.event_feed`, served as `/events`). An event whose payload breaks its schema
 * becomes a dead letter at once.
 */
export const eventFeedConsumer = defineConsumer<Tx>({
  name: "analytics.event-feed",
  service: "analytics",
  eventTypes: domainEvents.map((e) => e.type),
  payloads: Object.fromEntries(domainEvents.map((e) => [e.type, e.payload])),
  attempts: 5,
  async handle({ tx, envelope }) {
    await tx.eventFeedEntry.createMany({ data: [entry(envelope)], skipDuplicates: true });
  },
  async handleBatch({ tx, deliveries }) {
    await tx.eventFeedEntry.createMany({ data: deliveries.map((d) => entry(d.envelope)), skipDuplicates: true });
  },
  async reset(tx) {
    await tx.eventFeedEntry.deleteMany({});
  },
});
