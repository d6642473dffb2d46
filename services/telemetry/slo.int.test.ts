import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "@/tests/helpers/test-app";
import { newTraceId, sendSpans, type SpanSpec } from "./query-fixtures";
import { createTraceReceiver, type TraceReceiver } from "./receiver";
import { runRedRollup } from "./red";
import { evaluateSlos } from "./slo";

/** SLO status and multiwindow burn-rate alerts from rollups of spans stored through the real ingest path. */

let app: TestApp;
let receiver: TraceReceiver;
const NOW = new Date(Math.floor(Date.now() / 60_000) * 60_000);
const failing = new Set<string>();

beforeAll(async () => {
  app = await createTestApp();
  receiver = createTraceReceiver({ pool: app.pool, settings: app.config.telemetry });
  // The last hour, 20 calls a minute for each service: "payments" fails 2 in 20 (10%: 20x the 0.5% budget),
  // "catalog" none; "search" succeeds but 4 in 20 take 900 ms (past its 500 ms threshold).
  const spans: SpanSpec[] = [];
  for (let m = 60; m >= 1; m--) {
    for (let i = 0; i < 20; i++) {
      const startMs = NOW.getTime() - m * 60_000 + i * 1000;
      const traceId = newTraceId();
      if (i < 2) failing.add(traceId);
      spans.push({ service: "payments", name: "POST /charge", kind: 2, startMs, durationMs: 30, status: i < 2 ? 2 : 1, traceId });
      spans.push({ service: "catalog", name: "GET /items", kind: 2, startMs, durationMs: 30 });
      spans.push({ service: "search", name: "GET /q", kind: 2, startMs, durationMs: i < 4 ? 900 : 30 });
      // Client spans do not count towards the callee's SLO.
      spans.push({ service: "catalog", name: "call payments", kind: 3, startMs, durationMs: 30, status: 2 });
    }
  }
  await sendSpans(receiver, spans);
  await runRedRollup(app.pool, { safetyLagMs: 0 });
});

afterAll(async () => {
  await receiver.close();
  await app.cleanup();
});

describe("evaluateSlos", () => {
  it("raises the 14.4x page alert for a service failing at 20x its budget, with burn rates, link and failing traces", async () => {
    const [payments] = await evaluateSlos(app.pool, { now: NOW, services: ["payments"] });
    expect(payments).toMatchObject({ service: "payments", calls: 1200, availability: 0.9 });
    expect(payments!.availabilityBudgetRemaining).toBeCloseTo(1 - 0.1 / 0.005, 6);
    const page = payments!.alerts.find((a) => a.sli === "availability" && a.factor === 14.4)!;
    expect(page).toMatchObject({ severity: "page", at: NOW, link: { service: "payments", from: new Date(NOW.getTime() - 3_600_000), to: NOW } });
    expect(page.long).toMatchObject({ minutes: 60, calls: 1200, bad: 120 });
    expect(page.long.burnRate).toBeCloseTo(20, 6);
    expect(page.short.minutes).toBe(5);
    expect(page.short.burnRate).toBeCloseTo(20, 6);
    expect(page.exampleTraceIds).toHaveLength(5);
    for (const t of page.exampleTraceIds) expect(failing.has(t)).toBe(true);
    // 20x also passes the 6x and 1x rules; latency is fine.
    expect(payments!.alerts.map((a) => `${a.sli}:${a.factor}`).sort()).toEqual(["availability:1", "availability:14.4", "availability:6"]);
  });

  it("raises nothing for a healthy service", async () => {
    const [catalog] = await evaluateSlos(app.pool, { now: NOW, services: ["catalog"] });
    expect(catalog).toMatchObject({ calls: 1200, availability: 1, latencyWithin: 1, availabilityBudgetRemaining: 1, alerts: [] });
  });

  it("alerts on latency past the threshold, and honours a per-service objective", async () => {
    const [search] = await evaluateSlos(app.pool, { now: NOW, services: ["search"] });
    // 20% of calls over 500 ms: a latency burn of 40x.
    expect(search!.latencyWithin).toBeCloseTo(0.8, 6);
    expect(search!.alerts.find((a) => a.sli === "latency" && a.factor === 14.4)!.long.burnRate).toBeCloseTo(40, 6);
    await app.pool.query(
      `INSERT INTO telemetry.slo_objectives (service_name, availability_target, latency_threshold_ms, latency_target, window_days)
       VALUES ('search', 0.99, 1000, 0.5, 30)`,
    );
    const [relaxed] = await evaluateSlos(app.pool, { now: NOW, services: ["search"] });
    expect(relaxed!.objective).toMatchObject({ latencyThresholdMs: 1000, latencyTarget: 0.5 });
    expect(relaxed!.alerts).toEqual([]);
  });
});
