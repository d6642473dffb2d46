import type pg from "pg";
import { elapsedSeconds, listServiceRed, type RedFigures, type RedScope, type TimeRange } from "./dashboards";
import { serviceGraph, type GraphEdgeType, type GraphNode } from "./graph";

/**
 * The service map's read model: the service graph of services/telemetry/graph.ts with RED on every node
 * and edge. Service nodes carry the service's RED from the rollups (as on its dashboard); a database node
 * the spans calling it (`db.system`), a broker node the messages published to it. Services seen in the
 * range without any edge are nodes too. A producer->consumer pair whose messages went through a broker
 * the graph also shows (producer -> broker -> consumer) is folded into that broker->consumer edge as its
 * `deliveries` (time in the broker), so the map does not draw the same flow twice.
 */

type Queryable = Pick<pg.Pool | pg.PoolClient, "query">;

export type MapNode = GraphNode & { red: RedFigures | null; scope: RedScope | "database" | "broker" | null };
export type MapDelivery = { producer: string; calls: number; errors: number; errorPct: number; p50Ms: number; p95Ms: number };
export type MapEdge = {
  id: string;
  source: string;
  target: string;
  type: GraphEdgeType;
  calls: number;
  /** Calls per second over the range. */
  rate: number;
  errors: number;
  errorPct: number;
  p50Ms: number;
  p95Ms: number;
  deliveries?: MapDelivery[];
};
export type ServiceMap = { from: Date; to: Date; nodes: MapNode[]; edges: MapEdge[] };

/** The service map over [from, to). */
export async function serviceMap(db: Queryable, range: TimeRange, opts: { now?: Date } = {}): Promise<ServiceMap> {
  const now = opts.now ?? new Date();
  const seconds = elapsedSeconds(range, now);
  const [graph, services, sinks] = await Promise.all([serviceGraph(db, range), listServiceRed(db, range, { now, sparkPoints: 1 }), sinkRed(db, range, seconds)]);

  const nodes = new Map<string, MapNode>();
  for (const n of graph.nodes) nodes.set(n.id, { ...n, red: null, scope: null });
  for (const s of services) {
    const node = nodes.get(s.service);
    if (node && node.type !== "service") continue;
    nodes.set(s.service, { id: s.service, type: "service", red: s.totals, scope: s.scope });
  }
  for (const [id, red] of sinks) {
    const node = nodes.get(id);
    if (node && node.type !== "service") Object.assign(node, { red, scope: node.type });
  }

  const messaging = new Set(graph.edges.filter((e) => e.type === "messaging").map((e) => `${e.source}\u0000${e.target}`));
  const edges: MapEdge[] = graph.edges
    .filter((e) => e.type !== "producer_consumer")
    .map((e) => ({
      id: `${e.type}:${e.source}->${e.target}`,
      source: e.source,
      target: e.target,
      type: e.type,
      calls: e.calls,
      rate: e.calls / seconds,
      errors: e.errors,
      errorPct: e.calls > 0 ? (e.errors / e.calls) * 100 : 0,
      p50Ms: e.p50Ms,
      p95Ms: e.p95Ms,
    }));
  for (const pc of graph.edges.filter((e) => e.type === "producer_consumer")) {
    const delivery: MapDelivery = { producer: pc.source, calls: pc.calls, errors: pc.errors, errorPct: pc.calls > 0 ? (pc.errors / pc.calls) * 100 : 0, p50Ms: pc.p50Ms, p95Ms: pc.p95Ms };
    const via = edges.filter((e) => e.type === "messaging" && e.target === pc.target && messaging.has(`${pc.source}\u0000${e.source}`));
    if (via.length > 0) {
      for (const e of via) (e.deliveries ??= []).push(delivery);
    } else {
      edges.push({
        id: `producer_consumer:${pc.source}->${pc.target}`,
        source: pc.source,
        target: pc.target,
        type: pc.type,
        calls: pc.calls,
        rate: pc.calls / seconds,
        errors: pc.errors,
        errorPct: delivery.errorPct,
        p50Ms: pc.p50Ms,
        p95Ms: pc.p95Ms,
      });
    }
  }
  const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return { from: range.from, to: range.to, nodes: [...nodes.values()].sort(byId), edges: edges.sort(byId) };
}

/** RED of database nodes (spans with db.system) and broker nodes (messages published), by node id. */
async function sinkRed(db: Queryable, range: TimeRange, seconds: number): Promise<Map<string, RedFigures>> {
  const res = await db.query<{ node: string; calls: string; errors: string; p50: number; p95: number; p99: number }>(
    `SELECT node, count(*)::text AS calls, count(*) FILTER (WHERE failed)::text AS errors,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50, percentile_cont(0.95) WITHIN GROUP (ORDER BY ms) AS p95,
            percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) AS p99
       FROM (
         SELECT 'db:' || db_system AS node, duration_ns / 1e6 AS ms, status_code = 2 AS failed
           FROM telemetry.spans WHERE start_time >= $1 AND start_time < $2 AND db_system IS NOT NULL
         UNION ALL
         SELECT messaging_system || ':' || messaging_destination, duration_ns / 1e6, status_code = 2
           FROM telemetry.spans WHERE start_time >= $1 AND start_time < $2 AND kind = 4
            AND messaging_system IS NOT NULL AND messaging_destination IS NOT NULL
       ) x GROUP BY node`,
    [range.from, range.to],
  );
  return new Map(
    res.rows.map((r) => {
      const calls = Number(r.calls);
      const errors = Number(r.errors);
      return [r.node, { calls, rate: calls / seconds, errors, errorPct: calls > 0 ? (errors / calls) * 100 : 0, p50: r.p50, p95: r.p95, p99: r.p99 }];
    }),
  );
}
