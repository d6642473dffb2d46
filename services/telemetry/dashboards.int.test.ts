import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDevSessionToken, DEV_SESSION_COOKIE } from "@/server/auth/dev-session";
import { createTRPCContext } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { seedDemoIdentities } from "@/services/auth/seed";
import { createTestApp, type TestApp } from "@/tests/helpers/test-app";
import { newSpanId, newTraceId, sendSpans, type SpanSpec } from "./query-fixtures";
import { createTraceReceiver, type TraceReceiver } from "./receiver";
import { runRedRollup } from "./red";

/**
 * The dashboards procedures (service list, service dashboard, service map, SLO overview) over spans
 * stored through the real ingest path and rolled up by the real rollup.
 */

let app: TestApp;
let receiver: TraceReceiver;
let cookie = "";
const NOW = Math.floor(Date.now() / 60_000) * 60_000;
const range = { from: new Date(NOW - 3_600_000), to: new Date(NOW) };
const failing = new Set<string>();

const trpc = (c = cookie) => createCaller(createTRPCContext({ app, headers: new Headers(c ? { cookie: c } : {}), requestId: randomUUID() }));

/**
 * One shop request: frontend (server, then client) -> checkout (server) -> postgresql, payments (20% fail)
 * and a message to kafka "orders" that shipping consumes. `reporter` runs one internal job a minute.
 */
function request(startMs: number, fail: boolean): SpanSpec[] {
  const traceId = newTraceId();
  if (fail) failing.add(traceId);
  const id = () => newSpanId();
  const [fe, feCall, co, coPay, coPub] = [id(), id(), id(), id(), id()];
  const kafka = { "messaging.system": "kafka", "messaging.destination.name": "orders" };
  return [
    { service: "frontend", name: "GET /cart", kind: 2, startMs, durationMs: 120, traceId, spanId: fe },
    { service: "frontend", name: "call checkout", kind: 3, startMs: startMs + 5, durationMs: 100, traceId, spanId: feCall, parentSpanId: fe },
    { service: "checkout", name: "POST /checkout", kind: 2, startMs: startMs + 6, durationMs: 90, traceId, spanId: co, parentSpanId: feCall },
    { service: "checkout", name: "INSERT orders", kind: 3, startMs: startMs + 7, durationMs: 5, traceId, parentSpanId: co, attributes: { "db.system": "postgresql" } },
    { service: "checkout", name: "call payments", kind: 3, startMs: startMs + 13, durationMs: 40, traceId, spanId: coPay, parentSpanId: co },
    { service: "payments", name: "POST /charge", kind: 2, startMs: startMs + 14, durationMs: 30, traceId, parentSpanId: coPay, status: fail ? 2 : 1 },
    { service: "checkout", name: "orders publish", kind: 4, startMs: startMs + 60, durationMs: 2, traceId, spanId: coPub, parentSpanId: co, attributes: kafka },
    { service: "shipping", name: "orders process", kind: 5, startMs: startMs + 72, durationMs: 10, traceId, parentSpanId: coPub, attributes: kafka },
  ];
}

beforeAll(async () => {
  app = await createTestApp();
  await seedDemoIdentities(app.db.auth);
  const user = (await app.db.auth.user.findMany())[0]!;
  cookie = `${DEV_SESSION_COOKIE}=${createDevSessionToken(user.id, app.config.sessionSecret)}`;
  receiver = createTraceReceiver({ pool: app.pool, settings: app.config.telemetry });
  // The last 30 minutes, 10 requests a minute (2 of them failing in payments) and one report job.
  const spans: SpanSpec[] = [];
  for (let m = 30; m >= 1; m--) {
    const minute = NOW - m * 60_000;
    for (let i = 0; i < 10; i++) spans.push(...request(minute + i * 5000, i < 2));
    spans.push({ service: "reporter", name: "compile report", kind: 1, startMs: minute + 1000, durationMs: 700 });
  }
  await sendSpans(receiver, spans);
  await runRedRollup(app.pool, { safetyLagMs: 0 });
});

afterAll(async () => {
  await receiver.close();
  await app.cleanup();
});

describe("telemetry.dashboards", () => {
  it("refuses callers who are not signed in", async () => {
    await expect(trpc("").telemetry.dashboards.services(range)).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(trpc("").telemetry.dashboards.slos()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("lists every service with the RED of the calls it answers, and a sparkline", async () => {
    const list = await trpc().telemetry.dashboards.services(range);
    const by = new Map(list.map((s) => [s.service, s]));
    expect([...by.keys()].sort()).toEqual(["checkout", "frontend", "payments", "reporter", "shipping"]);
    // Only checkout's SERVER spans count (not its client, database or producer spans).
    expect(by.get("checkout")).toMatchObject({ scope: "inbound", totals: { calls: 300, errors: 0, errorPct: 0 } });
    expect(by.get("checkout")!.totals.rate).toBeCloseTo(300 / 3600, 9);
    expect(by.get("checkout")!.totals.p50).toBe(75); // 90 ms in (50, 100]: 50 + 50 * 0.5
    expect(by.get("payments")!.totals).toMatchObject({ calls: 300, errors: 60, errorPct: 20 });
    expect(by.get("shipping")).toMatchObject({ scope: "inbound", totals: { calls: 300 } });
    // A service without server or consumer spans is shown over all of its spans.
    expect(by.get("reporter")).toMatchObject({ scope: "all", totals: { calls: 30, errors: 0 } });
    const spark = by.get("payments")!.spark;
    expect(by.get("payments")!.sparkStepSeconds).toBe(120);
    expect(spark.length).toBeGreaterThanOrEqual(30); // 31 when the range does not start on an even minute
    expect(spark.length).toBeLessThanOrEqual(31);
    expect(spark.reduce((a, p) => a + p.calls, 0)).toBe(300);
    expect(spark[0]).toMatchObject({ calls: 0, p95: null }); // quiet before the traffic began
  });

  it("answers a service's per-minute series and its operations, narrowed by operation", async () => {
    const dash = await trpc().telemetry.dashboards.service({ ...range, service: "checkout" });
    expect(dash).toMatchObject({ service: "checkout", scope: "inbound", kinds: [2, 5], stepSeconds: 60 });
    expect(dash.series).toHaveLength(60);
    expect(dash.series.filter((p) => p.calls > 0)).toHaveLength(30);
    const busy = dash.series.find((p) => p.calls > 0)!;
    expect(busy).toMatchObject({ calls: 10, errors: 0, p50: 75 });
    expect(busy.rate).toBeCloseTo(10 / 60, 9);
    expect(dash.operations.map((o) => `${o.operation}/${o.spanKindName}/${o.calls}`).sort()).toEqual([
      "INSERT orders/client/300",
      "POST /checkout/server/300",
      "call payments/client/300",
      "orders publish/producer/300",
    ]);
    const pay = await trpc().telemetry.dashboards.service({ ...range, service: "payments", operation: "POST /charge", spanKind: 2 });
    expect(pay).toMatchObject({ scope: "filtered", kinds: [2], totals: { calls: 300, errors: 60, errorPct: 20 } });
    expect(pay.series.find((p) => p.calls > 0)).toMatchObject({ calls: 10, errors: 2, errorPct: 20 });
    const none = await trpc().telemetry.dashboards.service({ ...range, service: "checkout", operation: "no such thing" });
    expect(none.totals.calls).toBe(0);
    await expect(trpc().telemetry.dashboards.service({ service: "checkout", from: range.to, to: range.from })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("draws the map: services, a database and a broker, with RED on nodes and edges", async () => {
    const map = await trpc().telemetry.dashboards.map(range);
    const node = (id: string) => map.nodes.find((n) => n.id === id);
    expect(map.nodes.map((n) => `${n.type}:${n.id}`)).toEqual([
      "service:checkout",
      "database:db:postgresql",
      "service:frontend",
      "broker:kafka:orders",
      "service:payments",
      "service:reporter",
      "service:shipping",
    ]);
    expect(node("payments")).toMatchObject({ scope: "inbound", red: { calls: 300, errors: 60, errorPct: 20 } });
    expect(node("reporter")).toMatchObject({ scope: "all", red: { calls: 30 } }); // no edges, still on the map
    expect(node("db:postgresql")).toMatchObject({ scope: "database", red: { calls: 300, errors: 0, p50: 5 } });
    expect(node("kafka:orders")).toMatchObject({ scope: "broker", red: { calls: 300 } });
    const edge = (id: string) => map.edges.find((e) => e.id === id);
    expect(edge("client_server:frontend->checkout")).toMatchObject({ calls: 300, errors: 0, p50Ms: 100, p95Ms: 100 });
    expect(edge("client_server:checkout->payments")).toMatchObject({ calls: 300, errors: 60, errorPct: 20, p50Ms: 40 });
    expect(edge("client_server:checkout->payments")!.rate).toBeCloseTo(300 / 3600, 9);
    expect(edge("database:checkout->db:postgresql")).toMatchObject({ calls: 300, p50Ms: 5 });
    expect(edge("messaging:checkout->kafka:orders")).toMatchObject({ calls: 300 });
    // The direct producer->consumer pairs ride on the broker->consumer edge (10 ms in the broker).
    const delivered = edge("messaging:kafka:orders->shipping")!;
    expect(delivered.deliveries).toEqual([expect.objectContaining({ producer: "checkout", calls: 300, errors: 0 })]);
    expect(delivered.deliveries![0]!.p50Ms).toBeCloseTo(10, 6);
    expect(map.edges.some((e) => e.type === "producer_consumer")).toBe(false);
    await expect(trpc().telemetry.dashboards.map({ from: new Date(NOW - 8 * 86_400_000), to: range.to })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("lists SLOs with budgets and the firing burn-rate alerts, pages first, with failing example traces", async () => {
    const overview = await trpc().telemetry.dashboards.slos();
    expect(overview.rules.map((r) => `${r.severity}:${r.factor}:${r.longMinutes}/${r.shortMinutes}`)).toEqual(["page:14.4:60/5", "page:6:360/30", "ticket:1:4320/360"]);
    const payments = overview.services.find((s) => s.service === "payments")!;
    expect(payments).toMatchObject({ calls: 300, availability: 0.8, latencyWithin: 1, firing: 3 });
    expect(payments.availabilityBudgetRemaining).toBeCloseTo(1 - 0.2 / 0.005, 6);
    expect(overview.services.find((s) => s.service === "checkout")).toMatchObject({ availability: 1, firing: 0 });
    expect(overview.alerts.map((a) => `${a.service}:${a.sli}:${a.severity}:${a.factor}`)).toEqual([
      "payments:availability:page:14.4",
      "payments:availability:page:6",
      "payments:availability:ticket:1",
    ]);
    const [page] = overview.alerts;
    expect(page!.long.burnRate).toBeCloseTo(40, 6);
    expect(page!.link.to.getTime() - page!.link.from.getTime()).toBe(3_600_000);
    expect(page!.exampleTraceIds.length).toBeGreaterThan(0);
    for (const t of page!.exampleTraceIds) expect(failing.has(t)).toBe(true);
  });
});
