import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "@/tests/helpers/test-app";
import { newSpanId, newTraceId, sendSpans, type SpanSpec } from "./query-fixtures";
import { searchSpansSql, searchTraces, traceById } from "./query";
import { createTraceReceiver, type TraceReceiver } from "./receiver";

/** Trace search (attribute via the GIN index, duration and error filters) and a whole trace by id. */

let app: TestApp;
let receiver: TraceReceiver;
const T = Date.now() - 20 * 60_000;
const range = { from: new Date(T - 60_000), to: new Date(T + 60_000) };
const traceA = newTraceId();
const traceB = newTraceId();
const rootA = newSpanId();

beforeAll(async () => {
  app = await createTestApp();
  receiver = createTraceReceiver({ pool: app.pool, settings: app.config.telemetry });
  const filler: SpanSpec[] = Array.from({ length: 300 }, (_, i) => ({
    service: "web", name: "GET /health", kind: 2, startMs: T + i, durationMs: 1, attributes: { "http.route": "/health", n: i },
  }));
  await sendSpans(receiver, [
    ...filler,
    { service: "web", name: "GET /templates", kind: 2, startMs: T, durationMs: 120, traceId: traceA, spanId: rootA, attributes: { "http.route": "/templates", "user.tier": "gold" } },
    { service: "templates", name: "SELECT", kind: 3, startMs: T + 10, durationMs: 80, traceId: traceA, parentSpanId: rootA, status: 2, attributes: { "db.system": "postgresql", "user.tier": "gold" } },
    { service: "web", name: "GET /templates", kind: 2, startMs: T + 500, durationMs: 2500, traceId: traceB, attributes: { "http.route": "/templates", retries: 3 }, links: [{ traceId: traceA, spanId: rootA }] },
  ]);
});

afterAll(async () => {
  await receiver.close();
  await app.cleanup();
});

describe("searchTraces", () => {
  it("finds spans by attribute through the GIN index", async () => {
    const res = await searchTraces(app.pool, { ...range, attribute: { key: "user.tier", value: "gold" } });
    expect(res.points.map((p) => p.traceId)).toEqual([traceA, traceA]);
    expect(res.traces).toEqual([
      expect.objectContaining({ traceId: traceA, rootService: "web", rootName: "GET /templates", spanCount: 2, errorCount: 1, matchedSpans: 2 }),
    ]);
    expect(res.traces[0]!.services.sort()).toEqual(["templates", "web"]);
    expect(res.traces[0]!.durationMs).toBeCloseTo(120, 6);
    // Typed values: an int attribute matches a number, not its text.
    expect((await searchTraces(app.pool, { ...range, attribute: { key: "retries", value: 3 } })).points.map((p) => p.traceId)).toEqual([traceB]);
    expect((await searchTraces(app.pool, { ...range, attribute: { key: "retries", value: "3" } })).points).toEqual([]);

    const { text, values } = searchSpansSql({ ...range, attribute: { key: "user.tier", value: "gold" } });
    const client = await app.pool.connect();
    try {
      // Few rows here, so the planner would rather scan; forbid it to show the GIN index answers the filter.
      await client.query("SET enable_seqscan = off");
      const plan = (await client.query<{ "QUERY PLAN": string }>(`EXPLAIN ${text}`, values)).rows.map((r) => r["QUERY PLAN"]).join("\n");
      expect(plan).toMatch(/Bitmap Index Scan on spans_y\d+m\d+d\d+_attributes_idx/);
      expect(plan).not.toMatch(/Seq Scan/);
    } finally {
      await client.query("RESET enable_seqscan");
      client.release();
    }
  });

  it("filters by service, operation, duration and errors, with scatter points", async () => {
    const slow = await searchTraces(app.pool, { ...range, service: "web", operation: "GET /templates", minDurationMs: 1000 });
    expect(slow.points).toEqual([expect.objectContaining({ traceId: traceB, service: "web", durationMs: 2500, error: false, startTime: new Date(T + 500) })]);
    const between = await searchTraces(app.pool, { ...range, minDurationMs: 50, maxDurationMs: 200 });
    expect(between.points.map((p) => p.durationMs).sort((a, b) => a - b)).toEqual([80, 120]);
    const errors = await searchTraces(app.pool, { ...range, errorsOnly: true });
    expect(errors.points).toEqual([expect.objectContaining({ traceId: traceA, service: "templates", error: true })]);
    expect((await searchTraces(app.pool, { ...range, service: "web", limit: 10 })).points).toHaveLength(10);
    expect(await searchTraces(app.pool, { ...range, service: "nobody" })).toEqual({ points: [], traces: [] });
  });
});

describe("traceById", () => {
  it("returns every span of a trace with its links", async () => {
    const spans = await traceById(app.pool, traceB.toUpperCase());
    expect(spans).toHaveLength(1);
    expect(spans[0]!.links).toEqual([expect.objectContaining({ traceId: traceA, spanId: rootA })]);
    expect((await traceById(app.pool, traceA)).map((s) => s.name)).toEqual(["GET /templates", "SELECT"]);
  });
});
