import type { AppContext } from "@/server/app";
import { createPool } from "@/server/db/pool";
import { requireDatabaseUrl } from "@/server/config";
import { createTraceReceiver, type TraceReceiver } from "./receiver";

const GLOBAL_KEY = Symbol.for("switchyard.traceReceiver");

/**
 * The web process's trace receiver, created on first use (kept across dev reloads). Its writers have a
 * pool of their own, so COPYs never wait behind (or hold up) the gateway's queries.
 */
export function getTraceReceiver(app: AppContext): TraceReceiver {
  const g = globalThis as unknown as Record<symbol, TraceReceiver | undefined>;
  return (g[GLOBAL_KEY] ??= createTraceReceiver({
    pool: createPool(requireDatabaseUrl(app.config), app.config.telemetry.writers + 1),
    settings: app.config.telemetry,
    log: app.log.child({ module: "otlp-receiver" }),
  }));
}

/** The route handler's body: a fetch Request in, a Response out. */
export async function handleTraceExport(req: Request, app: AppContext): Promise<Response> {
  const res = await getTraceReceiver(app).receive(req.headers, req.body);
  return new Response(res.body as Uint8Array<ArrayBuffer>, { status: res.status, headers: res.headers });
}
