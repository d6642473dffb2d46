import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { ExportResultCode } from "@opentelemetry/core";
import { OTLPTraceExporter as JsonExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as ProtoExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor, type SpanExporter } from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "@/tests/helpers/test-app";
import { createTelemetryDb } from "./db";
import { type ReceiverServer, serveReceiver } from "./node-http";
import { createTraceReceiver, type TraceReceiver } from "./receiver";
import { getTrace, type StoredSpan } from "./store";

/**
 * The official OpenTelemetry JS exporters (OTLP/HTTP JSON and protobuf, gzip on) send real SDK spans to
 * the receiver over HTTP; what is stored must be what was sent.
 */

let app: TestApp;
let receiver: TraceReceiver;
let server: ReceiverServer;
const seen: { contentType?: string; contentEncoding?: string }[] = [];

beforeAll(async () => {
  app = await createTestApp();
  receiver = createTraceReceiver({ pool: app.pool, settings: app.config.telemetry, log: app.log });
  // Record what the exporters actually sent (encoding, compression) on the way in.
  server = await serveReceiver({
    ...receiver,
    receive: (headers, body) => {
      const h = headers as Record<string, string | undefined>;
      seen.push({ contentType: h["content-type"], contentEncoding: h["content-encoding"] });
      return receiver.receive(headers, body);
    },
  });
});

afterAll(async () => {
  await server.close();
  await receiver.close();
  await app.cleanup();
});

type Sent = { traceId: string; spans: ReadableSpan[] };

/** A request through a gateway: server span -> client span (event, error) -> producer; a consumer linked to the producer. */
function recordTrace(service: string): Sent {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": service, "service.version": "9.9.9", "deployment.environment.name": "conformance", "host.cores": 2 }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer("conformance-suite", "3.1.4");
  const server = tracer.startSpan("GET /templates/:id", {
    kind: SpanKind.SERVER,
    attributes: {
      "http.request.method": "GET",
      "http.route": "/templates/:id",
      "http.response.status_code": 200,
      "server.port": 3000,
      "sample.ratio": 0.125,
      "cache.hit": false,
      "feature.flags": ["a", "b"],
      "retry.delays": [10, 20, 40],
    },
  });
  const inServer = trace.setSpan(ROOT_CONTEXT, server);
  const client = tracer.startSpan("SELECT templates", { kind: SpanKind.CLIENT, attributes: { "db.system.name": "postgresql", "peer.service": "postgres" } }, inServer);
  client.addEvent("exception", { "exception.type": "DeadlockError", "exception.message": "deadlock detected", "retry.attempt": 2 });
  client.setStatus({ code: SpanStatusCode.ERROR, message: "deadlock detected" });
  client.end();
  const producer = tracer.startSpan("send outbox.templates", { kind: SpanKind.PRODUCER, attributes: { "messaging.system": "bullmq", "messaging.destination.name": "consumer.analytics" } }, inServer);
  producer.end();
  const consumer = tracer.startSpan("process TemplateUpdated", {
    kind: SpanKind.CONSUMER,
    links: [{ context: producer.spanContext(), attributes: { "messaging.operation.type": "send", "link.weight": 1.5 } }],
  }, inServer);
  consumer.setStatus({ code: SpanStatusCode.OK });
  consumer.end();
  server.end();
  const spans = memory.getFinishedSpans();
  // The SDK's API only takes primitive (array) values; OTLP also carries kvlists and bytes, which other
  // SDKs send: add them to the finished span before the official exporter serializes it.
  Object.assign(spans.find((s) => s.kind === SpanKind.SERVER)!.attributes, {
    "request.meta": { region: "eu-west-1", shard: 7, tags: ["x"] },
    "request.digest": new Uint8Array([0xde, 0xad, 0xbe, 0xef]),
  });
  return { traceId: server.spanContext().traceId, spans };
}

function exportWith(exporter: SpanExporter, spans: ReadableSpan[]): Promise<void> {
  return new Promise((resolve, reject) =>
    exporter.export(spans, (result) => (result.code === ExportResultCode.SUCCESS ? resolve() : reject(result.error ?? new Error("export failed")))),
  );
}

const exporters: [string, (url: string) => SpanExporter, string][] = [
  ["OTLP/HTTP JSON (@opentelemetry/exporter-trace-otlp-http)", (url) => new JsonExporter({ url, compression: "gzip" as never }), "application/json"],
  ["OTLP/HTTP protobuf (@opentelemetry/exporter-trace-otlp-proto)", (url) => new ProtoExporter({ url, compression: "gzip" as never }), "application/x-protobuf"],
];

describe.each(exporters)("%s, gzip", (_name, makeExporter, contentType) => {
  let sent: Sent;
  let stored: StoredSpan[];

  beforeAll(async () => {
    const exporter = makeExporter(`${server.url}/v1/traces`);
    sent = recordTrace(`conformance-${contentType.split("/")[1]}`);
    seen.length = 0;
    await exportWith(exporter, sent.spans);
    await exporter.shutdown();
    stored = await getTrace(app.pool, sent.traceId);
  });

  const byKind = (kind: SpanKind) => stored.find((s) => s.kind === kind + 1)!; // OTLP kind = API kind + 1

  it("arrives in the exporter's encoding, gzip-compressed, and every span is stored once", () => {
    expect(seen).toEqual([{ contentType, contentEncoding: "gzip" }]);
    expect(stored.map((s) => s.spanId).sort()).toEqual(sent.spans.map((s) => s.spanContext().spanId).sort());
  });

  it("keeps parentage, span kind and names", () => {
    const root = byKind(SpanKind.SERVER);
    expect(root.parentSpanId).toBeNull();
    for (const kind of [SpanKind.CLIENT, SpanKind.PRODUCER, SpanKind.CONSUMER]) expect(byKind(kind).parentSpanId).toBe(root.spanId);
    expect(stored.map((s) => [s.kind, s.name]).sort()).toEqual([
      [2, "GET /templates/:id"],
      [3, "SELECT templates"],
      [4, "send outbox.templates"],
      [5, "process TemplateUpdated"],
    ]);
    expect(root).toMatchObject({ scopeName: "conformance-suite", scopeVersion: "3.1.4", flags: expect.any(Number) });
  });

  it("keeps times to the microsecond and durations to the nanosecond", () => {
    for (const s of sent.spans) {
      const row = stored.find((r) => r.spanId === s.spanContext().spanId)!;
      expect(row.startTime.getTime()).toBe(s.startTime[0] * 1000 + Math.floor(s.startTime[1] / 1e6));
      expect(Number(row.durationNs)).toBe((s.endTime[0] - s.startTime[0]) * 1e9 + (s.endTime[1] - s.startTime[1]));
    }
  });

  it("keeps attributes of every type, the resource, and promotes the searched ones", () => {
    const root = byKind(SpanKind.SERVER);
    expect(root.attributes).toEqual({
      "http.request.method": "GET",
      "http.route": "/templates/:id",
      "http.response.status_code": 200,
      "server.port": 3000,
      "sample.ratio": 0.125,
      "cache.hit": false,
      "feature.flags": ["a", "b"],
      "retry.delays": [10, 20, 40],
      "request.meta": { region: "eu-west-1", shard: 7, tags: ["x"] },
      "request.digest": Buffer.from([0xde, 0xad, 0xbe, 0xef]).toString("base64"),
    });
    expect(root).toMatchObject({ httpRoute: "/templates/:id", httpMethod: "GET", httpStatusCode: 200, serviceName: `conformance-${contentType.split("/")[1]}` });
    expect(byKind(SpanKind.CLIENT)).toMatchObject({ dbSystem: "postgresql", peerService: "postgres" });
    expect(byKind(SpanKind.PRODUCER)).toMatchObject({ messagingSystem: "bullmq", messagingDestination: "consumer.analytics" });
    expect(root.resourceAttributes).toMatchObject({ "service.name": root.serviceName, "service.version": "9.9.9", "deployment.environment.name": "conformance", "host.cores": 2 });
  });

  it("keeps events, links with their attributes, and status", () => {
    const client = byKind(SpanKind.CLIENT);
    expect(client).toMatchObject({ statusCode: 2, statusMessage: "deadlock detected" });
    const event = sent.spans.find((s) => s.kind === SpanKind.CLIENT)!.events[0]!;
    expect(client.events).toEqual([
      {
        name: "exception",
        timeUnixNano: String(BigInt(event.time[0]) * 1_000_000_000n + BigInt(event.time[1])),
        attributes: { "exception.type": "DeadlockError", "exception.message": "deadlock detected", "retry.attempt": 2 },
      },
    ]);
    const producer = byKind(SpanKind.PRODUCER);
    expect(byKind(SpanKind.CONSUMER).links).toEqual([
      { traceId: producer.traceId, spanId: producer.spanId, flags: expect.any(Number), attributes: { "messaging.operation.type": "send", "link.weight": 1.5 } },
    ]);
    expect(byKind(SpanKind.CONSUMER).statusCode).toBe(1);
    expect(byKind(SpanKind.SERVER)).toMatchObject({ statusCode: 0, events: null, links: null });
  });

  it("reads back through the telemetry Prisma client too (the model matches the table)", async () => {
    const db = createTelemetryDb(app.pool);
    const rows = await db.span.findMany({ where: { traceId: Buffer.from(sent.traceId, "hex") } });
    expect(rows).toHaveLength(4);
    const root = rows.find((r) => r.kind === 2)!;
    expect(root).toMatchObject({ name: "GET /templates/:id", httpRoute: "/templates/:id", parentSpanId: null });
    const resource = await db.resource.findUnique({ where: { id: Buffer.from(root.resourceId) } });
    expect(resource?.serviceName).toBe(root.serviceName);
    await db.$disconnect();
  });

  it("finds spans by attribute through the GIN index", async () => {
    await app.pool.query("SET enable_seqscan = off");
    const plan = await app.pool.query(`EXPLAIN SELECT span_id FROM telemetry.spans WHERE attributes @> '{"http.route": "/templates/:id"}'`);
    expect(plan.rows.map((r) => r["QUERY PLAN"]).join("\n")).toMatch(/spans_attributes_idx|Bitmap Index Scan/);
    await app.pool.query("RESET enable_seqscan");
    const found = await app.pool.query(`SELECT encode(span_id, 'hex') AS id FROM telemetry.spans WHERE attributes @> '{"db.system.name": "postgresql"}' AND trace_id = decode($1, 'hex')`, [sent.traceId]);
    expect(found.rows.map((r) => r.id)).toEqual([byKind(SpanKind.CLIENT).spanId]);
  });
});
