/**
 * One trace's flow graph and critical path, computed from its spans (pure functions, no I/O).
 *
 * Flow graph nodes:
 * - `service`: a span's logical service — its `switchyard.service` attribute when present (the gateway's
 *   procedure spans and the messaging spans carry it), else the service of its parent when the parent ran
 *   in the same process (same resource `service.name`: a pg span under `trpc templates.create` belongs to
 *   templates), else its resource `service.name` (e.g. `switchyard-browser`, `switchyard-web`).
 * - `broker`: `messaging.system` + `messaging.destination.name` of producer and consumer spans.
 * - `database`: `db.system` (+ `db.namespace` / `db.name`) of client spans.
 * Edges (each with count, errors, avg and max latency in ms):
 * - `call`: a SERVER span whose parent is a CLIENT span of another node; latency = the client span's
 *   duration (what the caller waited); an error when either side failed.
 * - `internal`: any other span whose parent belongs to another node; latency = the child's duration.
 * - `produce`: a PRODUCER span -> its broker; latency = the producer span's duration.
 * - `consume`: broker -> a CONSUMER span's service. A consumer pairs with its producer(s) by parent id OR
 *   by span link (our consumers do both, counted once); the broker is the producer's destination, else the
 *   consumer's own. Latency = the consumer span's duration; `lagAvgMs`/`lagMaxMs` = time in the broker
 *   (consumer start - producer end, at least 0) of the paired deliveries.
 * - `database`: a node -> the database of its db client span; latency = the span's duration.
 * Root nodes are those of spans with no parent in the trace (the browser, or the process that started it).
 */

/** What the flow graph and the critical path read from a span; `StoredSpan` (store.ts) is one. */
export type FlowSpan = {
  spanId: string;
  parentSpanId: string | null;
  /** The resource's `service.name`. */
  serviceName: string;
  /** OTLP SpanKind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  /** 2 = Error. */
  statusCode: number;
  /** Start, as a Date or epoch milliseconds (fractions allowed). */
  startTime: Date | number;
  durationNs: string | number;
  attributes: Record<string, unknown>;
  links?: { traceId: string; spanId: string }[] | null;
  dbSystem?: string | null;
  messagingSystem?: string | null;
  messagingDestination?: string | null;
};

export type FlowNodeType = "service" | "broker" | "database";
export type FlowEdgeType = "call" | "internal" | "produce" | "consume" | "database";

export type FlowNode = {
  id: string;
  type: FlowNodeType;
  label: string;
  /** The broker's messaging system or the database's system. */
  system?: string;
  /** Spans that belong to the node (services only) and how many of them failed. */
  spans: number;
  errors: number;
  root: boolean;
  /** Deterministic layered layout: layer (longest path from a root) and slot within the layer. */
  layer: number;
  order: number;
};

export type FlowEdge = {
  id: string;
  source: string;
  target: string;
  type: FlowEdgeType;
  count: number;
  errors: number;
  avgMs: number;
  maxMs: number;
  lagAvgMs?: number;
  lagMaxMs?: number;
  waypoints?: Waypoint[];
};

/** Where an edge spanning several layers crosses each layer between (a free slot, see `FlowGraph.slots`). */
export type Waypoint = { layer: number; order: number };

/** `slots[layer]`: positions in that layer, nodes and the waypoints of edges passing through. */
export type FlowGraph = { nodes: FlowNode[]; edges: FlowEdge[]; slots: number[] };

const SPAN_KIND = { server: 2, client: 3, producer: 4, consumer: 5 } as const;
const ERROR = 2;

const str = (v: unknown): string | undefined => (typeof v === "string" && v.length > 0 ? v : undefined);
/** Epoch milliseconds of a span's start. */
export const startMsOf = (s: Pick<FlowSpan, "startTime">): number => (typeof s.startTime === "number" ? s.startTime : s.startTime.getTime());
/** A span's duration in milliseconds. */
export const durationMsOf = (s: Pick<FlowSpan, "durationNs">): number => Number(s.durationNs) / 1e6;

/** Each span's parent as an index into the same list, -1 when it has none in the list (or names itself). */
export function parentIndexes(spans: readonly Pick<FlowSpan, "spanId" | "parentSpanId">[]): Int32Array {
  const index = new Map<string, number>();
  for (let i = 0; i < spans.length; i++) index.set(spans[i]!.spanId, i);
  const parent = new Int32Array(spans.length).fill(-1);
  for (let i = 0; i < spans.length; i++) {
    const id = spans[i]!.parentSpanId;
    const p = id ? index.get(id) : undefined;
    if (p !== undefined && p !== i) parent[i] = p;
  }
  return parent;
}

/**
 * Logical services by index (see the module comment): `own[i]` is span i's `switchyard.service` (or
 * undefined), `resource[i]` its resource service.name, `parent[i]` its parent's index or -1. Iterative, so a
 * 50,000-deep chain is fine; a parent cycle (malformed input) ends the walk.
 */
export function resolveServices(parent: Int32Array, resource: readonly string[], own: readonly (string | undefined)[]): string[] {
  const n = parent.length;
  const out: (string | undefined)[] = new Array<string | undefined>(n).fill(undefined);
  const chain: number[] = [];
  const onChain = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let j = i;
    // Walk up while the service is inherited and not yet known.
    while (out[j] === undefined) {
      const mine = own[j];
      if (mine) {
        out[j] = mine;
        break;
      }
      const p = parent[j]!;
      if (p === -1 || resource[p] !== resource[j] || onChain[p]) {
        out[j] = resource[j];
        break;
      }
      chain.push(j);
      onChain[j] = 1;
      j = p;
    }
    const resolved = out[j];
    for (const k of chain) {
      out[k] = resolved;
      onChain[k] = 0;
    }
    chain.length = 0;
  }
  return out as string[];
}

/** Every span's logical service (see the module comment), in the order of `spans`. */
export function logicalServices(spans: readonly Pick<FlowSpan, "spanId" | "parentSpanId" | "serviceName" | "attributes">[]): string[] {
  return resolveServices(
    parentIndexes(spans),
    spans.map((s) => s.serviceName),
    spans.map((s) => str(s.attributes["switchyard.service"])),
  );
}

function brokerOf(s: FlowSpan): { id: string; label: string; system: string } | undefined {
  const system = s.messagingSystem ?? str(s.attributes["messaging.system"]);
  const dest = s.messagingDestination ?? str(s.attributes["messaging.destination.name"]) ?? str(s.attributes["messaging.destination"]);
  return system && dest ? { id: `broker:${system}/${dest}`, label: dest, system } : undefined;
}

function databaseOf(s: FlowSpan): { id: string; label: string; system: string } | undefined {
  if (s.kind !== SPAN_KIND.client) return undefined;
  const system = s.dbSystem ?? str(s.attributes["db.system.name"]) ?? str(s.attributes["db.system"]);
  if (!system) return undefined;
  const name = str(s.attributes["db.namespace"]) ?? str(s.attributes["db.name"]);
  return { id: `db:${system}${name ? `/${name}` : ""}`, label: name ?? system, system };
}

class EdgeAcc {
  count = 0;
  errors = 0;
  sum = 0;
  max = 0;
  lagN = 0;
  lagSum = 0;
  lagMax = 0;
  constructor(
    readonly source: string,
    readonly target: string,
    readonly type: FlowEdgeType,
  ) {}
  add(ms: number, failed: boolean): void {
    this.count++;
    if (failed) this.errors++;
    this.sum += ms;
    if (ms > this.max) this.max = ms;
  }
  lag(ms: number): void {
    this.lagN++;
    this.lagSum += ms;
    if (ms > this.lagMax) this.lagMax = ms;
  }
}

/** The flow graph of one trace's spans (see the module comment for the rules). */
export function traceFlowGraph(spans: readonly FlowSpan[]): FlowGraph {
  const index = new Map<string, number>();
  spans.forEach((s, i) => index.set(s.spanId, i));
  const parentOf = parentIndexes(spans);
  const service = resolveServices(
    parentOf,
    spans.map((s) => s.serviceName),
    spans.map((s) => str(s.attributes["switchyard.service"])),
  );
  const nodes = new Map<string, FlowNode>();
  const edges = new Map<string, EdgeAcc>();
  const node = (id: string, type: FlowNodeType, label: string, system?: string): FlowNode => {
    let n = nodes.get(id);
    if (!n) {
      n = { id, type, label, ...(system ? { system } : {}), spans: 0, errors: 0, root: false, layer: 0, order: 0 };
      nodes.set(id, n);
    }
    return n;
  };
  const edge = (source: string, target: string, type: FlowEdgeType): EdgeAcc => {
    const key = `${type}:${source}->${target}`;
    let e = edges.get(key);
    if (!e) edges.set(key, (e = new EdgeAcc(source, target, type)));
    return e;
  };
  const svcId = (i: number) => `svc:${service[i]}`;

  for (let i = 0; i < spans.length; i++) {
    const s = spans[i]!;
    const me = node(svcId(i), "service", service[i]!);
    me.spans++;
    const failed = s.statusCode === ERROR;
    if (failed) me.errors++;
    const p = parentOf[i] === -1 ? undefined : parentOf[i]!;
    if (p === undefined) me.root = true;

    let pairedWithParent = false;
    if (s.kind === SPAN_KIND.consumer) {
      const producers = new Set<number>();
      if (p !== undefined && spans[p]!.kind === SPAN_KIND.producer) producers.add(p);
      for (const l of s.links ?? []) {
        const q = index.get(l.spanId);
        if (q !== undefined && q !== i && spans[q]!.kind === SPAN_KIND.producer) producers.add(q);
      }
      pairedWithParent = p !== undefined && producers.has(p);
      const own = brokerOf(s);
      const duration = durationMsOf(s);
      if (producers.size === 0 && own) {
        node(own.id, "broker", own.label, own.system);
        edge(own.id, me.id, "consume").add(duration, failed);
      }
      for (const q of producers) {
        const producer = spans[q]!;
        const broker = brokerOf(producer) ?? own;
        const lag = Math.max(0, startMsOf(s) - (startMsOf(producer) + durationMsOf(producer)));
        if (broker) {
          node(broker.id, "broker", broker.label, broker.system);
          const e = edge(broker.id, me.id, "consume");
          e.add(duration, failed);
          e.lag(lag);
        } else {
          const e = edge(svcId(q), me.id, "internal");
          e.add(duration, failed || producer.statusCode === ERROR);
        }
      }
    } else if (s.kind === SPAN_KIND.producer) {
      const broker = brokerOf(s);
      if (broker) {
        node(broker.id, "broker", broker.label, broker.system);
        edge(me.id, broker.id, "produce").add(durationMsOf(s), failed);
      }
    }

    const db = databaseOf(s);
    if (db) {
      node(db.id, "database", db.label, db.system);
      edge(me.id, db.id, "database").add(durationMsOf(s), failed);
    }

    if (p !== undefined && !pairedWithParent && service[p] !== service[i]) {
      const parent = spans[p]!;
      if (s.kind === SPAN_KIND.server && parent.kind === SPAN_KIND.client) {
        edge(svcId(p), me.id, "call").add(durationMsOf(parent), failed || parent.statusCode === ERROR);
      } else {
        edge(svcId(p), me.id, "internal").add(durationMsOf(s), failed);
      }
    }
  }

  const flowEdges: FlowEdge[] = [...edges.values()]
    .map((e) => ({
      id: `${e.type}:${e.source}->${e.target}`,
      source: e.source,
      target: e.target,
      type: e.type,
      count: e.count,
      errors: e.errors,
      avgMs: e.sum / e.count,
      maxMs: e.max,
      ...(e.lagN > 0 ? { lagAvgMs: e.lagSum / e.lagN, lagMaxMs: e.lagMax } : {}),
    }))
    .sort((a, b) => cmp(a.id, b.id));
  const flowNodes = [...nodes.values()].sort((a, b) => cmp(a.id, b.id));
  const slots = layout(flowNodes, flowEdges);
  return { nodes: flowNodes, edges: flowEdges, slots };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Alternating reordering sweeps after the first downward one (upward, downward, upward, downward). */
const EXTRA_SWEEPS = 4;

/**
 * Layers by longest path from the root nodes (edges closing a cycle are ignored, found by a DFS in id
 * order); an edge spanning several layers gets a slot (its waypoint) in each layer between. Then orders each
 * layer's slots, nodes and waypoints alike: a first downward sweep by the mean order of their predecessors
 * (roots first), ties by id, gives the initial order; then up to `EXTRA_SWEEPS` alternating sweeps, upward
 * by the mean order of successors and downward by the mean order of predecessors (a slot without neighbours
 * in the layer of reference keeps its current position as key), ties by id. After each sweep the edge
 * crossings between adjacent layers are counted (slot to slot, waypoints included, O(E log E) per layer
 * pair) and the ordering with the fewest wins, the initial one on ties: a crossing-free layout never changes.
 * Sets each node's `layer` and `order` and each longer edge's `waypoints`; returns the slots per layer.
 */
function layout(nodes: FlowNode[], edges: FlowEdge[]): number[] {
  const out = new Map<string, string[]>(nodes.map((n) => [n.id, []]));
  for (const e of edges) if (e.source !== e.target) out.get(e.source)!.push(e.target);
  for (const list of out.values()) list.sort(cmp);
  const hasIncoming = new Set(edges.filter((e) => e.source !== e.target).map((e) => e.target));
  const starts = [...nodes.filter((n) => n.root), ...nodes.filter((n) => !n.root && !hasIncoming.has(n.id)), ...nodes];

  // DFS (iterative) for a topological order without back edges.
  const state = new Map<string, 1 | 2>();
  const topo: string[] = [];
  const forward = new Map<string, string[]>(nodes.map((n) => [n.id, []]));
  for (const start of starts) {
    if (state.has(start.id)) continue;
    const stack: { id: string; next: number }[] = [{ id: start.id, next: 0 }];
    state.set(start.id, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const targets = out.get(top.id)!;
      if (top.next < targets.length) {
        const t = targets[top.next++]!;
        const st = state.get(t);
        if (st === 1) continue; // back edge: closes a cycle
        forward.get(top.id)!.push(t);
        if (st === undefined) {
          state.set(t, 1);
          stack.push({ id: t, next: 0 });
        }
      } else {
        state.set(top.id, 2);
        topo.push(top.id);
        stack.pop();
      }
    }
  }
  topo.reverse();
  const byId = new Map(nodes.map((n) => [n.id, n]));
  for (const id of topo) {
    const n = byId.get(id)!;
    for (const t of forward.get(id)!) byId.get(t)!.layer = Math.max(byId.get(t)!.layer, n.layer + 1);
  }

  // Sugiyama-style: an edge spanning several layers passes through a free slot in each layer between, so it
  // never runs through a node; slots are ordered with the nodes. Every link joins adjacent layers.
  // `rank`: position by id within the layer (ties by id without comparing strings); `key`: the sort key.
  type Slot = { id: string; layer: number; preds: Slot[]; succs: Slot[]; order: number; rank: number; key: number; node?: FlowNode };
  const slots = new Map<string, Slot>(nodes.map((n) => [n.id, { id: n.id, layer: n.layer, preds: [], succs: [], order: 0, rank: 0, key: 0, node: n }]));
  const link = (from: Slot, to: Slot) => {
    from.succs.push(to);
    to.preds.push(from);
  };
  const through = new Map<FlowEdge, Slot[]>();
  for (const e of edges) {
    const from = slots.get(e.source)!;
    const to = slots.get(e.target)!;
    if (to.layer <= from.layer) continue; // a back edge (cycle) or a self-call: drawn directly
    let prev = from;
    const via: Slot[] = [];
    for (let l = from.layer + 1; l < to.layer; l++) {
      const d: Slot = { id: `${e.id}@${l}`, layer: l, preds: [], succs: [], order: 0, rank: 0, key: 0 };
      link(prev, d);
      slots.set(d.id, d);
      via.push(d);
      prev = d;
    }
    link(prev, to);
    if (via.length > 0) through.set(e, via);
  }
  const depth = nodes.reduce((max, n) => Math.max(max, n.layer + 1), 0);
  let layers: Slot[][] = Array.from({ length: depth }, () => []);
  for (const slot of slots.values()) layers[slot.layer]!.push(slot);
  for (const list of layers) list.sort((a, b) => cmp(a.id, b.id)).forEach((x, i) => (x.rank = i));

  const mean = (list: Slot[], none: number) => (list.length ? list.reduce((sum, x) => sum + x.order, 0) / list.length : none);
  /** Sorts a layer by a key computed from the current orders, ties by id, and renumbers it. */
  const reorder = (list: Slot[], key: (x: Slot) => number) => {
    for (const x of list) x.key = key(x);
    list.sort((a, b) => a.key - b.key || a.rank - b.rank);
    list.forEach((x, i) => (x.order = i));
  };
  /**
   * Crossings of the slot-to-slot links between all adjacent layers: per layer pair, the links sorted by
   * upper then lower end, and the inversions of their lower ends counted with a Fenwick tree.
   */
  const crossings = (): number => {
    let total = 0;
    for (let l = 0; l + 1 < layers.length; l++) {
      const width = layers[l + 1]!.length;
      const links: number[] = [];
      for (const u of layers[l]!) for (const v of u.succs) links.push(u.order * width + v.order);
      const sorted = Float64Array.from(links).sort();
      const tree = new Int32Array(width + 1);
      for (let seen = 0; seen < sorted.length; seen++) {
        const v = sorted[seen]! % width;
        let atMost = 0; // earlier links (upper end before, or the same and lower end not after) ending at most at v
        for (let i = v + 1; i > 0; i -= i & -i) atMost += tree[i]!;
        total += seen - atMost;
        for (let i = v + 1; i <= width; i += i & -i) tree[i]!++;
      }
    }
    return total;
  };

  for (const list of layers) reorder(list, (x) => mean(x.preds, -1));
  let best = layers.map((list) => [...list]);
  let fewest = crossings();
  for (let sweep = 0; sweep < EXTRA_SWEEPS && fewest > 0; sweep++) {
    if (sweep % 2 === 0) for (let l = layers.length - 2; l >= 0; l--) reorder(layers[l]!, (x) => mean(x.succs, x.order));
    else for (let l = 1; l < layers.length; l++) reorder(layers[l]!, (x) => mean(x.preds, x.order));
    const count = crossings();
    if (count < fewest) {
      fewest = count;
      best = layers.map((list) => [...list]);
    }
  }
  layers = best;
  for (const list of layers)
    list.forEach((x, i) => {
      x.order = i;
      if (x.node) x.node.order = i;
    });
  for (const [e, via] of through) e.waypoints = via.map((d) => ({ layer: d.layer, order: d.order }));
  return layers.map((list) => list.length);
}

/** A stretch of time during which `spanId` was on the trace's critical path. */
export type CriticalSection = { spanId: string; startMs: number; endMs: number };

/**
 * The critical path (Jaeger's definition): starting at the root (a span without parent; else one whose parent
 * is missing) that finishes last, repeatedly descend into the child that finishes last before the current
 * point in time; the time between that child's end and the current point belongs to the parent; after a
 * child, continue in the parent from the child's start. Child spans are clipped to their parent (those
 * starting after it ended are ignored). Sections come back in time order; iterative, so deep traces are fine.
 */
export function criticalPath(spans: readonly Pick<FlowSpan, "spanId" | "parentSpanId" | "startTime" | "durationNs">[]): CriticalSection[] {
  const start = Float64Array.from(spans, startMsOf);
  const end = Float64Array.from(spans, (s, i) => start[i]! + durationMsOf(s));
  const hasParentId = Uint8Array.from(spans, (s) => (s.parentSpanId ? 1 : 0));
  return criticalPathIndexed(start, end, parentIndexes(spans), hasParentId).map((c) => ({ spanId: spans[c.index]!.spanId, startMs: c.start, endMs: c.end }));
}

/** `criticalPath` over columns (any time unit): sections as `{ index, start, end }`, in time order. */
export function criticalPathIndexed(
  startOf: Float64Array,
  endOf: Float64Array,
  parentOf: Int32Array,
  hasParentId: Uint8Array,
): { index: number; start: number; end: number }[] {
  const n = startOf.length;
  let root = -1;
  let rootIsTrue = false;
  for (let i = 0; i < n; i++) {
    if (parentOf[i] !== -1) continue;
    const isTrue = !hasParentId[i];
    // A true root (no parent id) over an orphan whose parent is missing; then the one that finishes last.
    const better =
      root === -1 ||
      (isTrue && !rootIsTrue) ||
      (isTrue === rootIsTrue && (endOf[i]! > endOf[root]! || (endOf[i] === endOf[root] && startOf[i]! < startOf[root]!)));
    if (better) {
      root = i;
      rootIsTrue = isTrue;
    }
  }
  if (root === -1) return [];

  // Children lists (CSR), then the clipped tree top-down (breadth first) with children by latest end first.
  const childCount = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) if (parentOf[i] !== -1) childCount[parentOf[i]! + 1]!++;
  for (let i = 0; i < n; i++) childCount[i + 1]! += childCount[i]!;
  const firstChild = childCount.slice(0, n);
  const children = new Int32Array(Math.max(0, childCount[n]!));
  const fill = firstChild.slice();
  for (let i = 0; i < n; i++) if (parentOf[i] !== -1) children[fill[parentOf[i]!]!++] = i;

  const s = new Float64Array(n);
  const e = new Float64Array(n);
  const up = new Int32Array(n).fill(-1);
  const kids: number[][] = [];
  const slot = new Int32Array(n).fill(-1);
  const queue = [root];
  s[root] = startOf[root]!;
  e[root] = endOf[root]!;
  for (let qi = 0; qi < queue.length; qi++) {
    const p = queue[qi]!;
    const list: number[] = [];
    for (let k = firstChild[p]!; k < fill[p]!; k++) {
      const c = children[k]!;
      if (slot[c] !== -1 || c === root) continue;
      const cs = Math.max(startOf[c]!, s[p]!);
      if (cs > e[p]!) continue;
      s[c] = cs;
      e[c] = Math.min(endOf[c]!, e[p]!);
      up[c] = p;
      slot[c] = 0;
      list.push(c);
      queue.push(c);
    }
    // Latest end first; among equal ends, the later start (the shorter one) first.
    list.sort((a, b) => e[b]! - e[a]! || s[b]! - s[a]!);
    slot[p] = kids.push(list) - 1;
  }

  const next = new Int32Array(n);
  const sections: { index: number; start: number; end: number }[] = [];
  let cur = root;
  let barrier = e[root]!;
  while (cur !== -1) {
    const list = kids[slot[cur]!]!;
    while (next[cur]! < list.length && e[list[next[cur]!]!]! > barrier) next[cur]!++;
    const child = list[next[cur]!];
    if (child !== undefined) {
      next[cur]!++;
      if (e[child]! < barrier) sections.push({ index: cur, start: e[child]!, end: barrier });
      cur = child;
      barrier = e[child]!;
      continue;
    }
    // A leaf is on the path even when it took no time; a parent only for the time before its first child.
    if (barrier > s[cur]! || list.length === 0) sections.push({ index: cur, start: s[cur]!, end: Math.max(barrier, s[cur]!) });
    barrier = s[cur]!;
    cur = up[cur]!;
  }
  return sections.reverse();
}
