import { describe, expect, it } from "vitest";
import { buildTraceView, type TraceViewRow, VIEW_FLAG } from "./trace-view";

/** The waterfall's packed view: tree pre-order, subtree sizes, services, critical path, flags. */

const T0 = Date.UTC(2026, 10, 24, 12) * 1000; // epoch microseconds
let seq = 0;
const row = (name: string, startMs: number, ms: number, parent?: TraceViewRow, extra: Partial<TraceViewRow> = {}): TraceViewRow => ({
  spanId: (++seq).toString(16).padStart(16, "0"),
  parentSpanId: parent?.spanId ?? null,
  serviceName: "switchyard-web",
  ownService: null,
  name,
  kind: 1,
  statusCode: 0,
  startUs: T0 + startMs * 1000,
  durationNs: ms * 1e6,
  hasEvents: false,
  hasLinks: false,
  ...extra,
});
const nums = (s: string) => (s === "" ? [] : s.split(",").map(Number));

describe("buildTraceView", () => {
  it("packs spans in pre-order with depth, parent, subtree size, services and the critical path", () => {
    const root = row("POST /api/trpc/templates.update", 0, 100, undefined, { kind: 2 });
    const trpc = row("trpc templates.update", 2, 90, root, { kind: 2, ownService: "templates" });
    const late = row("pg.query:UPDATE", 50, 30, trpc, { kind: 3, statusCode: 2, hasEvents: true });
    const early = row("pg.query:SELECT", 5, 10, trpc, { kind: 3 });
    const orphan = row("process event", 120, 5, undefined, { parentSpanId: "00000000000000ff", serviceName: "switchyard-worker", kind: 5, hasLinks: true });
    const v = buildTraceView("ab".repeat(16), [orphan, late, early, trpc, root]);

    expect(v).toMatchObject({ spanCount: 5, errorCount: 1, rootName: "POST /api/trpc/templates.update", rootService: "switchyard-web", durationMs: 125 });
    expect(v.startMs).toBe(T0 / 1000);
    const ids = v.ids.match(/.{16}/g)!;
    expect(ids).toEqual([root.spanId, trpc.spanId, early.spanId, late.spanId, orphan.spanId]);
    expect(nums(v.parents)).toEqual([-1, 0, 1, 1, -1]);
    expect(nums(v.depths)).toEqual([0, 1, 2, 2, 0]);
    expect(nums(v.sizes)).toEqual([4, 3, 1, 1, 1]);
    expect(v.services).toEqual(["switchyard-web", "switchyard-worker", "templates"]);
    expect(nums(v.service).map((i) => v.services[i])).toEqual(["switchyard-web", "templates", "templates", "templates", "switchyard-worker"]);
    expect(nums(v.name).map((i) => v.names[i])).toEqual(["POST /api/trpc/templates.update", "trpc templates.update", "pg.query:SELECT", "pg.query:UPDATE", "process event"]);
    expect(nums(v.starts)).toEqual([0, 2000, 5000, 50000, 120000]);
    expect(nums(v.durations)).toEqual([100000, 90000, 10000, 30000, 5000]);

    const flags = nums(v.flags);
    expect(flags.map((f) => f & VIEW_FLAG.kindMask)).toEqual([2, 2, 3, 3, 5]);
    expect(flags.map((f) => Boolean(f & VIEW_FLAG.error))).toEqual([false, false, false, true, false]);
    expect(flags.map((f) => Boolean(f & VIEW_FLAG.critical))).toEqual([true, true, true, true, false]);
    expect(flags.map((f) => Boolean(f & VIEW_FLAG.orphan))).toEqual([false, false, false, false, true]);
    expect(Boolean(flags[3]! & VIEW_FLAG.events)).toBe(true);
    expect(Boolean(flags[4]! & VIEW_FLAG.links)).toBe(true);
    // (index, start µs, end µs): the SELECT ended before the UPDATE began, so both are on the path.
    expect(nums(v.critical)).toEqual([0, 1, 2, 1, 3, 1, 0]);
    // Boundaries 0, 2, 5, 15, 50, 80, 92, 100 ms: the first, then differences (µs).
    expect(nums(v.criticalBounds)).toEqual([0, 2000, 3000, 10000, 35000, 30000, 12000, 8000]);
  });

  it("builds a 50,000-span trace quickly", () => {
    const rows: TraceViewRow[] = [row("root", 0, 60_000)];
    for (let i = 1; i < 50_000; i++) {
      const parent = rows[i < 500 ? 0 : Math.floor(i / 100)]!;
      rows.push(row(`op ${i % 40}`, i, 5, parent, { ownService: i % 7 === 0 ? `svc${i % 5}` : null }));
    }
    const started = performance.now();
    const v = buildTraceView("cd".repeat(16), rows);
    const took = performance.now() - started;
    expect(took).toBeLessThan(1500);
    expect(v.spanCount).toBe(50_000);
    expect(v.ids).toHaveLength(16 * 50_000);
    expect(nums(v.sizes)[0]).toBe(50_000);
    expect(v.names).toHaveLength(41);
  });
});
