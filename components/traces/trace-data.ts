import { type TraceView, VIEW_FLAG } from "@/services/telemetry/trace-view";

/** The packed waterfall (services/telemetry/trace-view.ts) unpacked into typed columns, and its visible rows. */

export type TraceData = {
  view: TraceView;
  count: number;
  spanId(i: number): string;
  parent: Int32Array;
  depth: Int32Array;
  size: Int32Array;
  service: Int32Array;
  name: Int32Array;
  /** Microseconds from the trace start. */
  start: Float64Array;
  duration: Float64Array;
  flags: Int32Array;
  /** Critical-path sections per row, microseconds from the trace start. */
  critical: Map<number, [number, number][]>;
  indexOf: Map<string, number>;
};

const ints = (s: string) => Int32Array.from(s === "" ? [] : s.split(","), Number);
const floats = (s: string) => Float64Array.from(s === "" ? [] : s.split(","), Number);

/** Unpacks a TraceView (one `split` per column). */
export function unpackTrace(view: TraceView): TraceData {
  const critical = new Map<number, [number, number][]>();
  const rows = ints(view.critical);
  const deltas = floats(view.criticalBounds);
  let at = deltas[0] ?? 0;
  for (let k = 0; k < rows.length; k++) {
    const end = at + deltas[k + 1]!;
    const list = critical.get(rows[k]!) ?? [];
    list.push([at, end]);
    critical.set(rows[k]!, list);
    at = end;
  }
  const indexOf = new Map<string, number>();
  for (let i = 0; i < view.spanCount; i++) indexOf.set(view.ids.slice(i * 16, i * 16 + 16), i);
  return {
    view,
    count: view.spanCount,
    spanId: (i) => view.ids.slice(i * 16, i * 16 + 16),
    parent: ints(view.parents),
    depth: ints(view.depths),
    size: ints(view.sizes),
    service: ints(view.service),
    name: ints(view.name),
    start: floats(view.starts),
    duration: floats(view.durations),
    flags: ints(view.flags),
    critical,
    indexOf,
  };
}

/** Rows shown with `collapsed` spans' subtrees hidden: one pass, skipping `size` rows per collapsed span. */
export function visibleRows(data: Pick<TraceData, "count" | "size">, collapsed: ReadonlySet<number>): Int32Array {
  const out = new Int32Array(data.count);
  let n = 0;
  for (let i = 0; i < data.count; ) {
    out[n++] = i;
    i += collapsed.has(i) ? data.size[i]! : 1;
  }
  return out.subarray(0, n);
}

/** The collapsed set with every ancestor of `i` expanded (to reveal a span). */
export function expandTo(data: Pick<TraceData, "parent">, collapsed: ReadonlySet<number>, i: number): Set<number> {
  const next = new Set(collapsed);
  for (let p = data.parent[i]!; p !== -1; p = data.parent[p]!) next.delete(p);
  return next;
}

export const isError = (flags: number) => (flags & VIEW_FLAG.error) !== 0;
export const isCritical = (flags: number) => (flags & VIEW_FLAG.critical) !== 0;
export const kindOf = (flags: number) => flags & VIEW_FLAG.kindMask;
