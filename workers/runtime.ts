import { randomBytes } from "node:crypto";
import os from "node:os";
import { UnrecoverableError, type Job } from "bullmq";
import type { AppContext } from "@/server/app";
import type { MessagingRegistry } from "@/server/messaging/registry";
import { type MessagingRuntime, startMessaging } from "@/server/messaging/runtime";
import { messagingRegistry } from "./consumers";
import type { z } from "zod";
import { handlers, type JobContext } from "./handlers";
import { enqueueJob, type JobDefinition, jobSchedules, jobs } from "./jobs";

/** Raised when a job runs past its catalog timeout; BullMQ retries it like any other failure. */
export class JobTimeoutError extends Error {
  constructor(name: string, ms: number) {
    super(`${name} did not finish within ${ms} ms`);
    this.name = "JobTimeoutError";
  }
}

/** The jobs a worker runs and their handlers: the catalog in production, a test catalog in tests. */
export type JobRegistry = {
  jobs: Record<string, JobDefinition<z.ZodType>>;
  handlers: Record<string, (data: never, ctx: JobContext) => Promise<unknown>>;
  /** Scheduled and start-up jobs, enqueued once the workers run. */
  onStart?: (app: AppContext) => Promise<void>;
};

/** Scheduled jobs. Upserting is idempotent; the runtime repeats it so a Redis that lost its data gets them back. */
async function upsertSchedules(app: AppContext): Promise<void> {
  await app.queues
    .queue(jobs["catalog.sync"].queue)
    .upsertJobScheduler("catalog.sync:every", { every: app.config.catalog.syncEveryMs }, { name: "catalog.sync", data: { trigger: "schedule" } });
  await app.queues
    .queue(jobs["messaging.maintain"].queue)
    .upsertJobScheduler("messaging.maintain:hourly", { every: 3_600_000 }, { name: "messaging.maintain", data: {} });
  for (const s of jobSchedules) {
    await app.queues.queue(jobs[s.job].queue).upsertJobScheduler(s.id, s.repeat, { name: s.job, data: s.data });
  }
}

/** The catalog and the messaging housekeeping run once when a worker starts, then on their schedules. */
async function startJobs(app: AppContext): Promise<void> {
  await upsertSchedules(app);
  if (app.config.catalog.syncOnStart) await enqueueJob(app.queues, "catalog.sync", { trigger: "startup" });
  await enqueueJob(app.queues, "messaging.maintain", {});
}

const defaultRegistry: JobRegistry = { jobs, handlers, onStart: startJobs };

/** Runs one job: checks its name and payload, then its handler under the catalog's timeout. */
export async function processJob(app: AppContext, job: Job, registry: JobRegistry = defaultRegistry): Promise<unknown> {
  const def = Object.hasOwn(registry.jobs, job.name) ? registry.jobs[job.name] : undefined;
  const handler = registry.handlers[job.name] as ((data: unknown, ctx: JobContext) => Promise<unknown>) | undefined;
  if (!def || !handler) throw new UnrecoverableError(`unknown job "${job.name}"`);
  const parsed = def.schema.safeParse(job.data);
  if (!parsed.success) {
    throw new UnrecoverableError(`invalid payload for ${job.name}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  const log = app.log.child({ jobId: job.id, job: job.name, queue: def.queue, attempt: job.attemptsMade + 1 });
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const started = performance.now();
  log.info("job started");
  try {
    const result = await Promise.race([
      handler(parsed.data, { app, job, log, signal: controller.signal }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          controller.abort();
          reject(new JobTimeoutError(job.name, def.timeoutMs));
        }, def.timeoutMs);
      }),
    ]);
    log.info({ durationMs: Math.round(performance.now() - started) }, "job finished");
    return result;
  } catch (err) {
    log.warn({ err, durationMs: Math.round(performance.now() - started) }, "job failed");
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

export type WorkerRuntime = { id: string; messaging: MessagingRuntime | undefined; stop(): Promise<void> };

/**
 * Starts the worker side of a process: one BullMQ worker per queue in the job catalog, the scheduled
 * jobs, a start-up catalog sync and a heartbeat row that /api/health reads.
 */
export async function startWorkerRuntime(
  app: AppContext,
  opts: { jobs?: JobRegistry; messaging?: MessagingRegistry | false } = {},
): Promise<WorkerRuntime> {
  const registry = opts.jobs ?? defaultRegistry;
  const queueNames = [...new Set(Object.values(registry.jobs).map((j) => j.queue))];
  const id = `${os.hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  const now = new Date();
  await app.db.portal.workerHeartbeat.create({
    data: { id, hostname: os.hostname(), pid: process.pid, queues: queueNames, startedAt: now, lastSeenAt: now },
  });
  const beat = setInterval(() => {
    app.db.portal.workerHeartbeat
      .update({ where: { id }, data: { lastSeenAt: new Date() } })
      .catch((err: unknown) => app.log.warn({ err }, "heartbeat failed"));
  }, app.config.worker.heartbeatMs);
  beat.unref();

  const workers = queueNames.map((queue) => {
    const w = app.queues.worker(queue, (job) => processJob(app, job, registry), { concurrency: 4 });
    w.on("error", (err) => app.log.error({ err, queue }, "worker error"));
    return w;
  });

  await registry.onStart?.(app);
  const reschedule = registry === defaultRegistry ? setInterval(() => void upsertSchedules(app).catch(() => {}), 60_000) : undefined;
  reschedule?.unref();
  const messaging = opts.messaging === false ? undefined : await startMessaging(app, opts.messaging ?? messagingRegistry);
  app.log.info({ workerId: id, queues: queueNames, backend: app.queues.description }, "worker started");

  return {
    id,
    messaging,
    async stop() {
      clearInterval(beat);
      clearInterval(reschedule);
      await messaging?.stop();
      await Promise.allSettled(workers.map((w) => w.close()));
      await app.db.portal.workerHeartbeat
        .update({ where: { id }, data: { stoppedAt: new Date(), lastSeenAt: new Date() } })
        .catch(() => {});
      app.log.info({ workerId: id }, "worker stopped");
    },
  };
}
