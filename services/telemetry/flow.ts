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

import { cmp, layout } from "./flow-layout";

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
