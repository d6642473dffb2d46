import { getAppContext } from "@/server/app";
import { handleBrowserSpans } from "@/services/telemetry/browser";

/** Spans recorded by the portal's pages (services/telemetry/browser.ts). */
export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function POST(req: Request): Promise<Response> {
  return handleBrowserSpans(req, getAppContext());
}
