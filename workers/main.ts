/**
 * The worker process: BullMQ workers for every queue in the job catalog, scheduled jobs and the
 * heartbeat. Run with `npm run worker` (the start command runs it for you). Stops cleanly on SIGINT/SIGTERM.
 */
import { ConfigError, getConfig } from "@/server/config";
import { startTelemetry } from "@/server/telemetry/otel";

async function main(): Promise<void> {
  const config = getConfig();
  // Telemetry first, so pg, ioredis and http are instrumented when they load.
  const stopTelemetry = startTelemetry(config, "worker");
  const { createAppContext } = await import("@/server/app");
  const { startWorkerRuntime } = await import("./runtime");
  const app = createAppContext(config, "worker");
  const runtime = await startWorkerRuntime(app);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, "worker shutting down");
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    await runtime.stop();
    await app.close();
    await stopTelemetry();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
