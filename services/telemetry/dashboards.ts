import type pg from "pg";
import { addBuckets, emptyBuckets, histogramQuantile, SPAN_KIND_NAMES, sumBucketsSql } from "./red";

/**
 * RED read models for the dashboards (the service list and one service's dashboard), from the per-minute
 * rollups of services/telemetry/red.ts. A service's RED counts the calls it answers — its SERVER and
 * CONSUMER spans — as the SLOs do; a service with none of those in the range (a batch worker, a client
 * only) is shown over all its spans instead, and says so (`scope`).
 */

type Queryable = Pick<pg.Pool | pg.PoolClient, "query">;

export type TimeRange = { from: Date; to: Date };
/** SERVER and CONSUMER: the calls a service answers. */
export const INBOUND_KINDS = [2, 5] as const;
/** `inbound`: SERVER and CONSUMER spans; `all`: every span of the service; `filtered`: the operation/kind asked for. */
export type RedScope = "inbound" | "all" | "filtered";

export type RedFigures = {
  calls: number;
  /** Calls per second over the range (up to now). */
  rate: number;
  errors: number;
  errorPct: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
};
export type RedStep = RedFigures & { t: Date };

/** Steps the charts may use, in seconds. */
const STEPS = [60, 120, 300, 600, 900, 1800, 3600, 7200, 14_400, 21_600, 43_200, 86_400];

/** The smallest step that keeps the range within `maxPoints` points. */
export function stepFor(range: TimeRange, maxPoints: number): number {
  const seconds = (range.to.getTime() - range.from.getTime()) / 1000;
  return STEPS.find((s) => seconds / s <= maxPoints) ?? STEPS[STEPS.length - 1]!;
}

/** Seconds of the range that have happened (a range reaching into the future has no calls there). */
export function elapsedSeconds(range: TimeRange, now: Date): number {
  const end = Math.min(range.to.getTime(), Math.max(now.getTime(), range.from.getTime()));
  return Math.max(60, (end - range.from.getTime()) / 1000);
}

/** RED figures of `calls`/`errors`/`buckets` over `seconds`. */
export function figures(calls: number, errors: number, buckets: number[], seconds: number): RedFigures {
  return {
    calls,
    rate: calls / seconds,
    errors,
    errorPct: calls > 0 ? (errors / calls) * 100 : 0,
    p50: histogramQuantile(0.5, buckets),
    p95: histogramQuantile(0.95, buckets),
    p99: histogramQuantile(0.99, buckets),
  };
}

type Acc = { calls: number; errors: number; buckets: number[] };
const newAcc = (): Acc => ({ calls: 0, errors: 0, buckets: emptyBuckets() });
function add(acc: Acc, calls: string, errors: string, buckets: string[]): Acc {
  acc.calls += Number(calls);
  acc.errors += Number(errors);
  addBuckets(acc.buckets, buckets);
  return acc;
}

/**
 * Steps of `step` seconds over the range up to now, each with its figures (zero calls and null
 * latencies where nothing was rolled up), so a chart shows quiet minutes as quiet.
 */
function fillSteps(range: TimeRange, step: number, now: Date, byStep: Map<number, Acc>): RedStep[] {
  const first = Math.floor(range.from.getTime() / 1000 / step) * step;
  const end = Math.min(range.to.getTime(), now.getTime()) / 1000;
  const out: RedStep[] = [];
  for (let s = first; s < end; s += step) {
    const a = byStep.get(s) ?? newAcc();
    out.push({ t: new Date(s * 1000), ...figures(a.calls, a.errors, a.buckets, step) });
  }
  return out;
}

export type ServiceRedSummary = { service: string; scope: Exclude<RedScope, "filtered">; totals: RedFigures; spark: RedStep[]; sparkStepSeconds: number };

/** Every service with rollups in the range: its RED over the range and a short series for a sparkline. */
export async function listServiceRed(db: Queryable, range: TimeRange, opts: { now?: Date; sparkPoints?: number } = {}): Promise<ServiceRedSummary[]> {
  const now = opts.now ?? new Date();
  const step = stepFor(range, opts.sparkPoints ?? 30);
  const res = await db.query<{ service_name: string; inbound: boolean; s: string; calls: string; errors: string; buckets: string[] }>(
    `WITH r AS (
       SELECT service_name, minute, span_kind, calls, errors, buckets FROM telemetry.red_rollups WHERE minute >= $1 AND minute < $2
     ), svc AS (
       SELECT service_name, bool_or(span_kind = ANY($3::smallint[])) AS inbound FROM r GROUP BY 1
     )
     SELECT r.service_name, svc.inbound, (floor(extract(epoch FROM r.minute) / $4) * $4)::bigint::text AS s,
            sum(r.calls)::text AS calls, sum(r.errors)::text AS errors, ${sumBucketsSql("r.buckets")} AS buckets
       FROM r JOIN svc USING (service_name)
      WHERE NOT svc.inbound OR r.span_kind = ANY($3::smallint[])
      GROUP BY 1, 2, 3 ORDER BY 1, 3`,
    [range.from, range.to, INBOUND_KINDS, step],
  );
  const byService = new Map<string, { inbound: boolean; total: Acc; steps: Map<number, Acc> }>();
  for (const r of res.rows) {
    let svc = byService.get(r.service_name);
    if (!svc) byService.set(r.service_name, (svc = { inbound: r.inbound, total: newAcc(), steps: new Map() }));
    add(svc.total, r.calls, r.errors, r.buckets);
    svc.steps.set(Number(r.s), add(newAcc(), r.calls, r.errors, r.buckets));
  }
  const seconds = elapsedSeconds(range, now);
  return [...byService].map(([service, s]) => ({
    service,
    scope: s.inbound ? "inbound" : "all",
    totals: figures(s.total.calls, s.total.errors, s.total.buckets, seconds),
    spark: fillSteps(range, step, now, s.steps),
    sparkStepSeconds: step,
  }));
}

export type OperationRed = RedFigures & { operation: string; spanKind: number; spanKindName: string };
export type ServiceDashboard = {
  service: string;
  scope: RedScope;
  /** The span kinds the series counts (all of them when null). */
  kinds: number[] | null;
  stepSeconds: number;
  series: RedStep[];
  totals: RedFigures;
  /** Every operation x span kind of the service in the range (not narrowed by the operation filter). */
  operations: OperationRed[];
};
export type ServiceDashboardQuery = TimeRange & { service: string; operation?: string | undefined; spanKind?: number | undefined; maxPoints?: number };

/** One service's RED series (for charts) and its operations' RED over the range. */
export async function serviceDashboard(db: Queryable, q: ServiceDashboardQuery, opts: { now?: Date } = {}): Promise<ServiceDashboard> {
  const now = opts.now ?? new Date();
  const ops = await db.query<{ span_name: string; span_kind: number; calls: string; errors: string; buckets: string[] }>(
    `SELECT span_name, span_kind, sum(calls)::text AS calls, sum(errors)::text AS errors, ${sumBucketsSql("buckets")} AS buckets
       FROM telemetry.red_rollups WHERE service_name = $1 AND minute >= $2 AND minute < $3
      GROUP BY 1, 2 ORDER BY 1, 2`,
    [q.service, q.from, q.to],
  );
  const seconds = elapsedSeconds(q, now);
  const operations: OperationRed[] = ops.rows
    .map((r) => {
      const a = add(newAcc(), r.calls, r.errors, r.buckets);
      return { operation: r.span_name, spanKind: r.span_kind, spanKindName: spanKindLabel(r.span_kind), ...figures(a.calls, a.errors, a.buckets, seconds) };
    })
    .sort((a, b) => b.calls - a.calls || (a.operation < b.operation ? -1 : a.operation > b.operation ? 1 : a.spanKind - b.spanKind));

  const filtered = q.operation !== undefined || q.spanKind !== undefined;
  const hasInbound = ops.rows.some((r) => (INBOUND_KINDS as readonly number[]).includes(r.span_kind));
  const scope: RedScope = filtered ? "filtered" : hasInbound ? "inbound" : "all";
  const kinds = q.spanKind !== undefined ? [q.spanKind] : scope === "inbound" ? [...INBOUND_KINDS] : null;
  const step = stepFor(q, q.maxPoints ?? 240);
  const res = await db.query<{ s: string; calls: string; errors: string; buckets: string[] }>(
    `SELECT (floor(extract(epoch FROM minute) / $4) * $4)::bigint::text AS s,
            sum(calls)::text AS calls, sum(errors)::text AS errors, ${sumBucketsSql("buckets")} AS buckets
       FROM telemetry.red_rollups
      WHERE service_name = $1 AND minute >= $2 AND minute < $3
        AND ($5::text IS NULL OR span_name = $5) AND ($6::smallint[] IS NULL OR span_kind = ANY($6::smallint[]))
      GROUP BY 1 ORDER BY 1`,
    [q.service, q.from, q.to, step, q.operation ?? null, kinds],
  );
  const steps = new Map<number, Acc>();
  const total = newAcc();
  for (const r of res.rows) {
    steps.set(Number(r.s), add(newAcc(), r.calls, r.errors, r.buckets));
    add(total, r.calls, r.errors, r.buckets);
  }
  return {
    service: q.service,
    scope,
    kinds,
    stepSeconds: step,
    series: fillSteps(q, step, now, steps),
    totals: figures(total.calls, total.errors, total.buckets, seconds),
    operations,
  };
}

/** "server", "client", ... for an OTLP span kind. */
export function spanKindLabel(kind: number): string {
  return (SPAN_KIND_NAMES[kind] ?? "SPAN_KIND_UNSPECIFIED").replace("SPAN_KIND_", "").toLowerCase();
}
