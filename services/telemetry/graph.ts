import type pg from "pg";

/**
 * The service graph over a time range, computed at query time in SQL from the span store, so spans that
 * arrive late still pair. Edges (each with calls, errors and p50/p95 latency in ms):
 * - `client_server`: a CLIENT span whose child (by parent span id) is a SERVER span of another service;
 *   latency = the client span's duration (what the caller waited); failed when either side has status Error.
 * - `producer_consumer`: a PRODUCER span and a CONSUMER span that is its child (parent id) OR links to it
 *   (the jsonb `links`, as batch consumers do); counted once per pair when both hold; latency = consumer
 *   start - producer end (time in the broker, at least 0); failed when either side has status Error.
 * - `database`: a span with db_system -> node `db:<system>`; latency = the span's duration.
 * - `messaging`: a PRODUCER span with messaging_system and messaging_destination -> node
 *   `<system>:<destination>`, and that broker node -> the service of such a CONSUMER span.
 * On messaging edges a span's service is its `switchyard.service` attribute when it has one (one Switchyard
 * process hosts several Templator services: the outbox's producer span names templates, the consumer span
 * analytics), else its resource's service.name.
 * The time range selects the child/consumer (or the single) span by start_time; the other side of a pair
 * is looked up to `lookbackMs` (default 1 hour) before the range.
 */

type Queryable = Pick<pg.Pool | pg.PoolClient, "query">;

export type GraphEdgeType = "client_server" | "producer_consumer" | "database" | "messaging";
export type GraphNode = { id: string; type: "service" | "database" | "broker" };
export type GraphEdge = { source: string; target: string; type: GraphEdgeType; calls: number; errors: number; p50Ms: number; p95Ms: number };
export type ServiceGraph = { nodes: GraphNode[]; edges: GraphEdge[] };

export async function serviceGraph(db: Queryable, range: { from: Date; to: Date; lookbackMs?: number }): Promise<ServiceGraph> {
  const lookFrom = new Date(range.from.getTime() - (range.lookbackMs ?? 3_600_000));
  const res = await db.query<{ source: string; target: string; type: GraphEdgeType; source_type: GraphNode["type"]; target_type: GraphNode["type"]; calls: string; errors: string; p50: number; p95: number }>(
    `WITH s AS (
       SELECT trace_id, span_id, parent_span_id, service_name, kind, status_code, duration_ns, start_time, end_time,
              db_system, messaging_system, messaging_destination, links,
              coalesce(attributes->>'switchyard.service', service_name) AS logical
         FROM telemetry.spans WHERE start_time >= $1 AND start_time < $2
     ), pairs AS (
       SELECT c.service_name AS source, v.service_name AS target, 'client_server' AS type, 'service' AS source_type, 'service' AS target_type,
              c.duration_ns / 1e6 AS latency_ms, (c.status_code = 2 OR v.status_code = 2) AS failed
         FROM s v JOIN telemetry.spans c
           ON c.trace_id = v.trace_id AND c.span_id = v.parent_span_id AND c.start_time >= $3 AND c.start_time < $2
        WHERE v.kind = 2 AND c.kind = 3 AND c.service_name <> v.service_name
       UNION ALL
       SELECT source, target, 'producer_consumer', 'service', 'service', latency_ms, failed FROM (
         SELECT DISTINCT ON (m.trace_id, m.span_id, p.trace_id, p.span_id)
                coalesce(p.attributes->>'switchyard.service', p.service_name) AS source, m.logical AS target,
                greatest(extract(epoch FROM m.start_time - p.end_time) * 1000, 0)::float8 AS latency_ms,
                (p.status_code = 2 OR m.status_code = 2) AS failed
           FROM s m
           LEFT JOIN LATERAL (
             SELECT l->>'traceId' AS t, l->>'spanId' AS sp FROM jsonb_array_elements(CASE WHEN jsonb_typeof(m.links) = 'array' THEN m.links ELSE '[]' END) l
              WHERE l->>'traceId' ~ '^[0-9a-f]{32}$' AND l->>'spanId' ~ '^[0-9a-f]{16}$'
             UNION ALL SELECT encode(m.trace_id, 'hex'), encode(m.parent_span_id, 'hex') WHERE m.parent_span_id IS NOT NULL
           ) ref ON true
           JOIN telemetry.spans p ON p.trace_id = decode(ref.t, 'hex') AND p.span_id = decode(ref.sp, 'hex')
                                 AND p.start_time >= $3 AND p.start_time < $2 AND p.kind = 4
          WHERE m.kind = 5
       ) pc
       UNION ALL
       SELECT service_name, 'db:' || db_system, 'database', 'service', 'database', duration_ns / 1e6, status_code = 2 FROM s WHERE db_system IS NOT NULL
       UNION ALL
       SELECT logical, messaging_system || ':' || messaging_destination, 'messaging', 'service', 'broker', duration_ns / 1e6, status_code = 2
         FROM s WHERE kind = 4 AND messaging_system IS NOT NULL AND messaging_destination IS NOT NULL
       UNION ALL
       SELECT messaging_system || ':' || messaging_destination, logical, 'messaging', 'broker', 'service', duration_ns / 1e6, status_code = 2
         FROM s WHERE kind = 5 AND messaging_system IS NOT NULL AND messaging_destination IS NOT NULL
     )
     SELECT source, target, type, min(source_type) AS source_type, min(target_type) AS target_type, count(*)::text AS calls, count(*) FILTER (WHERE failed)::text AS errors,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms) AS p50,
            percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms) AS p95
       FROM pairs GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    [range.from, range.to, lookFrom],
  );
  const edges: GraphEdge[] = [];
  const nodes = new Map<string, GraphNode>();
  for (const r of res.rows) {
    edges.push({ source: r.source, target: r.target, type: r.type, calls: Number(r.calls), errors: Number(r.errors), p50Ms: r.p50, p95Ms: r.p95 });
    nodes.set(r.source, { id: r.source, type: r.source_type });
    nodes.set(r.target, { id: r.target, type: r.target_type });
  }
  return { nodes: [...nodes.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)), edges };
}
