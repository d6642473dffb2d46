import type { AppContext } from "./app";

export type CheckResult = { ok: boolean; latencyMs: number; detail?: string; error?: string };

export type HealthReport = {
  status: "ok" | "unavailable";
  checkedAt: string;
  version: string;
  checks: {
    postgres: CheckResult;
    queue: CheckResult & { backend: string };
    worker: CheckResult & { live: number; lastSeenAt: string | null };
  };
};

// The queue every worker consumes; counting its jobs proves the backend answers.
const PROBE_QUEUE = "catalog";

async function timed<T>(timeoutMs: number, fn: () => Promise<T>): Promise<{ value?: T; latencyMs: number; error?: string }> {
  const start = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const value = await Promise.race([
      fn(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { value, latencyMs: Math.round(performance.now() - start) };
  } catch (err) {
    return { latencyMs: Math.round(performance.now() - start), error: (err as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

/** Checks PostgreSQL, the queue backend and worker liveness (a heartbeat within `worker.staleMs`). */
export async function checkHealth(app: AppContext, timeoutMs = 2000): Promise<HealthReport> {
  const staleBefore = new Date(Date.now() - app.config.worker.staleMs);
  const [pg, queue, worker] = await Promise.all([
    timed(timeoutMs, () => app.pool.query("SELECT 1")),
    timed(timeoutMs, () => app.queues.queue(PROBE_QUEUE).getJobCounts("waiting", "active", "failed")),
    timed(timeoutMs, async () => {
      const live = await app.db.portal.workerHeartbeat.findMany({
        where: { lastSeenAt: { gte: staleBefore }, stoppedAt: null },
        select: { id: true, lastSeenAt: true },
        orderBy: { lastSeenAt: "desc" },
      });
      const last = await app.db.portal.workerHeartbeat.findFirst({
        orderBy: { lastSeenAt: "desc" },
        select: { lastSeenAt: true },
      });
      return { live: live.length, lastSeenAt: last?.lastSeenAt ?? null };
    }),
  ]);
  const workerOk = !worker.error && (worker.value?.live ?? 0) > 0;
  const report: HealthReport = {
    status: "ok",
    checkedAt: new Date().toISOString(),
    version: app.config.version,
    checks: {
      postgres: { ok: !pg.error, latencyMs: pg.latencyMs, ...(pg.error ? { error: pg.error } : {}) },
      queue: {
        ok: !queue.error,
        latencyMs: queue.latencyMs,
        backend: app.queues.kind,
        detail: app.queues.description,
        ...(queue.error ? { error: queue.error } : {}),
      },
      worker: {
        ok: workerOk,
        latencyMs: worker.latencyMs,
        live: worker.value?.live ?? 0,
        lastSeenAt: worker.value?.lastSeenAt?.toISOString() ?? null,
        ...(worker.error
          ? { error: worker.error }
          : workerOk
            ? {}
            : { error: `no worker heartbeat in the last ${Math.round(app.config.worker.staleMs / 1000)} s` }),
      },
    },
  };
  if (!report.checks.postgres.ok || !report.checks.queue.ok || !report.checks.worker.ok) report.status = "unavailable";
  return report;
}
