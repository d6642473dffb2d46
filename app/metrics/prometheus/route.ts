import { getAppContext } from "@/server/app";
import { handlePrometheusScrape } from "@/services/telemetry/red-prometheus";

/**
 * RED metrics of the span store in the Prometheus text format, under the spanmetrics names
 * (services/telemetry/red-prometheus.ts). Bearer-protected with OTLP_INGEST_TOKENS when any are set.
 */
export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function GET(req: Request): Promise<Response> {
  const app = getAppContext();
  return handlePrometheusScrape(req, { pool: app.pool, tokens: app.config.telemetry.ingestTokens });
}
