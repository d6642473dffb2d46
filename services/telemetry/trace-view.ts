import { criticalPathIndexed, parentIndexes, resolveServices } from "./flow";

/**
 * The trace page's waterfall data, built once on the server so the browser only draws it: spans in tree
 * pre-order (children by start time) with depth and subtree size, so collapsing a span skips `size` rows
 * and the visible list is one linear pass. A 50,000-span trace would cost ~300 ms of superjson walking as
 * an array of objects; packed columns (comma-separated numbers, ids concatenated) cost nothing to serialize
 * and one `split` to read. Attributes, events and links are fetched per span when one is opened.
 */

/** One span as the waterfall query reads it (trace-view-store.ts). */
export type TraceViewRow = {
  spanId: string;
  parentSpanId: string | null;
  serviceName: string;
  /** The `switchyard.service` attribute, if any. */
  ownService: string | null;
  name: string;
  kind: number;
  statusCode: number;
  /** Epoch microseconds. */
  startUs: number;
  durationNs: number;
  hasEvents: boolean;
  hasLinks: boolean;
};

/** Bits of `TraceView.flags`: the span kind is the low 3 bits. */
export const VIEW_FLAG = { kindMask: 7, error: 8, critical: 16, orphan: 32, events: 64, links: 128 } as const;

export type TraceView = {
  traceId: string;
  /** Epoch milliseconds (with microseconds) of the earliest span start. */
  startMs: number;
  durationMs: number;
  spanCount: number;
  errorCount: number;
  rootName: string;
  rootService: string;
  /** Dictionaries: logical services (sorted) and span names. */
  services: string[];
  names: string[];
  /** Packed columns, one entry per span in pre-order: ids are 16 hex digits each, concatenated; the rest comma-separated integers. */
  ids: string;
  /** Pre-order index of the parent, -1 for a root. */
  parents: string;
  depths: string;
  /** Rows in the span's subtree, itself included. */
  sizes: string;
  service: string;
  name: string;
  /** Microseconds from the trace start; duration in microseconds. */
  starts: string;
  durations: string;
  flags: string;
  /**
   * The critical path: the rows of its sections in time order, and the sections' boundaries (one more than
   * sections; they are contiguous) as the first time then differences, in microseconds from the trace start.
   */
  critical: string;
  criticalBounds: string;
};

/** The waterfall view of a trace's spans (any order). */
export function buildTraceView(traceId: string, input: readonly TraceViewRow[]): TraceView {
  const rows = [...input].sort((a, b) => a.startUs - b.startUs || (a.spanId < b.spanId ? -1 : a.spanId > b.spanId ? 1 : 0));
  const n = rows.length;
  const parentOf = parentIndexes(rows);
  const services = resolveServices(
    parentOf,
    rows.map((r) => r.serviceName),
    rows.map((r) => r.ownService ?? undefined),
  );

  // Children in start order (rows are sorted); spans whose parent is missing are roots.
  const firstChild = new Int32Array(n).fill(-1);
  const lastChild = new Int32Array(n).fill(-1);
  const nextSibling = new Int32Array(n).fill(-1);
  const roots: number[] = [];
  for (let i = 0; i < n; i++) {
    const p = parentOf[i]!;
    if (p === -1) {
      roots.push(i);
      continue;
    }
    if (lastChild[p] === -1) firstChild[p] = i;
    else nextSibling[lastChild[p]!] = i;
    lastChild[p] = i;
  }

  // Iterative pre-order walk; a parent cycle (never reached from a root) is walked from its earliest span.
  const order: number[] = [];
  const depth = new Int32Array(n);
  const visited = new Uint8Array(n);
  const walk = (root: number) => {
    const stack = [root];
    depth[root] = 0;
    while (stack.length > 0) {
      const i = stack.pop()!;
      if (visited[i]) continue;
      visited[i] = 1;
      order.push(i);
      const kids: number[] = [];
      for (let c = firstChild[i]!; c !== -1; c = nextSibling[c]!) if (!visited[c]) kids.push(c);
      for (let k = kids.length - 1; k >= 0; k--) {
        depth[kids[k]!] = depth[i]! + 1;
        stack.push(kids[k]!);
      }
    }
  };
  for (const r of roots) walk(r);
  for (let i = 0; i < n; i++) if (!visited[i]) walk(i);

  const pos = new Int32Array(n);
  order.forEach((i, k) => (pos[i] = k));
  const size = new Int32Array(n).fill(1);
  for (let k = n - 1; k >= 0; k--) {
    const i = order[k]!;
    const p = parentOf[i]!;
    if (p !== -1 && depth[i] !== 0) size[p]! += size[i]!;
  }

  const t0 = n > 0 ? rows[0]!.startUs : 0;
  let endUs = t0;
  for (const r of rows) endUs = Math.max(endUs, r.startUs + r.durationNs / 1000);

  const critical = criticalPathIndexed(
    Float64Array.from(rows, (r) => r.startUs),
    Float64Array.from(rows, (r) => r.startUs + r.durationNs / 1000),
    parentOf,
    Uint8Array.from(rows, (r) => (r.parentSpanId ? 1 : 0)),
  );
  const onPath = new Uint8Array(n);
  for (const c of critical) onPath[c.index] = 1;

  const serviceDict = [...new Set(services)].sort();
  const serviceIdx = new Map(serviceDict.map((s, i) => [s, i]));
  const nameIdx = new Map<string, number>();
  const names: string[] = [];
  const col = { parents: [] as number[], depths: [] as number[], sizes: [] as number[], service: [] as number[], name: [] as number[], starts: [] as number[], durations: [] as number[], flags: [] as number[] };
  let ids = "";
  let errorCount = 0;
  for (const i of order) {
    const r = rows[i]!;
    ids += r.spanId;
    const orphan = parentOf[i] === -1 && r.parentSpanId !== null;
    col.parents.push(parentOf[i] === -1 || depth[i] === 0 ? -1 : pos[parentOf[i]!]!);
    col.depths.push(depth[i]!);
    col.sizes.push(size[i]!);
    col.service.push(serviceIdx.get(services[i]!)!);
    let ni = nameIdx.get(r.name);
    if (ni === undefined) {
      ni = names.push(r.name) - 1;
      nameIdx.set(r.name, ni);
    }
    col.name.push(ni);
    col.starts.push(Math.round(r.startUs - t0));
    col.durations.push(Math.round(r.durationNs / 1000));
    if (r.statusCode === 2) errorCount++;
    col.flags.push(
      (r.kind & VIEW_FLAG.kindMask) |
        (r.statusCode === 2 ? VIEW_FLAG.error : 0) |
        (onPath[i] ? VIEW_FLAG.critical : 0) |
        (orphan ? VIEW_FLAG.orphan : 0) |
        (r.hasEvents ? VIEW_FLAG.events : 0) |
        (r.hasLinks ? VIEW_FLAG.links : 0),
    );
  }
  const root = n > 0 ? rows[order[0]!]! : undefined;
  return {
    traceId,
    startMs: t0 / 1000,
    durationMs: (endUs - t0) / 1000,
    spanCount: n,
    errorCount,
    rootName: root?.name ?? "",
    rootService: root ? services[order[0]!]! : "",
    services: serviceDict,
    names,
    ids,
    parents: col.parents.join(","),
    depths: col.depths.join(","),
    sizes: col.sizes.join(","),
    service: col.service.join(","),
    name: col.name.join(","),
    starts: col.starts.join(","),
    durations: col.durations.join(","),
    flags: col.flags.join(","),
    critical: critical.map((c) => pos[c.index]!).join(","),
    criticalBounds: boundsOf(critical, t0),
  };
}

/** Contiguous sections' boundaries, rounded to microseconds from `t0`, delta-encoded (short numbers). */
function boundsOf(sections: readonly { start: number; end: number }[], t0: number): string {
  if (sections.length === 0) return "";
  const out = [Math.round(sections[0]!.start - t0)];
  let prev = out[0]!;
  for (const c of sections) {
    const at = Math.round(c.end - t0);
    out.push(at - prev);
    prev = at;
  }
  return out.join(",");
}
