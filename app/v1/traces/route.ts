import { getAppContext } from "@/server/app";
import { handleTraceExport } from "@/services/telemetry/web";

/** OTLP/HTTP trace export (JSON or protobuf, optionally gzip): services/telemetry/receiver.ts. */
export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function POST(req: Request): Promise<Response> {
  return handleTraceExport(req, getAppContext());
}
