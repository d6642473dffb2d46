import { getAppContext } from "@/server/app";
import { checkHealth } from "@/server/health";

export const dynamic = "force-dynamic";

/** 200 when PostgreSQL, the queue backend and at least one worker are all well; 503 otherwise. */
export async function GET(): Promise<Response> {
  const report = await checkHealth(getAppContext());
  return Response.json(report, {
    status: report.status === "ok" ? 200 : 503,
    headers: { "cache-control": "no-store" },
  });
}
