import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDevSessionToken, DEV_SESSION_COOKIE } from "@/server/auth/dev-session";
import { createTRPCContext } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { seedDemoIdentities } from "@/services/auth/seed";
import { createTestApp, type TestApp } from "@/tests/helpers/test-app";
import { newSpanId, newTraceId, sendSpans, type SpanSpec } from "./query-fixtures";
import { createTraceReceiver, type TraceReceiver } from "./receiver";
import { VIEW_FLAG } from "./trace-view";

/**
 * The trace page's procedures on a trace ingested through the real OTLP receiver: the flow graph
 * (telemetry.traces.flow), the packed waterfall (traces.view), one span in full (traces.span), the services.
 */

let app: TestApp;
let receiver: TraceReceiver;
let cookie = "";
const T = Date.now() - 10 * 60_000;
const traceId = newTraceId();
const ids = { click: newSpanId(), fetch: newSpanId(), http: newSpanId(), trpc: newSpanId(), create: newSpanId(), consumer: newSpanId() };
const EVENT = "templator.events.v1.templates.TemplatePublished";

const trpc = (c = cookie) => createCaller(createTRPCContext({ app, headers: new Headers(c ? { cookie: c } : {}), requestId: randomUUID() }));

beforeAll(async () => {
  app = await createTestApp();
  await seedDemoIdentities(app.db.auth);
  const user = (await app.db.auth.user.findMany())[0]!;
  cookie = `${DEV_SESSION_COOKIE}=${createDevSessionToken(user.id, app.config.sessionSecret)}`;
  receiver = createTraceReceiver({ pool: app.pool, settings: app.config.telemetry });
  const spans: SpanSpec[] = [
    { service: "switchyard-browser", name: "click Publish", kind: 1, startMs: T, durationMs: 300, traceId, spanId: ids.click },
    { service: "switchyard-browser", name: "HTTP POST", kind: 3, startMs: T + 2, durationMs: 90, traceId, spanId: ids.fetch, parentSpanId: ids.click },
    { service: "switchyard-web", name: "POST /api/trpc/templates.publish", kind: 2, startMs: T + 4, durationMs: 80, traceId, spanId: ids.http, parentSpanId: ids.fetch },
    {
      service: "switchyard-web",
      name: "trpc templates.publish",
      kind: 2,
      startMs: T + 5,
      durationMs: 75,
      traceId,
      spanId: ids.trpc,
      parentSpanId: ids.http,
      attributes: { "rpc.system": "trpc", "rpc.method": "templates.publish", "switchyard.service": "templates" },
    },
    { service: "switchyard-web", name: "pg.query:UPDATE", kind: 3, startMs: T + 10, durationMs: 20, traceId, parentSpanId: ids.trpc, attributes: { "db.system": "postgresql", "db.name": "switchyard" } },
    { service: "switchyard-web", name: "pg.query:INSERT", kind: 3, startMs: T + 40, durationMs: 10, traceId, parentSpanId: ids.trpc, status: 2, attributes: { "db.system": "postgresql", "db.name": "switchyard" } },
    {
      service: "switchyard-web",
      name: `create ${EVENT}`,
      kind: 4,
      startMs: T + 60,
      durationMs: 2,
      traceId,
      spanId: ids.create,
      parentSpanId: ids.trpc,
      attributes: { "messaging.system": "switchyard.outbox", "messaging.destination.name": EVENT, "switchyard.service": "templates" },
    },
    {
      service: "switchyard-worker",
      name: `process ${EVENT}`,
      kind: 5,
      startMs: T + 112,
      durationMs: 30,
      traceId,
      spanId: ids.consumer,
      parentSpanId: ids.create,
      links: [{ traceId, spanId: ids.create }],
      attributes: { "messaging.system": "bullmq", "messaging.destination.name": "consumer.ai.reindex", "switchyard.service": "ai" },
    },
    { service: "switchyard-worker", name: "pg.query:SELECT", kind: 3, startMs: T + 115, durationMs: 5, traceId, parentSpanId: ids.consumer, attributes: { "db.system": "postgresql", "db.name": "switchyard" } },
  ];
  await sendSpans(receiver, spans);
});

afterAll(async () => {
  await receiver.close();
  await app.cleanup();
});

describe("telemetry.traces.flow", () => {
  it("returns the flow graph of an ingested trace: browser -> web -> templates -> broker -> ai, and the database", async () => {
    const g = await trpc().telemetry.traces.flow({ traceId: traceId.toUpperCase() });
    const broker = `broker:switchyard.outbox/${EVENT}`;
    expect(g.nodes.map((n) => [n.id, n.type, n.root, n.layer])).toEqual([
      [broker, "broker", false, 3],
      ["db:postgresql/switchyard", "database", false, 5],
      ["svc:ai", "service", false, 4],
      ["svc:switchyard-browser", "service", true, 0],
      ["svc:switchyard-web", "service", false, 1],
      ["svc:templates", "service", false, 2],
    ]);
    const edges = Object.fromEntries(g.edges.map((e) => [`${e.source} ${e.type} ${e.target}`, e]));
    expect(Object.keys(edges).sort()).toEqual(
      [
        `${broker} consume svc:ai`,
        "svc:ai database db:postgresql/switchyard",
        "svc:switchyard-browser call svc:switchyard-web",
        "svc:switchyard-web internal svc:templates",
        `svc:templates produce ${broker}`,
        "svc:templates database db:postgresql/switchyard",
      ].sort(),
    );
    expect(edges["svc:switchyard-browser call svc:switchyard-web"]).toMatchObject({ count: 1, errors: 0, avgMs: 90, maxMs: 90 });
    expect(edges["svc:templates database db:postgresql/switchyard"]).toMatchObject({ count: 2, errors: 1, avgMs: 15, maxMs: 20 });
    expect(edges[`${broker} consume svc:ai`]).toMatchObject({ count: 1, avgMs: 30 });
    expect(edges[`${broker} consume svc:ai`]!.lagAvgMs).toBeCloseTo(50, 3);
    await expect(trpc().telemetry.traces.flow({ traceId: newTraceId() })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(trpc("").telemetry.traces.flow({ traceId })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});

describe("telemetry.traces.view and traces.span", () => {
  it("packs the waterfall in tree order with the critical path, and opens one span in full", async () => {
    const v = await trpc().telemetry.traces.view({ traceId });
    expect(v).toMatchObject({ traceId, spanCount: 9, errorCount: 1, rootName: "click Publish", rootService: "switchyard-browser", durationMs: 300 });
    const order = v.ids.match(/.{16}/g)!;
    expect(order.slice(0, 4)).toEqual([ids.click, ids.fetch, ids.http, ids.trpc]);
    expect(v.depths.split(",").map(Number)).toEqual([0, 1, 2, 3, 4, 4, 4, 5, 6]);
    expect(v.sizes.split(",").map(Number)[0]).toBe(9);
    const flags = v.flags.split(",").map(Number);
    expect(order.filter((_, i) => flags[i]! & VIEW_FLAG.critical).slice(0, 4)).toEqual([ids.click, ids.fetch, ids.http, ids.trpc]);
    expect(v.services).toEqual(["ai", "switchyard-browser", "switchyard-web", "templates"]);

    const span = await trpc().telemetry.traces.span({ traceId, spanId: ids.consumer });
    expect(span).toMatchObject({ spanId: ids.consumer, parentSpanId: ids.create, serviceName: "switchyard-worker", kind: 5 });
    expect(span.attributes).toMatchObject({ "switchyard.service": "ai", "messaging.destination.name": "consumer.ai.reindex" });
    expect(span.resourceAttributes).toEqual({ "service.name": "switchyard-worker" });
    expect(span.links).toEqual([expect.objectContaining({ traceId, spanId: ids.create })]);
    expect(span.startUs / 1000).toBeCloseTo(T + 112, 3);
    await expect(trpc().telemetry.traces.span({ traceId, spanId: newSpanId() })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(trpc().telemetry.traces.view({ traceId: newTraceId() })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await trpc().telemetry.traces.services()).toEqual(["switchyard-browser", "switchyard-web", "switchyard-worker"]);
  });
});
