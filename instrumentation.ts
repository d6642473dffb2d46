/**
 * Next.js calls `register()` once per server process: start the OpenTelemetry NodeSDK there
 * (Node runtime only; NEXT_RUNTIME is Next's own build-time switch, not configuration).
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { getConfig } = await import("./server/config");
    const { startTelemetry } = await import("./server/telemetry/otel");
    startTelemetry(getConfig(), "web");
  }
}
