import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "@/tests/helpers/test-app";
import { newSpanId, newTraceId, sendSpans, type SpanSpec } from "./query-fixtures";
import { createTraceReceiver, type TraceReceiver } from "./receiver";
import { DURATION_BOUNDS_MS, redSeries, runRedRollup } from "./red";
import { handlePrometheusScrape } from "./red-prometheus";

/** RED rollups through the real ingest path, the watermark (late and re-sent spans) and the Prometheus text. */

let app: TestApp;
let receiver: TraceReceiver;
const MINUTE = Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000;
const DURATIONS = [1, 3, 5, 20, 75, 150, 300, 600, 900, 20_000];

beforeAll(async () => {
  app = await createTestApp();
  receiver = createTraceReceiver({ pool: app.pool, settings: app.config.telemetry });
});

afterAll(async () => {
  await receiver.close();
  await app.cleanup();
});

const span = (durationMs: number, i: number, extra: Partial<SpanSpec> = {}): SpanSpec => ({
  service: "checkout",
  name: "POST /pay",
  kind: 2,
  startMs: MINUTE + i * 1000,
  durationMs,
  ...extra,
});

async function rollupRows() {
  const res = await app.pool.query<{ status_code: number; calls: string; errors: string; buckets: string[]; duration_sum_ms: number }>(
    `SELECT status_code, calls::text, errors::text, buckets::text[], duration_sum_ms FROM telemetry.red_rollups
      WHERE service_name = 'checkout' ORDER BY status_code, minute`,
  );
  return res.rows;
}

const series = () => redSeries(app.pool, { service: "checkout", from: new Date(MINUTE - 60_000), to: new Date(MINUTE + 120_000) });

describe("RED rollups", () => {
  it("count calls, errors and the spanmetrics histogram per minute x service x operation x kind x status", async () => {
    // 600 ms and 20 s are errors; a span of another minute and another service are kept apart.
    await sendSpans(receiver, [
      ...DURATIONS.map((d, i) => span(d, i, d === 600 || d === 20_000 ? { status: 2 } : {})),
      span(42, 0, { startMs: MINUTE + 60_000 }),
      span(7, 0, { service: "billing" }),
    ]);
    const report = await runRedRollup(app.pool, { safetyLagMs: 0 });
    expect(report.spans).toBe(12);

    const rows = await rollupRows();
    expect(rows.map((r) => [r.status_code, r.calls, r.errors])).toEqual([
      [0, "8", "0"],
      [0, "1", "0"], // the next minute's span
      [2, "2", "2"],
    ]);
    const ok = rows.find((r) => r.status_code === 0 && r.calls === "8")!;
    // 1 | 3 | 5 | - | - | 20 | 75 | 150 | 300 | - | 900 (le 2, 4, 6, 8, 10, 50, 100, 200, 400, 800, 1000 ...)
    expect(ok.buckets.map(Number)).toEqual([1, 1, 1, 0, 0, 1, 1, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0]);
    expect(ok.buckets).toHaveLength(DURATION_BOUNDS_MS.length + 1);
    const err = rows.find((r) => r.status_code === 2)!;
    expect(err.buckets.map(Number)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1]);
    expect(err.duration_sum_ms).toBeCloseTo(20_600, 6);

    const [first, second] = await series();
    expect(first).toMatchObject({ minute: new Date(MINUTE), calls: 10, errors: 2, errorPct: 20 });
    expect(first!.rate).toBeCloseTo(10 / 60, 9);
    expect(first!.avgMs).toBeCloseTo(DURATIONS.reduce((a, b) => a + b, 0) / 10, 6);
    // Cumulative 1,2,3,3,3,4,5,6,7,8,9,...,10: rank 5 is the 5th in (50, 100] holding 1 -> 100;
    // rank 9.5 and 9.9 fall in +Inf -> the highest finite bound.
    expect(first!.p50).toBe(100);
    expect(first!.p95).toBe(15_000);
    expect(first!.p99).toBe(15_000);
    expect(second).toMatchObject({ minute: new Date(MINUTE + 60_000), calls: 1, errors: 0, p50: 30 }); // 42 ms alone in (10, 50]: 10 + 40 * 0.5
  });

  it("adds a late span to its already-rolled minute exactly once", async () => {
    await sendSpans(receiver, [span(3.5, 30)]);
    await runRedRollup(app.pool, { safetyLagMs: 0 });
    await runRedRollup(app.pool, { safetyLagMs: 0 });
    const [first] = await series();
    expect(first).toMatchObject({ calls: 11, errors: 1 + 1 });
    const ok = (await rollupRows()).find((r) => r.status_code === 0 && r.calls === "9")!;
    expect(ok.buckets.map(Number).slice(0, 3)).toEqual([1, 2, 1]);
  });

  it("counts spans stored through the duplicate-skipping path once (a re-sent batch with one new span)", async () => {
    const old = span(2, 40, { traceId: newTraceId(), spanId: newSpanId() });
    await sendSpans(receiver, [old]);
    await runRedRollup(app.pool, { safetyLagMs: 0 });
    await sendSpans(receiver, [{ ...old }, span(2, 41)]);
    // That path stamps its rows too (the temp table takes the column's default).
    const nulls = await app.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM telemetry.spans WHERE received_at IS NULL`);
    expect(nulls.rows[0]!.n).toBe(0);
    await runRedRollup(app.pool, { safetyLagMs: 0 });
    await runRedRollup(app.pool, { safetyLagMs: 0 });
    const [first] = await series();
    expect(first!.calls).toBe(13);
  });

  it("counts a span whose transaction started before a run and committed after it, once", async () => {
    const client = await app.pool.connect();
    try {
      await client.query("BEGIN");
      // A copy of a stored span under a new id, stamped with this (still open) transaction's start.
      await client.query(
        `INSERT INTO telemetry.spans SELECT trace_id, decode($1, 'hex'), parent_span_id, trace_state, flags, resource_id, service_name, name, kind,
                start_time, end_time, duration_ns, status_code, status_message, http_route, http_method, http_status_code, db_system,
                messaging_system, messaging_destination, peer_service, scope_name, scope_version, attributes, events, links
           FROM telemetry.spans WHERE service_name = 'checkout' AND duration_ns = 2000000 LIMIT 1`,
        [newSpanId()],
      );
      const started = (await client.query<{ t: Date }>("SELECT now() AS t")).rows[0]!.t;
      const report = await runRedRollup(app.pool, { safetyLagMs: 0 });
      expect(report.to.getTime()).toBeLessThanOrEqual(started.getTime());
      await client.query("COMMIT");
    } finally {
      client.release();
    }
    await runRedRollup(app.pool, { safetyLagMs: 0 });
    await runRedRollup(app.pool, { safetyLagMs: 0 });
    const [first] = await series();
    expect(first!.calls).toBe(14);
  });
});

describe("Prometheus exposition", () => {
  type Sample = { name: string; labels: Record<string, string>; value: number };
  function parse(text: string): Sample[] {
    const out: Sample[] = [];
    for (const line of text.split("\n")) {
      if (!line || line.startsWith("#")) continue;
      const m = /^([a-z_]+)\{(.*)\} (\S+)$/.exec(line);
      if (!m) throw new Error(`unparsable line: ${line}`);
      const labels = Object.fromEntries([...m[2]!.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1]!, l[2]!]));
      out.push({ name: m[1]!, labels, value: m[3] === "+Inf" ? Infinity : Number(m[3]) });
    }
    return out;
  }

  it("exposes calls and cumulative duration buckets under the spanmetrics names", async () => {
    const res = await handlePrometheusScrape(new Request("http://x/metrics/prometheus?window=60"), { pool: app.pool, tokens: [] });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain; version=0.0.4");
    const text = await res.text();
    expect(text).toContain("# TYPE traces_span_metrics_calls_total counter");
    expect(text).toContain("# TYPE traces_span_metrics_duration_milliseconds histogram");
    const samples = parse(text);
    const sel = { service_name: "checkout", span_name: "POST /pay", span_kind: "SPAN_KIND_SERVER" };
    const match = (s: Sample, status: string) => Object.entries({ ...sel, status_code: status }).every(([k, v]) => s.labels[k] === v);
    const calls = samples.filter((s) => s.name === "traces_span_metrics_calls_total");
    expect(calls.find((s) => match(s, "STATUS_CODE_UNSET"))!.value).toBe(13); // 8 + the next minute's + the late one + the two of the re-sent batch + the slow transaction's
    expect(calls.find((s) => match(s, "STATUS_CODE_ERROR"))!.value).toBe(2);
    const buckets = samples.filter((s) => s.name === "traces_span_metrics_duration_milliseconds_bucket" && match(s, "STATUS_CODE_UNSET"));
    expect(buckets.map((b) => b.labels.le)).toEqual([...DURATION_BOUNDS_MS.map(String), "+Inf"]);
    for (let i = 1; i < buckets.length; i++) expect(buckets[i]!.value).toBeGreaterThanOrEqual(buckets[i - 1]!.value);
    expect(buckets.map((b) => b.value)).toEqual([4, 6, 7, 7, 7, 9, 10, 11, 12, 12, 13, 13, 13, 13, 13, 13, 13]);
    const count = samples.find((s) => s.name === "traces_span_metrics_duration_milliseconds_count" && match(s, "STATUS_CODE_UNSET"))!;
    expect(count.value).toBe(buckets.at(-1)!.value);
    const sum = samples.find((s) => s.name === "traces_span_metrics_duration_milliseconds_sum" && match(s, "STATUS_CODE_ERROR"))!;
    expect(sum.value).toBeCloseTo(20_600, 6);
  });

  it("asks for a bearer token when tokens are configured", async () => {
    const ctx = { pool: app.pool, tokens: ["scrape-secret"] };
    expect((await handlePrometheusScrape(new Request("http://x/metrics/prometheus"), ctx)).status).toBe(401);
    expect((await handlePrometheusScrape(new Request("http://x/metrics/prometheus", { headers: { authorization: "Bearer nope" } }), ctx)).status).toBe(401);
    expect((await handlePrometheusScrape(new Request("http://x/metrics/prometheus", { headers: { authorization: "Bearer scrape-secret" } }), ctx)).status).toBe(200);
    expect((await handlePrometheusScrape(new Request("http://x/metrics/prometheus?window=0"), { pool: app.pool, tokens: [] })).status).toBe(400);
  });
});
