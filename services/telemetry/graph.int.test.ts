import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "@/tests/helpers/test-app";
import { serviceGraph } from "./graph";
import { newSpanId, newTraceId, sendSpans, type SpanSpec } from "./query-fixtures";
import { createTraceReceiver, type TraceReceiver } from "./receiver";

/** Service-graph edges from spans stored through the real ingest path. */

let app: TestApp;
let receiver: TraceReceiver;
const T = Date.now() - 30 * 60_000;
const range = { from: new Date(T - 60_000), to: new Date(T + 10 * 60_000) };

beforeAll(async () => {
  app = await createTestApp();
  receiver = createTraceReceiver({ pool: app.pool, settings: app.config.telemetry });
});

afterAll(async () => {
  await receiver.close();
  await app.cleanup();
});

/** A CLIENT span in `from` and its SERVER child in `to`. */
function call(from: string, to: string, clientMs: number, serverError = false): SpanSpec[] {
  const traceId = newTraceId();
  const client: SpanSpec = { service: from, name: `call ${to}`, kind: 3, startMs: T, durationMs: clientMs, traceId, spanId: newSpanId() };
  const server: SpanSpec = { service: to, name: "handle", kind: 2, startMs: T + 1, durationMs: clientMs - 2, traceId, parentSpanId: client.spanId!, status: serverError ? 2 : 0 };
  return [client, server];
}

describe("serviceGraph", () => {
  it("names messaging edges by the Templator service a span runs for (switchyard.service), not its process", async () => {
    const traceId = newTraceId();
    const create: SpanSpec = {
      service: "switchyard-web", name: "create templator.events.v1.templates.TemplateUpdated", kind: 4, startMs: T, durationMs: 1, traceId, spanId: newSpanId(),
      attributes: { "messaging.system": "switchyard.outbox", "messaging.destination.name": "templator.events.v1.templates.TemplateUpdated", "switchyard.service": "templates" },
    };
    await sendSpans(receiver, [
      create,
      {
        service: "switchyard-worker", name: "process templator.events.v1.templates.TemplateUpdated", kind: 5, startMs: T + 30, durationMs: 4, traceId, parentSpanId: create.spanId!,
        links: [{ traceId, spanId: create.spanId! }],
        attributes: { "messaging.system": "bullmq", "messaging.destination.name": "consumer.analytics.event-feed", "switchyard.service": "analytics" },
      },
    ]);
    const graph = await serviceGraph(app.pool, range);
    const edge = (source: string, target: string, type: string) => graph.edges.find((e) => e.source === source && e.target === target && e.type === type);
    expect(edge("templates", "analytics", "producer_consumer")).toMatchObject({ calls: 1 });
    expect(edge("templates", "switchyard.outbox:templator.events.v1.templates.TemplateUpdated", "messaging")).toMatchObject({ calls: 1 });
    expect(edge("bullmq:consumer.analytics.event-feed", "analytics", "messaging")).toMatchObject({ calls: 1 });
    expect(edge("switchyard-web", "switchyard-worker", "producer_consumer")).toBeUndefined();
  });

  it("pairs client->server, producer->consumer (parent or link, once), database and broker edges", async () => {
    const produced: SpanSpec = {
      service: "checkout", name: "orders publish", kind: 4, startMs: T, durationMs: 2, traceId: newTraceId(), spanId: newSpanId(),
      attributes: { "messaging.system": "kafka", "messaging.destination.name": "orders" },
    };
    const produced2: SpanSpec = { ...produced, traceId: newTraceId(), spanId: newSpanId(), startMs: T + 1000 };
    const messaging = { "messaging.system": "kafka", "messaging.destination.name": "orders" };
    await sendSpans(receiver, [
      ...call("frontend", "checkout", 100),
      ...call("frontend", "checkout", 200, true),
      ...call("frontend", "checkout", 300),
      // Same-service client/server is no edge.
      ...call("checkout", "checkout", 50),
      { service: "checkout", name: "SELECT cart", kind: 3, startMs: T, durationMs: 4, attributes: { "db.system.name": "postgresql" } },
      { service: "checkout", name: "SELECT cart", kind: 3, startMs: T, durationMs: 6, attributes: { "db.system": "postgresql" }, status: 2 },
      produced,
      produced2,
      // A batch consumer in its own trace, linked to both messages (starts 10 ms after the first ended).
      { service: "shipping", name: "orders process", kind: 5, startMs: T + 12, durationMs: 5, links: [{ traceId: produced.traceId!, spanId: produced.spanId! }, { traceId: produced2.traceId!, spanId: produced2.spanId! }], attributes: messaging },
      // A consumer that is both the child of and linked to the same producer: one pair.
      { service: "billing", name: "orders process", kind: 5, startMs: T + 1022, durationMs: 5, traceId: produced2.traceId!, parentSpanId: produced2.spanId!, links: [{ traceId: produced2.traceId!, spanId: produced2.spanId! }] },
    ]);
    const graph = await serviceGraph(app.pool, range);
    const edge = (source: string, target: string, type: string) => graph.edges.find((e) => e.source === source && e.target === target && e.type === type);

    expect(edge("frontend", "checkout", "client_server")).toMatchObject({ calls: 3, errors: 1, p50Ms: 200, p95Ms: 290 });
    expect(edge("checkout", "checkout", "client_server")).toBeUndefined();
    expect(edge("checkout", "db:postgresql", "database")).toMatchObject({ calls: 2, errors: 1, p50Ms: 5 });
    expect(edge("checkout", "shipping", "producer_consumer")).toMatchObject({ calls: 2, errors: 0 });
    expect(edge("checkout", "billing", "producer_consumer")).toMatchObject({ calls: 1 });
    expect(edge("checkout", "shipping", "producer_consumer")!.p50Ms).toBeCloseTo((10 + 0) / 2, 6); // 10 ms, and 0 (consumed before the 2nd ended)
    expect(edge("checkout", "kafka:orders", "messaging")).toMatchObject({ calls: 2 });
    expect(edge("kafka:orders", "shipping", "messaging")).toMatchObject({ calls: 1 });
    expect(graph.nodes).toEqual(
      expect.arrayContaining([
        { id: "db:postgresql", type: "database" },
        { id: "kafka:orders", type: "broker" },
        { id: "frontend", type: "service" },
        { id: "shipping", type: "service" },
      ]),
    );
  });

  it("pairs a late span at query time", async () => {
    const [client, server] = call("gateway", "search", 40);
    await sendSpans(receiver, [client!]);
    expect((await serviceGraph(app.pool, range)).edges.some((e) => e.source === "gateway")).toBe(false);
    await sendSpans(receiver, [server!]);
    const graph = await serviceGraph(app.pool, range);
    expect(graph.edges.find((e) => e.source === "gateway" && e.target === "search")).toMatchObject({ calls: 1, p50Ms: 40 });
  });
});
