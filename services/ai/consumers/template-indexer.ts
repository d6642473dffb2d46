import { type Envelope } from "@/server/messaging/envelope";
import { defineConsumer } from "@/server/messaging/registry";
import { templateEvents } from "@/services/templates/events";
import { lookupsFor } from "../lookups";
import { clearIndex, indexDocument, indexedVersion } from "../rag/store";
import type { Tx } from "../runs";
import { consumerApp } from "./app";

const subscribed = [templateEvents.TemplateUpdated, templateEvents.TemplatePublished, templateEvents.TemplateDeprecated];

/**
 * ai.template-indexer: keeps a template's passages in the retrieval index current. On any template
 * event newer than what is indexed, it reads the template's current version through
 * `templates.get` and re-indexes it; a deprecated template (or one that no longer exists) leaves
 * retrieval. Events at or below the indexed version are stale and change nothing.
 */
export const templateIndexerConsumer = defineConsumer<Tx>({
  name: "ai.template-indexer",
  service: "ai",
  eventTypes: subscribed.map((e) => e.type),
  payloads: Object.fromEntries(subscribed.map((e) => [e.type, e.payload])),
  // Each delivery holds its transaction while it calls the templates service: one at a time keeps
  // the pool from being filled by transactions that each wait for a second connection.
  concurrency: 1,
  async handle(ctx) {
    const { tx, envelope, log } = ctx;
    const { templateId } = envelope.payload as { templateId: string };
    if (envelope.aggregateVersion <= (await indexedVersion(tx, "template", templateId))) {
      log.debug({ templateId, version: envelope.aggregateVersion }, "stale template event ignored");
      return;
    }
    const t = await lookupsFor(consumerApp(ctx), correlationOf(envelope)).template(templateId);
    const outcome = await indexDocument(tx, {
      sourceType: "template",
      sourceId: templateId,
      title: t?.title ?? (envelope.payload as { title: string }).title,
      // The current state is indexed, so it counts as the version read (never below the event's).
      version: Math.max(envelope.aggregateVersion, t?.revision ?? 0),
      text: t ? [t.title, t.description, t.body].filter(Boolean).join("\n\n") : null,
      remove: !t || t.status === "deprecated",
    });
    log.debug({ templateId, outcome }, "template indexed");
  },
  async reset(tx) {
    await clearIndex(tx, "template");
  },
});

/** The correlation id a consumer carries on: the event's, or the event itself as the start of a chain. */
export const correlationOf = (e: Envelope) => e.correlationId ?? e.eventId;
