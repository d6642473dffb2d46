import { finished } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { COPY_HEADER, COPY_TRAILER, dayBounds, SPAN_COLUMNS } from "./copy-format";
import type { ResourceInfo } from "./otlp/normalize";

/**
 * The span store (`telemetry.spans`), natively partitioned by UTC day on start_time:
 * `spans_yYYYYmMMdDD` holds [that midnight, the next). Written with binary COPY; partitions are
 * created ahead and dropped past retention by services/telemetry/maintenance.ts.
 */

type Queryable = Pick<pg.Pool | pg.PoolClient, "query">;

const DAY_MS = 86_400_000;

/** The day partition's name and bounds for a day number (days since 1970-01-01, UTC). */
export function dayPartition(day: number): { name: string; from: string; to: string } {
  const d = new Date(day * DAY_MS);
  const p2 = (n: number) => String(n).padStart(2, "0");
  return { name: `spans_y${d.getUTCFullYear()}m${p2(d.getUTCMonth() + 1)}d${p2(d.getUTCDate())}`, ...dayBounds(day) };
}

/** The day number of a time. */
export function dayOf(t: Date | number): number {
  return Math.floor((typeof t === "number" ? t : t.getTime()) / DAY_MS);
}

/** Creates the day partitions for `days` that do not exist yet (idempotent, safe against a concurrent creator). */
export async function ensureDayPartitions(db: Queryable, days: Iterable<number>): Promise<string[]> {
  const created: string[] = [];
  for (const day of days) {
    const p = dayPartition(day);
    const res = await db.query<{ exists: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS exists`, [`telemetry.${p.name}`]);
    if (res.rows[0]?.exists) continue;
    try {
      await db.query(
        `CREATE TABLE IF NOT EXISTS telemetry.${p.name} PARTITION OF telemetry.spans FOR VALUES FROM ('${p.from}') TO ('${p.to}')`,
      );
      created.push(p.name);
    } catch (err) {
      // Another process created it at the same moment (IF NOT EXISTS does not cover the race).
      if (!["42P07", "23505"].includes((err as { code?: string }).code ?? "")) throw err;
    }
  }
  return created;
}

/** The span store's partitions with their bounds, oldest first. */
export async function listSpanPartitions(db: Queryable): Promise<{ name: string; from: Date; to: Date; rows: number }[]> {
  const res = await db.query<{ name: string; bound: string; rows: string }>(
    `SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound, c.reltuples::bigint AS rows
       FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'telemetry.spans'::regclass
      ORDER BY c.relname`,
  );
  return res.rows.map((r) => {
    const m = /FROM \('([^']+)'\) TO \('([^']+)'\)/.exec(r.bound);
    return { name: r.name, from: new Date(m?.[1] ?? 0), to: new Date(m?.[2] ?? 0), rows: Math.max(0, Number(r.rows)) };
  });
}

/** Drops the day partitions that end on or before the first day kept (`retentionDays` before today, UTC). */
export async function dropExpiredSpanPartitions(db: Queryable, now: Date, retentionDays: number): Promise<string[]> {
  const cutoff = (dayOf(now) - retentionDays) * DAY_MS;
  const dropped: string[] = [];
  for (const p of await listSpanPartitions(db)) {
    if (p.to.getTime() <= cutoff) {
      await db.query(`DROP TABLE IF EXISTS telemetry.${p.name}`);
      dropped.push(p.name);
    }
  }
  return dropped;
}

/**
 * Records resources (insert, or refresh last_seen). Called before the spans that refer to them are
 * copied; a resource stored for spans that then fail is harmless (maintenance deletes unused ones).
 */
export async function upsertResources(db: Queryable, resources: readonly ResourceInfo[]): Promise<void> {
  const distinct = new Map<string, ResourceInfo>();
  for (const r of resources) distinct.set(r.id.toString("hex"), r);
  const rows = [...distinct.values()];
  await db.query(
    `INSERT INTO telemetry.resources (id, service_name, attributes)
     SELECT * FROM unnest($1::bytea[], $2::text[], $3::jsonb[])
     ON CONFLICT (id) DO UPDATE SET last_seen = now()`,
    [rows.map((r) => r.id), rows.map((r) => r.serviceName), rows.map((r) => r.attributesJson)],
  );
}

/** Deletes resources not seen since `cutoff` (run after the span partitions of that age are dropped). */
export async function deleteUnusedResources(db: Queryable, cutoff: Date): Promise<number> {
  const res = await db.query(`DELETE FROM telemetry.resources WHERE last_seen < $1`, [cutoff]);
  return res.rowCount ?? 0;
}

const COLUMN_LIST = SPAN_COLUMNS.join(", ");

/** COPYs encoded span tuples into `table` (telemetry.spans, or a table of the same layout). */
export async function copyInto(client: pg.PoolClient, table: string, chunks: readonly Buffer[]): Promise<number> {
  const stream = client.query(copyFrom(`COPY ${table} (${COLUMN_LIST}) FROM STDIN (FORMAT binary)`));
  stream.write(COPY_HEADER);
  for (const c of chunks) stream.write(c);
  stream.end(COPY_TRAILER);
  await finished(stream);
  return stream.rowCount;
}

/**
 * Writes encoded span tuples with one COPY (one implicit transaction: durable when this resolves).
 * Fails with 23505 when a span is already stored; see `insertSpansSkippingDuplicates`.
 */
export async function copySpans(client: pg.PoolClient, chunks: readonly Buffer[]): Promise<number> {
  return copyInto(client, "telemetry.spans", chunks);
}

/**
 * The slower path for a batch that repeats stored spans (an exporter re-sending after a lost answer):
 * COPY into a session temp table, then INSERT ... ON CONFLICT DO NOTHING, in one transaction.
 */
export async function insertSpansSkippingDuplicates(client: pg.PoolClient, chunks: readonly Buffer[]): Promise<number> {
  await client.query("BEGIN");
  try {
    await client.query(`CREATE TEMP TABLE IF NOT EXISTS spans_incoming (LIKE telemetry.spans INCLUDING DEFAULTS) ON COMMIT DELETE ROWS`);
    await copyInto(client, "spans_incoming", chunks);
    const res = await client.query(`INSERT INTO telemetry.spans SELECT * FROM spans_incoming ON CONFLICT DO NOTHING`);
    await client.query("COMMIT");
    return res.rowCount ?? 0;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  }
}

/** A stored span as read back (ids in hex, times as Dates, attribute maps parsed). */
export type StoredSpan = {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  traceState: string | null;
  flags: number | null;
  resourceId: string;
  serviceName: string;
  name: string;
  kind: number;
  startTime: Date;
  endTime: Date;
  durationNs: string;
  statusCode: number;
  statusMessage: string | null;
  httpRoute: string | null;
  httpMethod: string | null;
  httpStatusCode: number | null;
  dbSystem: string | null;
  messagingSystem: string | null;
  messagingDestination: string | null;
  peerService: string | null;
  scopeName: string | null;
  scopeVersion: string | null;
  resourceAttributes: Record<string, unknown>;
  attributes: Record<string, unknown>;
  events: { name: string; timeUnixNano: string; attributes: Record<string, unknown>; droppedAttributesCount?: number }[] | null;
  links: { traceId: string; spanId: string; traceState?: string; flags?: number; attributes: Record<string, unknown> }[] | null;
};

/** Every stored span of a trace, in start order. */
export async function getTrace(db: Queryable, traceIdHex: string): Promise<StoredSpan[]> {
  const res = await db.query<StoredSpan>(
    `SELECT encode(s.trace_id, 'hex') AS "traceId", encode(s.span_id, 'hex') AS "spanId",
            encode(s.parent_span_id, 'hex') AS "parentSpanId", s.trace_state AS "traceState", s.flags,
            encode(s.resource_id, 'hex') AS "resourceId", s.service_name AS "serviceName", s.name, s.kind,
            s.start_time AS "startTime", s.end_time AS "endTime", s.duration_ns::text AS "durationNs",
            s.status_code AS "statusCode", s.status_message AS "statusMessage",
            s.http_route AS "httpRoute", s.http_method AS "httpMethod", s.http_status_code AS "httpStatusCode",
            s.db_system AS "dbSystem", s.messaging_system AS "messagingSystem",
            s.messaging_destination AS "messagingDestination", s.peer_service AS "peerService",
            s.scope_name AS "scopeName", s.scope_version AS "scopeVersion",
            coalesce(r.attributes, '{}') AS "resourceAttributes", s.attributes, s.events, s.links
       FROM telemetry.spans s LEFT JOIN telemetry.resources r ON r.id = s.resource_id
      WHERE s.trace_id = decode($1, 'hex') ORDER BY s.start_time, s.span_id`,
    [traceIdHex],
  );
  return res.rows;
}
