import type pg from "pg";
import { type FlowGraph, type FlowSpan, traceFlowGraph } from "./flow";
import type { StoredSpan } from "./store";
import { buildTraceView, type TraceView, type TraceViewRow } from "./trace-view";

/** Reads behind the trace pages: the waterfall's compact rows, one span in full, the flow graph, the services. */

type Queryable = Pick<pg.Pool | pg.PoolClient, "query">;

/** The waterfall of a trace, or undefined when no span of it is stored. Reads only the columns it draws. */
export async function getTraceView(db: Queryable, traceIdHex: string): Promise<TraceView | undefined> {
  const traceId = traceIdHex.toLowerCase();
  const res = await db.query<TraceViewRow>(
    `SELECT encode(span_id, 'hex') AS "spanId", encode(parent_span_id, 'hex') AS "parentSpanId", service_name AS "serviceName",
            attributes->>'switchyard.service' AS "ownService", name, kind, status_code AS "statusCode",
            (extract(epoch FROM start_time) * 1000000)::float8 AS "startUs", duration_ns::float8 AS "durationNs",
            events IS NOT NULL AS "hasEvents", links IS NOT NULL AS "hasLinks"
       FROM telemetry.spans WHERE trace_id = decode($1, 'hex')`,
    [traceId],
  );
  return res.rows.length === 0 ? undefined : buildTraceView(traceId, res.rows);
}

/** One span with its attributes, resource, events and links; undefined when unknown. */
export async function getTraceSpan(db: Queryable, traceIdHex: string, spanIdHex: string): Promise<(StoredSpan & { startUs: number }) | undefined> {
  const res = await db.query<StoredSpan & { startUs: number }>(
    `SELECT encode(s.trace_id, 'hex') AS "traceId", encode(s.span_id, 'hex') AS "spanId",
            encode(s.parent_span_id, 'hex') AS "parentSpanId", s.trace_state AS "traceState", s.flags,
            encode(s.resource_id, 'hex') AS "resourceId", s.service_name AS "serviceName", s.name, s.kind,
            s.start_time AS "startTime", s.end_time AS "endTime", s.duration_ns::text AS "durationNs",
            (extract(epoch FROM s.start_time) * 1000000)::float8 AS "startUs",
            s.status_code AS "statusCode", s.status_message AS "statusMessage",
            s.http_route AS "httpRoute", s.http_method AS "httpMethod", s.http_status_code AS "httpStatusCode",
            s.db_system AS "dbSystem", s.messaging_system AS "messagingSystem",
            s.messaging_destination AS "messagingDestination", s.peer_service AS "peerService",
            s.scope_name AS "scopeName", s.scope_version AS "scopeVersion",
            coalesce(r.attributes, '{}') AS "resourceAttributes", s.attributes, s.events, s.links
       FROM telemetry.spans s LEFT JOIN telemetry.resources r ON r.id = s.resource_id
      WHERE s.trace_id = decode($1, 'hex') AND s.span_id = decode($2, 'hex')
      ORDER BY s.start_time LIMIT 1`,
    [traceIdHex.toLowerCase(), spanIdHex.toLowerCase()],
  );
  return res.rows[0];
}

/** The flow graph of a trace (flow.ts), or undefined when no span of it is stored. */
export async function getTraceFlow(db: Queryable, traceIdHex: string): Promise<FlowGraph | undefined> {
  // Only the attributes the graph reads, and links only of consumer spans (the pairing).
  const res = await db.query<Omit<FlowSpan, "attributes"> & { attributes: Record<string, unknown> | null }>(
    `SELECT encode(span_id, 'hex') AS "spanId", encode(parent_span_id, 'hex') AS "parentSpanId", service_name AS "serviceName",
            kind, status_code AS "statusCode", (extract(epoch FROM start_time) * 1000)::float8 AS "startTime",
            duration_ns::float8 AS "durationNs", db_system AS "dbSystem", messaging_system AS "messagingSystem",
            messaging_destination AS "messagingDestination", CASE WHEN kind = 5 THEN links END AS links,
            nullif(jsonb_strip_nulls(jsonb_build_object(
              'switchyard.service', attributes->'switchyard.service',
              'db.namespace', attributes->'db.namespace', 'db.name', attributes->'db.name')), '{}'::jsonb) AS attributes
       FROM telemetry.spans WHERE trace_id = decode($1, 'hex') ORDER BY start_time, span_id`,
    [traceIdHex.toLowerCase()],
  );
  if (res.rows.length === 0) return undefined;
  return traceFlowGraph(res.rows.map((r) => ({ ...r, attributes: r.attributes ?? {} })));
}

/** Service names (resource `service.name`) that sent spans, for the search filter. */
export async function listTraceServices(db: Queryable): Promise<string[]> {
  const res = await db.query<{ name: string }>(`SELECT DISTINCT service_name AS name FROM telemetry.resources ORDER BY 1`);
  return res.rows.map((r) => r.name);
}
