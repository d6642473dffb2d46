import { randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import { MatchersV3, PactV4 } from "@pact-foundation/pact";
import { afterAll, describe, expect, it } from "vitest";
import { payloadProblem } from "@/server/messaging/consumer";
import type { Envelope } from "@/server/messaging/envelope";
import { foldEvents } from "@/services/analytics/metrics/fold";
import { templateEvents } from "@/services/templates/events";
import { messagingRegistry } from "@/workers/consumers";
import { compareWithCommitted, freshPactDir } from "./support";

// Pact's native core may otherwise report usage over the network (docs: PACT_DO_NOT_TRACK).
process.env.PACT_DO_NOT_TRACK = "true";

const { integer, like, uuid } = MatchersV3;
const PUBLISHED = templateEvents.TemplatePublished;
const dir = freshPactDir();

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The envelope the messaging runtime would deliver around a message's content. */
function envelopeOf(payload: Record<string, unknown>): Envelope {
  return {
    eventId: randomUUID(),
    eventType: PUBLISHED.type,
    version: PUBLISHED.version,
    aggregateId: String(payload.templateId),
    aggregateVersion: 3,
    occurredAt: "2026-11-24T10:00:00.000Z",
    payload,
  };
}

/**
 * analytics (consumer) <- templates (provider), a message pact: the TemplatePublished event as
 * analytics reads it. The message goes through exactly the check the consumer runtime makes before
 * any analytics consumer applies it (the published schema, then the consumer's own), and through the
 * metrics fold that uses it. Verified against templates' real event definition and producer code in
 * contract-flow.int.test.ts.
 */
describe("analytics' pact with templates (message consumer side)", () => {
  const pact = new PactV4({ consumer: "analytics", provider: "templates", dir, logLevel: "warn" });
  const readers = messagingRegistry.consumers.filter((c) => c.service === "analytics" && c.eventTypes.includes(PUBLISHED.type));

  it("handles a TemplatePublished event with the consumers that read it", async () => {
    expect(readers.map((c) => c.name).sort()).toEqual(["analytics.event-feed", "analytics.metrics"]);
    await pact
      .addAsynchronousInteraction()
      .given("a template was published")
      .expectsToReceive("a TemplatePublished event", (b) => {
        b.withMetadata({ eventType: PUBLISHED.type, version: String(PUBLISHED.version) });
        b.withJSONContent({
          templateId: uuid("3f2b5c9e-8d1a-4f6b-9c2e-7a4d1e0b5f63"),
          version: integer(2),
          title: like("Incident postmortem"),
          publishedBy: like("user-7"),
        });
      })
      .executeTest(async (message) => {
        const envelope = envelopeOf(message.contents.content as Record<string, unknown>);
        for (const consumer of readers) expect(payloadProblem(consumer, envelope), consumer.name).toBeUndefined();
        const folded = foldEvents([envelope]);
        expect(folded.subjects).toContainEqual(expect.objectContaining({ subjectType: "template", subjectId: "3f2b5c9e-8d1a-4f6b-9c2e-7a4d1e0b5f63", name: "Incident postmortem", status: "published" }));
      });
  });

  it("the consumer runtime's check would turn a message without a title into a dead letter (the pact is not vacuous)", () => {
    const problem = payloadProblem(readers[0]!, envelopeOf({ templateId: randomUUID(), version: 2, publishedBy: "user-7" }));
    expect(problem).toMatch(/^invalid templator\.events\.v1\.templates\.TemplatePublished payload: title: /);
  });

  it("the pact it writes is the one committed in contracts/pacts/", () => {
    expect(compareWithCommitted(dir, "analytics-templates.json", process.env.UPDATE_PACTS === "1")).toBe("");
  });
});
