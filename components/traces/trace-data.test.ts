import { describe, expect, it } from "vitest";
import { buildTraceView, type TraceViewRow } from "@/services/telemetry/trace-view";
import { expandTo, unpackTrace, visibleRows } from "./trace-data";

/** The browser's side of the packed waterfall: unpacking, the critical sections, collapsing. */

let seq = 0;
const row = (name: string, startMs: number, ms: number, parent?: TraceViewRow): TraceViewRow => ({
  spanId: (++seq).toString(16).padStart(16, "0"),
  parentSpanId: parent?.spanId ?? null,
  serviceName: "web",
  ownService: null,
  name,
  kind: 1,
  statusCode: 0,
  startUs: 1e15 + startMs * 1000,
  durationNs: ms * 1e6,
  hasEvents: false,
  hasLinks: false,
});

describe("unpackTrace and visibleRows", () => {
  const root = row("root", 0, 100);
  const a = row("A", 10, 40, root);
  const a1 = row("A1", 12, 20, a);
  const b = row("B", 60, 30, root);
  const data = unpackTrace(buildTraceView("ab".repeat(16), [root, a, a1, b]));

  it("unpacks columns and the critical sections per row", () => {
    expect([...Array(data.count).keys()].map((i) => data.view.names[data.name[i]!])).toEqual(["root", "A", "A1", "B"]);
    expect(data.indexOf.get(b.spanId)).toBe(3);
    expect([...data.size]).toEqual([4, 2, 1, 1]);
    expect(data.critical.get(0)).toEqual([
      [0, 10000],
      [50000, 60000],
      [90000, 100000],
    ]);
    expect(data.critical.get(1)).toEqual([
      [10000, 12000],
      [32000, 50000],
    ]);
    expect(data.critical.get(2)).toEqual([[12000, 32000]]);
  });

  it("hides collapsed subtrees and reveals a span by expanding its ancestors", () => {
    expect([...visibleRows(data, new Set())]).toEqual([0, 1, 2, 3]);
    expect([...visibleRows(data, new Set([1]))]).toEqual([0, 1, 3]);
    expect([...visibleRows(data, new Set([0, 1]))]).toEqual([0]);
    expect([...expandTo(data, new Set([0, 1, 3]), 2)]).toEqual([3]);
  });
});
