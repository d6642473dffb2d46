import type pg from "pg";

/**
 * RED rollups (rate, errors, duration) with the OpenTelemetry spanmetrics connector's semantics: per
 * minute x service x operation (span name) x span kind x status code, calls, errors (status Error), the
 * sum of durations and a duration histogram over the spanmetrics default buckets. Written by the
 * `telemetry.rollup` job from the spans stored since its watermark: docs/decisions/012-red-rollups.md.
 */

type Queryable = Pick<pg.Pool | pg.PoolClient, "query">;

/** The spanmetrics connector's default histogram bounds, in milliseconds (a final +Inf bucket follows). */
export const DURATION_BOUNDS_MS = [2, 4, 6, 8, 10, 50, 100, 200, 400, 800, 1000, 1400, 2000, 5000, 10000, 15000] as const;
/** Buckets per histogram: one per bound, plus +Inf. */
export const BUCKET_COUNT = DURATION_BOUNDS_MS.length + 1;

export const SPAN_KIND_NAMES = ["SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER", "SPAN_KIND_CLIENT", "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER"] as const;
export const STATUS_CODE_NAMES = ["STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR"] as const;

const ROLLUP_ID = "red";
/** Rollups older than this are deleted by the job (the longest SLO window is 30 days, plus margin). */
export const RED_RETENTION_DAYS = 35;

/** `count(*) FILTER (...)` per bucket (non-cumulative), a bucket holding durations <= its bound (Prometheus `le`). */
function bucketCountsSql(col: string): string {
  const ns = DURATION_BOUNDS_MS.map((ms) => ms * 1_000_000);
  const parts = ns.map((b, i) => (i === 0 ? `count(*) FILTER (WHERE ${col} <= ${b})` : `count(*) FILTER (WHERE ${col} > ${ns[i - 1]} AND ${col} <= ${b})`));
  parts.push(`count(*) FILTER (WHERE ${col} > ${ns[ns.length - 1]})`);
  return `ARRAY[${parts.join(", ")}]::bigint[]`;
}

export type RollupReport = { from: Date; to: Date; spans: number; rows: number; deleted: number };

/**
 * Adds the spans stored since the last run (received_at in [watermark, new watermark)) to their minutes'
 * rollups. The new watermark is never later than the start of a transaction still in progress (its spans
 * will carry that start as received_at, and the window's end is exclusive), so each committed span is
 * counted once, however late it arrives.
 * Runs under a transaction-level advisory lock: concurrent runs wait for each other.
 */
export async function runRedRollup(pool: pg.Pool, opts: { safetyLagMs?: number; now?: Date } = {}): Promise<RollupReport> {
  const lagMs = opts.safetyLagMs ?? 2000;
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('telemetry.red_rollup'))`);
    const prev = await client.query<{ watermark: Date }>(`SELECT watermark FROM telemetry.rollup_state WHERE id = $1 FOR UPDATE`, [ROLLUP_ID]);
    const from = prev.rows[0]?.watermark ?? new Date(0);
    // The watermark: no later than the start of any transaction in progress in this database (a COPY that
    // has not committed yet stamps its spans with its start), less a small safety lag for clock steps.
    const w = await client.query<{ w: Date }>(
      `SELECT greatest($1::timestamptz, least(clock_timestamp() - make_interval(secs => $2::float8 / 1000),
              (SELECT min(xact_start) FROM pg_stat_activity
                WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
                  AND xact_start IS NOT NULL))) AS w`,
      [from, lagMs],
    );
    const to = w.rows[0]!.w;
    await client.query("COMMIT");
    // A fresh snapshot (READ COMMITTED: each statement takes one) now sees every transaction that started
    // before `to`: none was in progress when `to` was computed.
    await client.query("BEGIN");
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('telemetry.red_rollup'))`);
    const again = await client.query<{ watermark: Date }>(`SELECT watermark FROM telemetry.rollup_state WHERE id = $1 FOR UPDATE`, [ROLLUP_ID]);
    const start = again.rows[0]?.watermark ?? new Date(0);
    if (start.getTime() !== from.getTime()) {
      // Another run moved the watermark between the two transactions: leave the work to it.
      await client.query("ROLLBACK");
      return { from: start, to: start, spans: 0, rows: 0, deleted: 0 };
    }
    const res = await client.query<{ spans: string; rows: string }>(
      `WITH stamped AS (
         -- Spans stored through the duplicate-skipping path carry no received_at: count them now, and stamp
         -- them inside the window just done so no later window reads them again.
         UPDATE telemetry.spans SET received_at = $2::timestamptz - interval '1 microsecond' WHERE received_at IS NULL
         RETURNING start_time, service_name, name, kind, status_code, duration_ns
       ), fresh AS (
         SELECT start_time, service_name, name, kind, status_code, duration_ns FROM telemetry.spans
          WHERE received_at >= $1 AND received_at < $2
         UNION ALL SELECT * FROM stamped
       ), agg AS (
         SELECT date_trunc('minute', start_time) AS minute, service_name, name AS span_name, kind AS span_kind, status_code,
                count(*) AS calls, count(*) FILTER (WHERE status_code = 2) AS errors,
                sum(duration_ns)::float8 / 1e6 AS duration_sum_ms, ${bucketCountsSql("duration_ns")} AS buckets
           FROM fresh GROUP BY 1, 2, 3, 4, 5
       ), up AS (
         INSERT INTO telemetry.red_rollups AS r (minute, service_name, span_name, span_kind, status_code, calls, errors, duration_sum_ms, buckets)
         SELECT * FROM agg
         ON CONFLICT (service_name, minute, span_name, span_kind, status_code) DO UPDATE SET
           calls = r.calls + excluded.calls,
           errors = r.errors + excluded.errors,
           duration_sum_ms = r.duration_sum_ms + excluded.duration_sum_ms,
           buckets = (SELECT array_agg(coalesce(a, 0) + coalesce(b, 0) ORDER BY i) FROM unnest(r.buckets, excluded.buckets) WITH ORDINALITY AS u(a, b, i))
         RETURNING 1
       )
       SELECT (SELECT coalesce(sum(calls), 0) FROM agg)::text AS spans, (SELECT count(*) FROM up)::text AS rows`,
      [start, to],
    );
    await client.query(
      `INSERT INTO telemetry.rollup_state (id, watermark, updated_at) VALUES ($1, $2, now())
       ON CONFLICT (id) DO UPDATE SET watermark = excluded.watermark, updated_at = now()`,
      [ROLLUP_ID, to],
    );
    const now = opts.now ?? new Date();
    const del = await client.query(`DELETE FROM telemetry.red_rollups WHERE minute < $1`, [new Date(now.getTime() - RED_RETENTION_DAYS * 86_400_000)]);
    await client.query("COMMIT");
    return { from: start, to, spans: Number(res.rows[0]!.spans), rows: Number(res.rows[0]!.rows), deleted: del.rowCount ?? 0 };
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

/**
 * The q-quantile (0..1) of a histogram of per-bucket counts over DURATION_BOUNDS_MS (+Inf last), by
 * linear interpolation within the bucket holding the rank, as Prometheus' histogram_quantile: the first
 * bucket starts at 0; a rank in the +Inf bucket answers the highest finite bound. Null when empty.
 */
export function histogramQuantile(q: number, buckets: readonly number[]): number | null {
  const total = buckets.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = q * total;
  let cumulative = 0;
  for (let i = 0; i < buckets.length; i++) {
    const count = buckets[i]!;
    if (count > 0 && cumulative + count >= rank) {
      if (i >= DURATION_BOUNDS_MS.length) return DURATION_BOUNDS_MS[DURATION_BOUNDS_MS.length - 1]!;
      const lower = i === 0 ? 0 : DURATION_BOUNDS_MS[i - 1]!;
      const upper = DURATION_BOUNDS_MS[i]!;
      return lower + ((upper - lower) * (rank - cumulative)) / count;
    }
    cumulative += count;
  }
  return DURATION_BOUNDS_MS[DURATION_BOUNDS_MS.length - 1]!;
}

/**
 * How many of a histogram's calls took at most `thresholdMs`: exact at a bucket bound, linearly
 * interpolated within the bucket otherwise (the same assumption as the quantiles).
 */
export function countWithin(thresholdMs: number, buckets: readonly number[]): number {
  let within = 0;
  for (let i = 0; i < buckets.length; i++) {
    const count = buckets[i]!;
    const lower = i === 0 ? 0 : DURATION_BOUNDS_MS[i - 1]!;
    const upper = i < DURATION_BOUNDS_MS.length ? DURATION_BOUNDS_MS[i]! : Infinity;
    if (thresholdMs >= upper) within += count;
    else {
      if (thresholdMs > lower && upper !== Infinity) within += (count * (thresholdMs - lower)) / (upper - lower);
      break;
    }
  }
  return within;
}

/** Adds `b` into `a` (per-bucket counts). */
export function addBuckets(a: number[], b: readonly (number | string)[]): number[] {
  for (let i = 0; i < BUCKET_COUNT; i++) a[i] = (a[i] ?? 0) + Number(b[i] ?? 0);
  return a;
}

export const emptyBuckets = (): number[] => new Array<number>(BUCKET_COUNT).fill(0);

export type RedPoint = {
  minute: Date;
  calls: number;
  /** Calls per second over the minute. */
  rate: number;
  errors: number;
  /** Errors as a percentage of calls. */
  errorPct: number;
  avgMs: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
};

export type RedQuery = { service: string; operation?: string | undefined; spanKind?: number | undefined; from: Date; to: Date };

/** The per-minute RED series of a service (optionally one operation / span kind) over [from, to). */
export async function redSeries(db: Queryable, q: RedQuery): Promise<RedPoint[]> {
  const res = await db.query<{ minute: Date; calls: string; errors: string; sum: number; buckets: string[] }>(
    `SELECT minute, sum(calls)::text AS calls, sum(errors)::text AS errors, sum(duration_sum_ms) AS sum,
            ${sumBucketsSql("buckets")} AS buckets
       FROM telemetry.red_rollups
      WHERE service_name = $1 AND minute >= $2 AND minute < $3
        AND ($4::text IS NULL OR span_name = $4) AND ($5::int IS NULL OR span_kind = $5)
      GROUP BY minute ORDER BY minute`,
    [q.service, q.from, q.to, q.operation ?? null, q.spanKind ?? null],
  );
  return res.rows.map((r) => toPoint(r.minute, Number(r.calls), Number(r.errors), r.sum, addBuckets(emptyBuckets(), r.buckets)));
}

/** The per-bucket sums of a bigint[] histogram column over a group, as text[] (exact beyond 2^53). */
export function sumBucketsSql(col: string): string {
  return `ARRAY[${Array.from({ length: BUCKET_COUNT }, (_, i) => `coalesce(sum(${col}[${i + 1}]), 0)::text`).join(", ")}]`;
}

export function toPoint(minute: Date, calls: number, errors: number, sumMs: number, buckets: number[]): RedPoint {
  return {
    minute,
    calls,
    rate: calls / 60,
    errors,
    errorPct: calls > 0 ? (errors / calls) * 100 : 0,
    avgMs: calls > 0 ? sumMs / calls : 0,
    p50: histogramQuantile(0.5, buckets),
    p95: histogramQuantile(0.95, buckets),
    p99: histogramQuantile(0.99, buckets),
  };
}
