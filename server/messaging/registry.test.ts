import { describe, expect, it } from "vitest";
import { serviceOfEventType, toEnvelope } from "./envelope";
import { buildSubscriptions, consumerQueue, defineConsumer } from "./registry";

const consumer = (name: string, eventTypes: string[]) =>
  defineConsumer({ name, service: "analytics", eventTypes, handle: async () => {} });

describe("subscriptions", () => {
  it("fan out an event type to every consumer that declares it, each with its own queue", () => {
    const subs = buildSubscriptions({
      consumers: [consumer("analytics.usage", ["templator.events.v1.ai.PromptRunRecorded"]), consumer("ai.index", ["templator.events.v1.ai.PromptRunRecorded", "templator.events.v1.assets.AssetUploaded"])],
    });
    expect(subs.subscribers("templator.events.v1.ai.PromptRunRecorded").map((c) => c.name)).toEqual(["analytics.usage", "ai.index"]);
    expect(subs.subscribers("templator.events.v1.templates.TemplatePublished")).toEqual([]);
    expect(consumerQueue("ai.index")).toBe("consumer.ai.index");
  });

  it("refuse duplicate and malformed consumer names", () => {
    expect(() => buildSubscriptions({ consumers: [consumer("a.b", []), consumer("a.b", [])] })).toThrow(/declared twice/);
    expect(() => buildSubscriptions({ consumers: [consumer("NoDot", [])] })).toThrow(/<service>\.<purpose>/);
  });
});

describe("envelopes", () => {
  it("fill in id, version and time, and carry the trace", () => {
    const e = toEnvelope("ai", { eventType: "templator.events.v1.ai.PromptRunRecorded", aggregateId: "run-1", aggregateVersion: 2, payload: { a: 1 } }, "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    expect(e).toMatchObject({ version: 1, aggregateVersion: 2, traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" });
    expect(e.eventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Date(e.occurredAt).getTime()).toBeGreaterThan(Date.now() - 5000);
  });

  it("refuse another service's event type and malformed names", () => {
    expect(() => toEnvelope("ai", { eventType: "templator.events.v1.templates.TemplatePublished", aggregateId: "t", aggregateVersion: 1, payload: {} }, undefined)).toThrow(/belongs to "templates"/);
    expect(() => toEnvelope("ai", { eventType: "ai.PromptRun", aggregateId: "t", aggregateVersion: 1, payload: {} }, undefined)).toThrow(/is not templator\.events/);
    expect(serviceOfEventType("templator.events.v2.assets.AssetUploaded")).toBe("assets");
  });
});
