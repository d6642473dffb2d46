import type pg from "pg";
import { getTrace, type StoredSpan } from "./store";

/** Trace search and retrieval over the span store (telemetry.spans). */

type Queryable = Pick<pg.Pool | pg.PoolClient, "query">;

export type AttributeValue = string | number | boolean;
export type TraceSearch = {
  from: Date;
  to: Date;
  service?: string | undefined;
  operation?: string | undefined;
  /** `attributes @> {key: value}`: answered by the GIN (jsonb_path_ops) index. The value's JSON type must match. */
  attribute?: { key: string; value: AttributeValue } | undefined;
  minDurationMs?: number | undefined;
  maxDurationMs?: number | undefined;
  errorsOnly?: boolean | undefined;
  /** Matching spans to return (newest first); default 500. */
  limit?: number | undefined;
};

export type SpanPoint = { traceId: string; spanId: string; service: string; name: string; startTime: Date; durationMs: number; error: boolean };
export type TraceSummary = {
  traceId: string;
  rootService: string;
  rootName: string;
  startTime: Date;
  durationMs: number;
  spanCount: number;
  errorCount: number;
  services: string[];
  /** Spans of the trace that matched the search. */
  matchedSpans: number;
};

/** The matching-spans query (exported for EXPLAIN in tests). Only the given filters appear in it. */
export function searchSpansSql(q: TraceSearch): { text: string; values: unknown[] } {
  const values: unknown[] = [q.from, q.to];
  const where = ["start_time >= $1", "start_time < $2"];
  const add = (sql: (p: string) => string, v: unknown) => {
    values.push(v);
    where.push(sql(`$${values.length}`));
  };
  if (q.service !== undefined) add((p) => `service_name = ${p}`, q.service);
  if (q.operation !== undefined) add((p) => `name = ${p}`, q.operation);
  if (q.attribute !== undefined) add((p) => `attributes @> ${p}::jsonb`, JSON.stringify({ [q.attribute.key]: q.attribute.value }));
  if (q.minDurationMs !== undefined) add((p) => `duration_ns >= ${p}::bigint`, Math.round(q.minDurationMs * 1_000_000));
  if (q.maxDurationMs !== undefined) add((p) => `duration_ns <= ${p}::bigint`, Math.round(q.maxDurationMs * 1_000_000));
  if (q.errorsOnly) where.push("status_code = 2");
  values.push(q.limit ?? 500);
  return {
    text: `SELECT encode(trace_id, 'hex') AS "traceId", encode(span_id, 'hex') AS "spanId", service_name AS service, name,
                  start_time AS "startTime", duration_ns::float8 / 1e6 AS "durationMs", status_code = 2 AS error
             FROM telemetry.spans WHERE ${where.join(" AND ")} ORDER BY start_time DESC LIMIT $${values.length}`,
    values,
  };
}

/**
 * Spans matching the filters (the points of a duration-vs-time scatter) and the summaries of their traces
 * (root span, whole-trace duration, span and error counts, services), newest first.
 */
export async function searchTraces(db: Queryable, q: TraceSearch): Promise<{ points: SpanPoint[]; traces: TraceSummary[] }> {
  const { text, values } = searchSpansSql(q);
  const points = (await db.query<SpanPoint>(text, values)).rows;
  const matched = new Map<string, number>();
  for (const p of points) matched.set(p.traceId, (matched.get(p.traceId) ?? 0) + 1);
  if (matched.size === 0) return { points, traces: [] };
  // A trace's other spans may start a little outside the range: look an hour either side.
  const res = await db.query<Omit<TraceSummary, "matchedSpans">>(
    `SELECT encode(trace_id, 'hex') AS "traceId",
            (array_agg(service_name ORDER BY parent_span_id IS NOT NULL, start_time))[1] AS "rootService",
            (array_agg(name ORDER BY parent_span_id IS NOT NULL, start_time))[1] AS "rootName",
            min(start_time) AS "startTime", extract(epoch FROM max(end_time) - min(start_time))::float8 * 1000 AS "durationMs",
            count(*)::int AS "spanCount", count(*) FILTER (WHERE status_code = 2)::int AS "errorCount",
            array_agg(DISTINCT service_name) AS services
       FROM telemetry.spans
      WHERE trace_id = ANY($1::bytea[]) AND start_time >= $2::timestamptz - interval '1 hour' AND start_time < $3::timestamptz + interval '1 hour'
      GROUP BY trace_id ORDER BY min(start_time) DESC`,
    [[...matched.keys()].map((t) => Buffer.from(t, "hex")), q.from, q.to],
  );
  return { points, traces: res.rows.map((t) => ({ ...t, matchedSpans: matched.get(t.traceId) ?? 0 })) };
}

/** All spans of a trace (with events, links and resource attributes), in start order; empty when unknown. */
export function traceById(db: Queryable, traceIdHex: string): Promise<StoredSpan[]> {
  return getTrace(db, traceIdHex.toLowerCase());
}
