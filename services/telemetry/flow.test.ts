import { describe, expect, it } from "vitest";
import { criticalPath, type FlowEdge, type FlowGraph, logicalServices, traceFlowGraph } from "./flow";
import type { StoredSpan } from "./store";

/**
 * Spans shaped as the span store returns them (StoredSpan), with the attributes our own processes set:
 * the gateway's `trpc <path>` SERVER spans (server/gateway/tracing.ts), the outbox's `create` PRODUCER
 * spans (server/messaging/outbox.ts), the consumers' `process` CONSUMER spans that are children of AND
 * link to the create span (server/messaging/consumer.ts), and pg/ioredis auto-instrumentation CLIENT spans.
 */

const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const T0 = Date.UTC(2026, 10, 24, 12, 0, 0);
let seq = 0;
const id = () => (++seq).toString(16).padStart(16, "0");

type Spec = Partial<StoredSpan> & { name: string; serviceName: string; at: number; ms: number; parent?: StoredSpan | null };

function span(s: Spec): StoredSpan {
  const { at, ms, parent, ...rest } = s;
  return {
    traceId: TRACE,
    spanId: id(),
    parentSpanId: parent ? parent.spanId : null,
    traceState: null,
    flags: 1,
    resourceId: `res-${s.serviceName}`,
    kind: 1,
    startTime: new Date(T0 + at),
    endTime: new Date(T0 + at + ms),
    durationNs: String(Math.round(ms * 1e6)),
    statusCode: 0,
    statusMessage: null,
    httpRoute: null,
    httpMethod: null,
    httpStatusCode: null,
    dbSystem: null,
    messagingSystem: null,
    messagingDestination: null,
    peerService: null,
    scopeName: null,
    scopeVersion: null,
    resourceAttributes: { "service.name": s.serviceName },
    attributes: {},
    events: null,
    links: null,
    ...rest,
  };
}

const EVENT = "templator.events.v1.templates.TemplateUpdated";

/** Browser click -> web HTTP -> trpc templates.update (pg, outbox create, in-process ai.analyze) -> two consumers. */
function publishTrace() {
  const click = span({ name: "click Save", serviceName: "switchyard-browser", at: 0, ms: 400 });
  const fetch = span({ name: "HTTP POST", serviceName: "switchyard-browser", kind: 3, at: 2, ms: 120, parent: click, attributes: { "http.request.method": "POST" } });
  const http = span({ name: "POST /api/trpc/templates.update", serviceName: "switchyard-web", kind: 2, at: 5, ms: 110, parent: fetch, httpMethod: "POST" });
  const trpc = span({
    name: "trpc templates.update",
    serviceName: "switchyard-web",
    kind: 2,
    at: 6,
    ms: 100,
    parent: http,
    attributes: { "rpc.system": "trpc", "rpc.method": "templates.update", "switchyard.service": "templates" },
  });
  const select = span({ name: "pg.query:SELECT switchyard", serviceName: "switchyard-web", kind: 3, at: 8, ms: 4, parent: trpc, dbSystem: "postgresql", attributes: { "db.system": "postgresql", "db.name": "switchyard" } });
  const update = span({ name: "pg.query:UPDATE switchyard", serviceName: "switchyard-web", kind: 3, at: 14, ms: 12, parent: trpc, dbSystem: "postgresql", attributes: { "db.system": "postgresql", "db.name": "switchyard" } });
  const analyze = span({ name: "trpc ai.analyze", serviceName: "switchyard-web", kind: 2, at: 30, ms: 60, parent: trpc, attributes: { "switchyard.service": "ai" } });
  const create = span({
    name: `create ${EVENT}`,
    serviceName: "switchyard-web",
    kind: 4,
    at: 95,
    ms: 1,
    parent: trpc,
    messagingSystem: "switchyard.outbox",
    messagingDestination: EVENT,
    attributes: { "messaging.system": "switchyard.outbox", "messaging.destination.name": EVENT, "switchyard.service": "templates" },
  });
  const link = [{ traceId: TRACE, spanId: create.spanId, attributes: {} }];
  const consumeAi = span({
    name: `process ${EVENT}`,
    serviceName: "switchyard-worker",
    kind: 5,
    at: 136,
    ms: 50,
    parent: create,
    links: link,
    messagingSystem: "bullmq",
    messagingDestination: "consumer.ai.reindex",
    attributes: { "messaging.system": "bullmq", "messaging.destination.name": "consumer.ai.reindex", "switchyard.service": "ai" },
  });
  const redis = span({ name: "evalsha", serviceName: "switchyard-worker", kind: 3, at: 140, ms: 2, parent: consumeAi, dbSystem: "redis", attributes: { "db.system": "redis" } });
  const aiInsert = span({ name: "pg.query:INSERT switchyard", serviceName: "switchyard-worker", kind: 3, at: 150, ms: 6, parent: consumeAi, dbSystem: "postgresql", attributes: { "db.system": "postgresql", "db.name": "switchyard" } });
  const consumeAnalytics = span({
    name: `process ${EVENT}`,
    serviceName: "switchyard-worker",
    kind: 5,
    at: 116,
    ms: 20,
    parent: create,
    links: link,
    statusCode: 2,
    statusMessage: "boom",
    messagingSystem: "bullmq",
    messagingDestination: "consumer.analytics.record",
    attributes: { "messaging.system": "bullmq", "switchyard.service": "analytics" },
  });
  return { spans: [click, fetch, http, trpc, select, update, analyze, create, consumeAi, redis, aiInsert, consumeAnalytics], create, consumeAi };
}

const edgeOf = (edges: FlowEdge[], source: string, target: string) => edges.find((e) => e.source === source && e.target === target);

/** Edge crossings of a laid-out graph between adjacent layers, over the segments node -> waypoints -> node. */
function crossingsOf(g: FlowGraph): number {
  const at = new Map(g.nodes.map((n) => [n.id, n]));
  const segments: [layer: number, upper: number, lower: number][] = [];
  for (const e of g.edges) {
    const from = at.get(e.source)!;
    const to = at.get(e.target)!;
    if (to.layer <= from.layer) continue;
    const points = [from, ...(e.waypoints ?? []), to];
    for (let i = 1; i < points.length; i++) segments.push([points[i - 1]!.layer, points[i - 1]!.order, points[i]!.order]);
  }
  let n = 0;
  for (const [i, [l, u, v]] of segments.entries()) for (const [k, m, w] of segments.slice(i + 1)) if (k === l && (u - m) * (v - w) < 0) n++;
  return n;
}

describe("logicalServices", () => {
  it("uses switchyard.service, inherits it within a process, and falls back to the resource's service.name", () => {
    const { spans } = publishTrace();
    expect(logicalServices(spans)).toEqual([
      "switchyard-browser",
      "switchyard-browser",
      "switchyard-web",
      "templates",
      "templates", // pg spans under trpc templates.update, same process
      "templates",
      "ai",
      "templates",
      "ai",
      "ai",
      "ai",
      "analytics",
    ]);
  });

  it("survives a parent cycle and a 50,000-deep chain", () => {
    const a = span({ name: "a", serviceName: "x", at: 0, ms: 1 });
    const b = span({ name: "b", serviceName: "x", at: 0, ms: 1, parent: a });
    a.parentSpanId = b.spanId;
    expect(logicalServices([a, b])).toEqual(["x", "x"]);
    const chain: StoredSpan[] = [span({ name: "root", serviceName: "svc", at: 0, ms: 1, attributes: { "switchyard.service": "deep" } })];
    for (let i = 1; i < 50_000; i++) chain.push(span({ name: `s${i}`, serviceName: "svc", at: 0, ms: 1, parent: chain[i - 1]! }));
    const started = performance.now();
    const out = logicalServices(chain.reverse());
    expect(performance.now() - started).toBeLessThan(1000);
    expect(new Set(out)).toEqual(new Set(["deep"]));
  });
});

describe("traceFlowGraph", () => {
  it("draws browser -> web -> services, brokers and databases with counts and latency", () => {
    const { spans } = publishTrace();
    const g = traceFlowGraph(spans);
    expect(g.nodes.map((n) => [n.id, n.type, n.root])).toEqual([
      ["broker:switchyard.outbox/templator.events.v1.templates.TemplateUpdated", "broker", false],
      ["db:postgresql/switchyard", "database", false],
      ["db:redis", "database", false],
      ["svc:ai", "service", false],
      ["svc:analytics", "service", false],
      ["svc:switchyard-browser", "service", true],
      ["svc:switchyard-web", "service", false],
      ["svc:templates", "service", false],
    ]);
    expect(g.nodes.find((n) => n.id === "svc:analytics")).toMatchObject({ spans: 1, errors: 1 });
    expect(g.nodes.find((n) => n.id === "db:postgresql/switchyard")).toMatchObject({ label: "switchyard", system: "postgresql" });

    // client -> server across processes: the browser's fetch waited 120 ms.
    expect(edgeOf(g.edges, "svc:switchyard-browser", "svc:switchyard-web")).toMatchObject({ type: "call", count: 1, errors: 0, avgMs: 120, maxMs: 120 });
    expect(edgeOf(g.edges, "svc:switchyard-web", "svc:templates")).toMatchObject({ type: "internal", count: 1, avgMs: 100 });
    expect(edgeOf(g.edges, "svc:templates", "svc:ai")).toMatchObject({ type: "internal", count: 1, avgMs: 60 });
    expect(edgeOf(g.edges, "svc:templates", "db:postgresql/switchyard")).toMatchObject({ type: "database", count: 2, avgMs: 8, maxMs: 12 });
    expect(edgeOf(g.edges, "svc:ai", "db:postgresql/switchyard")).toMatchObject({ type: "database", count: 1, avgMs: 6 });
    expect(edgeOf(g.edges, "svc:ai", "db:redis")).toMatchObject({ type: "database", count: 1, avgMs: 2 });

    // producer -> broker -> consumers (the consumer's parent is the create span: no direct call edge).
    const broker = "broker:switchyard.outbox/templator.events.v1.templates.TemplateUpdated";
    expect(edgeOf(g.edges, "svc:templates", broker)).toMatchObject({ type: "produce", count: 1, avgMs: 1 });
    expect(edgeOf(g.edges, broker, "svc:ai")).toMatchObject({ type: "consume", count: 1, errors: 0, avgMs: 50, lagAvgMs: 40, lagMaxMs: 40 });
    expect(edgeOf(g.edges, broker, "svc:analytics")).toMatchObject({ type: "consume", count: 1, errors: 1, avgMs: 20, lagAvgMs: 20 });
    expect(g.edges.filter((e) => e.type === "internal" && e.target === "svc:ai").map((e) => e.source)).toEqual(["svc:templates"]);
    expect(g.edges).toHaveLength(9);
  });

  it("lays nodes out in layers from the root, deterministically", () => {
    const { spans } = publishTrace();
    const a = traceFlowGraph(spans);
    const b = traceFlowGraph([...spans].reverse());
    const layers = Object.fromEntries(a.nodes.map((n) => [n.id, n.layer]));
    expect(layers).toMatchObject({ "svc:switchyard-browser": 0, "svc:switchyard-web": 1, "svc:templates": 2 });
    expect(layers["svc:ai"]).toBe(4); // templates -> broker -> ai is longer than templates -> ai
    expect(layers["db:redis"]).toBe(5);
    expect(b.nodes.map((n) => [n.id, n.layer, n.order])).toEqual(a.nodes.map((n) => [n.id, n.layer, n.order]));
    expect(b.edges.map((e) => [e.id, e.waypoints])).toEqual(a.edges.map((e) => [e.id, e.waypoints]));
    // Nodes and the waypoints of longer edges share each layer's slots, never the same one.
    const taken = new Map<number, number[]>();
    for (const n of a.nodes) taken.set(n.layer, [...(taken.get(n.layer) ?? []), n.order]);
    for (const e of a.edges) for (const w of e.waypoints ?? []) taken.set(w.layer, [...(taken.get(w.layer) ?? []), w.order]);
    for (const [layer, orders] of taken) expect(orders.sort((x, y) => x - y)).toEqual(Array.from({ length: a.slots[layer]! }, (_, i) => i));
    // templates (layer 2) -> ai (layer 4) passes layer 3 beside the broker; templates -> postgresql passes 3 and 4.
    expect(edgeOf(a.edges, "svc:templates", "svc:ai")?.waypoints).toHaveLength(1);
    expect(edgeOf(a.edges, "svc:templates", "db:postgresql/switchyard")?.waypoints?.map((w) => w.layer)).toEqual([3, 4]);
    expect(edgeOf(a.edges, "svc:switchyard-web", "svc:templates")?.waypoints).toBeUndefined();
  });

  it("reorders a layer by its successors when that removes crossings (alternating sweeps, fewest crossings kept)", () => {
    // The gateway hands work to four services (same predecessor: by id on the first, downward sweep);
    // assets and catalog use postgresql, billing and deploys redis. Ordered by id, catalog -> postgresql
    // crosses billing -> redis; ordered by their databases (upward sweep) nothing crosses.
    const trpc = span({ name: "trpc deploys.release", serviceName: "switchyard-web", kind: 2, at: 0, ms: 100, attributes: { "switchyard.service": "gateway" } });
    const spans = [trpc];
    ["assets", "billing", "catalog", "deploys"].forEach((service, i) => {
      const work = span({ name: `trpc ${service}.run`, serviceName: "switchyard-web", kind: 2, at: 10 + 20 * i, ms: 15, parent: trpc, attributes: { "switchyard.service": service } });
      const db =
        service === "assets" || service === "catalog"
          ? { dbSystem: "postgresql", attributes: { "db.system": "postgresql", "db.name": "switchyard" } }
          : { dbSystem: "redis", attributes: { "db.system": "redis" } };
      spans.push(work, span({ name: `query ${service}`, serviceName: "switchyard-web", kind: 3, at: 12 + 20 * i, ms: 5, parent: work, ...db }));
    });
    const g = traceFlowGraph(spans);
    expect(crossingsOf(g)).toBe(0);
    const placed = Object.fromEntries(g.nodes.map((n) => [n.id, [n.layer, n.order]]));
    expect(placed).toEqual({
      "svc:gateway": [0, 0],
      "svc:assets": [1, 0],
      "svc:catalog": [1, 1],
      "svc:billing": [1, 2],
      "svc:deploys": [1, 3],
      "db:postgresql/switchyard": [2, 0],
      "db:redis": [2, 1],
    });
    expect(g.slots).toEqual([1, 4, 2]);
    const reversed = traceFlowGraph([...spans].reverse());
    expect(reversed.nodes.map((n) => [n.id, n.layer, n.order])).toEqual(g.nodes.map((n) => [n.id, n.layer, n.order]));
  });

  it("reorders waypoints with the nodes: templates -> postgresql passes left of the broker, not across broker -> ai", () => {
    const { spans } = publishTrace();
    const g = traceFlowGraph(spans);
    // One downward sweep put the broker first in layer 3, so broker -> ai crossed templates -> postgresql.
    expect(crossingsOf(g)).toBe(0);
    expect(Object.fromEntries(g.nodes.map((n) => [n.id, [n.layer, n.order]]))).toEqual({
      "svc:switchyard-browser": [0, 0],
      "svc:switchyard-web": [1, 0],
      "svc:templates": [2, 0],
      "broker:switchyard.outbox/templator.events.v1.templates.TemplateUpdated": [3, 1],
      "svc:analytics": [4, 1],
      "svc:ai": [4, 2],
      "db:postgresql/switchyard": [5, 0],
      "db:redis": [5, 1],
    });
    expect(edgeOf(g.edges, "svc:templates", "db:postgresql/switchyard")?.waypoints).toEqual([
      { layer: 3, order: 0 },
      { layer: 4, order: 0 },
    ]);
    expect(edgeOf(g.edges, "svc:templates", "svc:ai")?.waypoints).toEqual([{ layer: 3, order: 2 }]);
    expect(g.slots).toEqual([1, 1, 1, 3, 3, 2]);
  });

  it("leaves a crossing-free layout as the first sweep made it", () => {
    // gateway -> assets -> postgresql, gateway -> billing -> redis: ordered by id, nothing crosses.
    const trpc = span({ name: "trpc billing.charge", serviceName: "switchyard-web", kind: 2, at: 0, ms: 50, attributes: { "switchyard.service": "gateway" } });
    const assets = span({ name: "trpc assets.get", serviceName: "switchyard-web", kind: 2, at: 5, ms: 10, parent: trpc, attributes: { "switchyard.service": "assets" } });
    const billing = span({ name: "trpc billing.run", serviceName: "switchyard-web", kind: 2, at: 20, ms: 10, parent: trpc, attributes: { "switchyard.service": "billing" } });
    const pg = span({ name: "pg.query:SELECT", serviceName: "switchyard-web", kind: 3, at: 6, ms: 2, parent: assets, dbSystem: "postgresql", attributes: { "db.system": "postgresql" } });
    const redis = span({ name: "get", serviceName: "switchyard-web", kind: 3, at: 21, ms: 1, parent: billing, dbSystem: "redis", attributes: { "db.system": "redis" } });
    const g = traceFlowGraph([trpc, assets, billing, pg, redis]);
    expect(crossingsOf(g)).toBe(0);
    expect(g.nodes.map((n) => [n.id, n.layer, n.order])).toEqual([
      ["db:postgresql", 2, 0],
      ["db:redis", 2, 1],
      ["svc:assets", 1, 0],
      ["svc:billing", 1, 1],
      ["svc:gateway", 0, 0],
    ]);
  });

  it("pairs a consumer with its producer by link alone, once when parent and link agree", () => {
    const { spans, create } = publishTrace();
    // A batch consumer started its own root span and only links to the producer.
    const batch = span({
      name: "process batch",
      serviceName: "billing",
      kind: 5,
      at: 300,
      ms: 10,
      links: [{ traceId: TRACE, spanId: create.spanId, attributes: {} }],
      attributes: { "messaging.system": "bullmq", "messaging.destination.name": "billing" },
    });
    const g = traceFlowGraph([...spans, batch]);
    const broker = "broker:switchyard.outbox/templator.events.v1.templates.TemplateUpdated";
    expect(edgeOf(g.edges, broker, "svc:billing")).toMatchObject({ type: "consume", count: 1, lagAvgMs: 204 });
    expect(g.nodes.find((n) => n.id === "svc:billing")?.root).toBe(true);
    expect(edgeOf(g.edges, broker, "svc:ai")?.count).toBe(1);
  });

  it("uses the consumer's own destination when its producer is in another trace, and handles a lone root", () => {
    const consumer = span({
      name: "process x",
      serviceName: "switchyard-worker",
      kind: 5,
      at: 0,
      ms: 5,
      links: [{ traceId: "0".repeat(31) + "1", spanId: "00000000000000aa", attributes: {} }],
      messagingSystem: "bullmq",
      messagingDestination: "consumer.projects",
      attributes: { "switchyard.service": "projects" },
    });
    const g = traceFlowGraph([consumer]);
    expect(g.nodes.map((n) => [n.id, n.layer, n.root])).toEqual([
      ["broker:bullmq/consumer.projects", 0, false],
      ["svc:projects", 1, true],
    ]);
    expect(g.edges).toEqual([expect.objectContaining({ source: "broker:bullmq/consumer.projects", target: "svc:projects", type: "consume", count: 1, avgMs: 5 })]);
    expect(g.edges[0]!.lagAvgMs).toBeUndefined();
    expect(traceFlowGraph([])).toEqual({ nodes: [], edges: [], slots: [] });
  });

  it("keeps a cycle of calls drawable (services calling each other back)", () => {
    const a = span({ name: "trpc templates.get", serviceName: "switchyard-web", kind: 2, at: 0, ms: 50, attributes: { "switchyard.service": "templates" } });
    const b = span({ name: "trpc assets.check", serviceName: "switchyard-web", kind: 2, at: 5, ms: 30, parent: a, attributes: { "switchyard.service": "assets" } });
    const c = span({ name: "trpc templates.list", serviceName: "switchyard-web", kind: 2, at: 10, ms: 10, parent: b, attributes: { "switchyard.service": "templates" } });
    const g = traceFlowGraph([a, b, c]);
    expect(g.edges.map((e) => `${e.source}>${e.target}`)).toEqual(["svc:assets>svc:templates", "svc:templates>svc:assets"]);
    expect(g.nodes.map((n) => [n.id, n.layer])).toEqual([
      ["svc:assets", 1],
      ["svc:templates", 0],
    ]);
  });
});

describe("criticalPath", () => {
  const at = (name: string, start: number, end: number, parent?: StoredSpan) =>
    span({ name, serviceName: "s", at: start, ms: end - start, ...(parent ? { parent } : {}) });
  const names = (spans: StoredSpan[]) => {
    const byId = new Map(spans.map((s) => [s.spanId, s.name]));
    return (sections: ReturnType<typeof criticalPath>) => sections.map((c) => [byId.get(c.spanId), c.startMs - T0, c.endMs - T0]);
  };

  it("walks sequential children and gives the gaps to the parent", () => {
    const root = at("root", 0, 100);
    const spans = [root, at("A", 10, 40, root), at("B", 50, 90, root)];
    expect(names(spans)(criticalPath(spans))).toEqual([
      ["root", 0, 10],
      ["A", 10, 40],
      ["root", 40, 50],
      ["B", 50, 90],
      ["root", 90, 100],
    ]);
  });

  it("follows the last-finishing child and skips siblings that overlap it", () => {
    const root = at("root", 0, 100);
    const a = at("A", 10, 90, root);
    const spans = [root, a, at("A1", 20, 50, a), at("A2", 40, 85, a), at("B", 5, 60, root)];
    expect(names(spans)(criticalPath(spans))).toEqual([
      ["root", 0, 10],
      ["A", 10, 40],
      ["A2", 40, 85],
      ["A", 85, 90],
      ["root", 90, 100],
    ]);
  });

  it("clips children to their parent and ignores those starting after it ended", () => {
    const root = at("root", 0, 100);
    const spans = [root, at("late", 50, 150, root), at("after", 120, 130, root)];
    expect(names(spans)(criticalPath(spans))).toEqual([
      ["root", 0, 50],
      ["late", 50, 100],
    ]);
  });

  it("starts from the root that finishes last, in any input order", () => {
    const r1 = at("early", 0, 30);
    const r2 = at("main", 10, 200);
    const c = at("child", 20, 150, r2);
    const spans = [c, r1, r2];
    expect(names(spans)(criticalPath(spans))).toEqual([
      ["main", 10, 20],
      ["child", 20, 150],
      ["main", 150, 200],
    ]);
    expect(criticalPath([])).toEqual([]);
  });

  it("keeps zero-length leaves and copes with 50,000 spans", () => {
    const root = at("root", 0, 10);
    const spans = [root, at("instant", 10, 10, root)];
    expect(names(spans)(criticalPath(spans))).toEqual([
      ["root", 0, 10],
      ["instant", 10, 10],
    ]);
    const chain: StoredSpan[] = [at("c0", 0, 100_000)];
    for (let i = 1; i < 50_000; i++) chain.push(at(`c${i}`, i, 100_000 - i, chain[i - 1]!));
    const started = performance.now();
    const path = criticalPath(chain);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(path).toHaveLength(2 * 50_000 - 1);
    expect(path[0]).toMatchObject({ startMs: T0 });
    expect(path.at(-1)).toMatchObject({ endMs: T0 + 100_000 });
  });
});
