import { createHash, timingSafeEqual } from "node:crypto";
import type pg from "pg";
import { DURATION_BOUNDS_MS, SPAN_KIND_NAMES, STATUS_CODE_NAMES, sumBucketsSql } from "./red";

/**
 * The RED rollups in the Prometheus text exposition format (0.0.4), under the OTel spanmetrics
 * connector's names, for `GET /metrics/prometheus` (app/metrics/prometheus/route.ts).
 */

export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
export const DEFAULT_WINDOW_MINUTES = 60;

const escapeLabel = (v: string) => v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
const fmt = (n: number) => (Number.isFinite(n) ? String(n) : n > 0 ? "+Inf" : n < 0 ? "-Inf" : "NaN");

/** Renders the rollups of the `windowMinutes` minutes before `now`, summed per series. */
export async function renderPrometheus(db: Pick<pg.Pool, "query">, opts: { now?: Date; windowMinutes?: number } = {}): Promise<string> {
  const windowMinutes = opts.windowMinutes ?? DEFAULT_WINDOW_MINUTES;
  const now = opts.now ?? new Date();
  const res = await db.query<{ service_name: string; span_name: string; span_kind: number; status_code: number; calls: string; sum: number; buckets: string[] }>(
    `SELECT service_name, span_name, span_kind, status_code, sum(calls)::text AS calls, sum(duration_sum_ms) AS sum,
            ${sumBucketsSql("buckets")} AS buckets
       FROM telemetry.red_rollups WHERE minute >= $1 AND minute <= $2
      GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
    [new Date(now.getTime() - windowMinutes * 60_000), now],
  );
  const window = `the last ${windowMinutes} minutes of RED rollups (a sliding window: not monotonic across scrapes)`;
  const calls: string[] = [
    `# HELP traces_span_metrics_calls_total Spans per service, span name, kind and status, summed over ${window}.`,
    "# TYPE traces_span_metrics_calls_total counter",
  ];
  const hist: string[] = [
    `# HELP traces_span_metrics_duration_milliseconds Span durations in milliseconds (spanmetrics default buckets), cumulative over ${window}.`,
    "# TYPE traces_span_metrics_duration_milliseconds histogram",
  ];
  for (const r of res.rows) {
    const labels = `service_name="${escapeLabel(r.service_name)}",span_name="${escapeLabel(r.span_name)}",span_kind="${SPAN_KIND_NAMES[r.span_kind] ?? "SPAN_KIND_UNSPECIFIED"}",status_code="${STATUS_CODE_NAMES[r.status_code] ?? "STATUS_CODE_UNSET"}"`;
    calls.push(`traces_span_metrics_calls_total{${labels}} ${r.calls}`);
    let cumulative = 0n;
    r.buckets.forEach((b, i) => {
      cumulative += BigInt(b);
      const le = i < DURATION_BOUNDS_MS.length ? String(DURATION_BOUNDS_MS[i]) : "+Inf";
      hist.push(`traces_span_metrics_duration_milliseconds_bucket{${labels},le="${le}"} ${cumulative}`);
    });
    hist.push(`traces_span_metrics_duration_milliseconds_sum{${labels}} ${fmt(r.sum)}`);
    hist.push(`traces_span_metrics_duration_milliseconds_count{${labels}} ${r.calls}`);
  }
  return `${calls.join("\n")}\n${hist.join("\n")}\n`;
}

const digest = (s: string) => createHash("sha256").update(s).digest();

/**
 * Answers a scrape: with tokens configured (OTLP_INGEST_TOKENS), `Authorization: Bearer <token>` must
 * match one (compared as SHA-256 digests in constant time), 401 otherwise; open when none are configured.
 * `?window=<minutes>` (1-1440) changes the window.
 */
export async function handlePrometheusScrape(req: Request, ctx: { pool: Pick<pg.Pool, "query">; tokens: readonly string[] }): Promise<Response> {
  if (ctx.tokens.length > 0) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.get("authorization") ?? "");
    const given = m ? digest(m[1]!) : undefined;
    let ok = false;
    for (const t of ctx.tokens) ok = (given !== undefined && timingSafeEqual(digest(t), given)) || ok;
    if (!ok) return new Response("unauthorized\n", { status: 401, headers: { "content-type": "text/plain", "www-authenticate": "Bearer" } });
  }
  const w = new URL(req.url).searchParams.get("window");
  const windowMinutes = w === null ? DEFAULT_WINDOW_MINUTES : Number(w);
  if (!Number.isInteger(windowMinutes) || windowMinutes < 1 || windowMinutes > 1440) {
    return new Response("window must be an integer number of minutes, 1-1440\n", { status: 400, headers: { "content-type": "text/plain" } });
  }
  const text = await renderPrometheus(ctx.pool, { windowMinutes });
  return new Response(text, { status: 200, headers: { "content-type": PROMETHEUS_CONTENT_TYPE, "cache-control": "no-store" } });
}
