import type pg from "pg";
import { addBuckets, BUCKET_COUNT, countWithin, emptyBuckets } from "./red";

/**
 * SLOs per service from the RED rollups, with multiwindow, multi-burn-rate alerts (the Google SRE
 * workbook's recommendation). Two SLIs over a service's SERVER and CONSUMER spans (the calls it answers):
 * availability (calls not in status Error) and latency (calls within the threshold; counted from the
 * histogram, linearly interpolated inside a bucket when the threshold is not a bucket bound). Defaults
 * below; a row in telemetry.slo_objectives overrides them for one service.
 */

type Queryable = Pick<pg.Pool | pg.PoolClient, "query">;

export type SloObjective = { availabilityTarget: number; latencyThresholdMs: number; latencyTarget: number; windowDays: number };
export const DEFAULT_SLO: SloObjective = { availabilityTarget: 0.995, latencyThresholdMs: 500, latencyTarget: 0.995, windowDays: 30 };

export type BurnRule = { severity: "page" | "ticket"; factor: number; longMinutes: number; shortMinutes: number };
/** Page at 14.4x over 1h and 5m, page at 6x over 6h and 30m, ticket at 1x over 3d and 6h. */
export const BURN_RULES: readonly BurnRule[] = [
  { severity: "page", factor: 14.4, longMinutes: 60, shortMinutes: 5 },
  { severity: "page", factor: 6, longMinutes: 360, shortMinutes: 30 },
  { severity: "ticket", factor: 1, longMinutes: 4320, shortMinutes: 360 },
];
const WINDOWS = [...new Set(BURN_RULES.flatMap((r) => [r.longMinutes, r.shortMinutes]))].sort((a, b) => a - b);
/** SERVER and CONSUMER: the calls a service answers. */
const SLO_KINDS = [2, 5];

export type Sli = "availability" | "latency";
export type WindowBurn = { minutes: number; calls: number; bad: number; burnRate: number };
export type BurnAlert = {
  service: string;
  sli: Sli;
  severity: BurnRule["severity"];
  factor: number;
  long: WindowBurn;
  short: WindowBurn;
  /** When it was evaluated. */
  at: Date;
  /** Where to look: the service's RED chart over the long window. */
  link: { service: string; from: Date; to: Date };
  /** Up to 5 recent failing (availability) or slow (latency) traces of the service in the long window. */
  exampleTraceIds: string[];
};
export type SloStatus = {
  service: string;
  objective: SloObjective;
  /** Over the objective's window. */
  calls: number;
  availability: number | null;
  latencyWithin: number | null;
  /** Share of the error budget left (1 = untouched, < 0 = overspent). */
  availabilityBudgetRemaining: number;
  latencyBudgetRemaining: number;
  alerts: BurnAlert[];
};

type Counts = { calls: number; errors: number; buckets: number[] };

/** Loads the objectives table, falling back to DEFAULT_SLO. */
export async function sloObjectives(db: Queryable): Promise<Map<string, SloObjective>> {
  const res = await db.query<{ service_name: string } & SloObjective>(
    `SELECT service_name, availability_target AS "availabilityTarget", latency_threshold_ms AS "latencyThresholdMs",
            latency_target AS "latencyTarget", window_days AS "windowDays" FROM telemetry.slo_objectives`,
  );
  return new Map(res.rows.map(({ service_name, ...o }) => [service_name, o]));
}

/** Evaluates every service seen in the rollups of the longest window (or only `services`) at `now`. */
export async function evaluateSlos(db: Queryable, opts: { now?: Date; services?: string[] } = {}): Promise<SloStatus[]> {
  const now = opts.now ?? new Date();
  const objectives = await sloObjectives(db);
  const windows = [...WINDOWS.map((m) => `m${m}`), "slo"];
  const cond = (w: string) => (w === "slo" ? `r.minute >= $1::timestamptz - make_interval(days => coalesce(o.window_days, ${DEFAULT_SLO.windowDays}))` : `r.minute >= $1::timestamptz - interval '${w.slice(1)} minutes'`);
  const cols = windows.flatMap((w) => [
    `coalesce(sum(r.calls) FILTER (WHERE ${cond(w)}), 0)::text AS ${w}_calls`,
    `coalesce(sum(r.errors) FILTER (WHERE ${cond(w)}), 0)::text AS ${w}_errors`,
    `ARRAY[${Array.from({ length: BUCKET_COUNT }, (_, i) => `coalesce(sum(r.buckets[${i + 1}]) FILTER (WHERE ${cond(w)}), 0)::text`).join(", ")}] AS ${w}_buckets`,
  ]);
  const maxDays = Math.max(DEFAULT_SLO.windowDays, ...[...objectives.values()].map((o) => o.windowDays));
  const res = await db.query<Record<string, string | string[]>>(
    `SELECT r.service_name, ${cols.join(",\n")}
       FROM telemetry.red_rollups r LEFT JOIN telemetry.slo_objectives o ON o.service_name = r.service_name
      WHERE r.minute >= $1::timestamptz - make_interval(days => $2) AND r.minute <= $1 AND r.span_kind = ANY($3::smallint[])
        AND ($4::text[] IS NULL OR r.service_name = ANY($4))
      GROUP BY r.service_name ORDER BY r.service_name`,
    [now, maxDays, SLO_KINDS, opts.services ?? null],
  );
  const out: SloStatus[] = [];
  for (const row of res.rows) {
    const service = row.service_name as string;
    const objective = objectives.get(service) ?? DEFAULT_SLO;
    const counts = (w: string): Counts => ({
      calls: Number(row[`${w}_calls`]),
      errors: Number(row[`${w}_errors`]),
      buckets: addBuckets(emptyBuckets(), row[`${w}_buckets`] as string[]),
    });
    const bad = (c: Counts, sli: Sli) => (sli === "availability" ? c.errors : Math.max(0, c.calls - countWithin(objective.latencyThresholdMs, c.buckets)));
    const budget = (sli: Sli) => 1 - (sli === "availability" ? objective.availabilityTarget : objective.latencyTarget);
    const burn = (minutes: number, sli: Sli): WindowBurn => {
      const c = counts(`m${minutes}`);
      const b = bad(c, sli);
      return { minutes, calls: c.calls, bad: b, burnRate: c.calls > 0 ? b / c.calls / budget(sli) : 0 };
    };
    const alerts: BurnAlert[] = [];
    for (const sli of ["availability", "latency"] as const) {
      for (const rule of BURN_RULES) {
        const long = burn(rule.longMinutes, sli);
        const short = burn(rule.shortMinutes, sli);
        if (long.burnRate >= rule.factor && short.burnRate >= rule.factor) {
          const from = new Date(now.getTime() - rule.longMinutes * 60_000);
          alerts.push({
            service, sli, severity: rule.severity, factor: rule.factor, long, short, at: now,
            link: { service, from, to: now },
            exampleTraceIds: await exampleTraces(db, service, sli, objective, from, now),
          });
        }
      }
    }
    const total = counts("slo");
    const ratio = (sli: Sli) => (total.calls > 0 ? bad(total, sli) / total.calls : 0);
    out.push({
      service,
      objective,
      calls: total.calls,
      availability: total.calls > 0 ? 1 - ratio("availability") : null,
      latencyWithin: total.calls > 0 ? 1 - ratio("latency") : null,
      availabilityBudgetRemaining: 1 - ratio("availability") / budget("availability"),
      latencyBudgetRemaining: 1 - ratio("latency") / budget("latency"),
      alerts,
    });
  }
  return out;
}

/** Up to 5 recent traces of `service` with a failing (or slow) SERVER/CONSUMER span in [from, to]. */
async function exampleTraces(db: Queryable, service: string, sli: Sli, objective: SloObjective, from: Date, to: Date): Promise<string[]> {
  const res = await db.query<{ trace_id: string }>(
    `SELECT encode(trace_id, 'hex') AS trace_id FROM (
       SELECT trace_id, max(start_time) AS t FROM telemetry.spans
        WHERE service_name = $1 AND start_time >= $2 AND start_time <= $3 AND kind = ANY($4::smallint[])
          AND (CASE WHEN $5 THEN status_code = 2 ELSE duration_ns > $6::bigint END)
        GROUP BY trace_id ORDER BY t DESC LIMIT 5) x ORDER BY t DESC`,
    [service, from, to, SLO_KINDS, sli === "availability", Math.round(objective.latencyThresholdMs * 1_000_000)],
  );
  return res.rows.map((r) => r.trace_id);
}
