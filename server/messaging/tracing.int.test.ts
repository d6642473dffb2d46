import { randomUUID } from "node:crypto";
import { context, SpanKind, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createEffectTables, effectConsumer, effects, TEMPLATE_UPDATED } from "@/tests/helpers/messaging";
import { createTestApp, eventually, type TestApp } from "@/tests/helpers/test-app";
import { appendToOutbox } from "./outbox";
import { type MessagingRuntime, startMessaging } from "./runtime";

const spans = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
const consumer = effectConsumer("analytics.trace-test");
let app: TestApp;
let runtime: MessagingRuntime;

beforeAll(async () => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(provider);
  app = await createTestApp({ env: { OUTBOX_POLL_MS: "100" } });
  await createEffectTables(app);
  runtime = await startMessaging(app, { consumers: [consumer] }, { sweep: false });
});

afterAll(async () => {
  await runtime.stop();
  await app.cleanup();
  await provider.shutdown();
  trace.disable();
  context.disable();
});

it("traces an event: a producer span at write, a publish span linked to it, and a consumer span in the same trace, linked", async () => {
  const tracer = trace.getTracer("test");
  // Stands for the gateway's request span.
  const [env] = await tracer.startActiveSpan("POST /api/trpc/templates.update", async (request) => {
    try {
      return await app.db.templates.$transaction((tx) =>
        appendToOutbox(tx as never, "templates", [{ eventType: TEMPLATE_UPDATED, aggregateId: randomUUID(), aggregateVersion: 1, payload: { title: "traced" } }]),
      );
    } finally {
      request.end();
    }
  });
  await eventually(async () => (await effects(app, consumer.name)).some((e) => e.event_id === env!.eventId), 10_000, "the effect");
  const finished = await eventually(async () => {
    const all = spans.getFinishedSpans();
    return all.some((s) => s.name === `process ${TEMPLATE_UPDATED}`) ? all : undefined;
  }, 5000, "the consumer span");

  const request = finished.find((s) => s.name === "POST /api/trpc/templates.update")!;
  const create = finished.find((s) => s.name === `create ${TEMPLATE_UPDATED}`)!;
  const send = finished.find((s) => s.name === "send outbox.templates" && s.links.some((l) => l.context.spanId === create.spanContext().spanId))!;
  const processSpan = finished.find((s) => s.name === `process ${TEMPLATE_UPDATED}` && s.attributes["messaging.message.id"] === env!.eventId)!;

  expect(create.kind).toBe(SpanKind.PRODUCER);
  expect(create.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
  expect(create.attributes).toMatchObject({ "messaging.operation.type": "create", "messaging.destination.name": TEMPLATE_UPDATED, "messaging.message.id": env!.eventId });
  expect(env!.traceparent).toBe(`00-${create.spanContext().traceId}-${create.spanContext().spanId}-01`);

  expect(send.kind).toBe(SpanKind.PRODUCER);
  expect(send.attributes).toMatchObject({ "messaging.system": "bullmq", "messaging.operation.type": "send" });

  expect(processSpan.kind).toBe(SpanKind.CONSUMER);
  expect(processSpan.spanContext().traceId).toBe(request.spanContext().traceId);
  expect(processSpan.parentSpanContext?.spanId).toBe(create.spanContext().spanId);
  expect(processSpan.links.map((l) => l.context.spanId)).toEqual([create.spanContext().spanId]);
  expect(processSpan.attributes).toMatchObject({
    "messaging.system": "bullmq",
    "messaging.operation.type": "process",
    "messaging.destination.name": `consumer.${consumer.name}`,
    "messaging.consumer.group.name": consumer.name,
    "switchyard.outcome": "applied",
  });
});
