import type { JobsOptions } from "bullmq";
import { z } from "zod";
import type { QueueBackend } from "@/server/queue/backend";

/**
 * The typed job catalog: every background job's name, queue, payload schema, retry policy and timeout.
 * Handlers live in `workers/handlers.ts` (worker process only); web code may enqueue from here.
 */
export type JobDefinition<S extends z.ZodType> = {
  queue: string;
  schema: S;
  attempts: number;
  /** First retry delay; BullMQ doubles it each attempt. */
  backoffMs: number;
  /** A run taking longer fails with a timeout error (and is retried like any failure). */
  timeoutMs: number;
};

function defineJob<S extends z.ZodType>(def: JobDefinition<S>): JobDefinition<S> {
  return def;
}

export const jobs = {
  "catalog.sync": defineJob({
    queue: "catalog",
    schema: z.object({
      trigger: z.enum(["startup", "schedule", "manual"]),
      requestedBy: z.string().optional(),
    }),
    attempts: 3,
    backoffMs: 2000,
    timeoutMs: 60_000,
  }),
  "messaging.dlq-replay": defineJob({
    queue: "messaging",
    schema: z.object({ operationId: z.string().uuid() }),
    attempts: 3,
    backoffMs: 1000,
    timeoutMs: 10 * 60_000,
  }),
  "messaging.event-replay": defineJob({
    queue: "messaging",
    schema: z.object({ operationId: z.string().uuid() }),
    attempts: 1,
    backoffMs: 1000,
    timeoutMs: 60 * 60_000,
  }),
  "saga.step": defineJob({
    queue: "sagas",
    schema: z.object({
      instanceId: z.string().uuid(),
      index: z.number().int().min(0),
      phase: z.enum(["forward", "compensate"]),
      attempt: z.number().int().min(1),
    }),
    // Step failures are retried by the saga engine with the step's own policy; these attempts only
    // cover the engine itself failing (e.g. the database away for a moment).
    attempts: 5,
    backoffMs: 1000,
    timeoutMs: 10 * 60_000,
  }),
  "analytics.usage-report": defineJob({
    queue: "analytics",
    // A report id for one requested on demand (POST /reports); none for the daily schedule (yesterday).
    schema: z.object({ reportId: z.string().uuid().optional() }),
    attempts: 3,
    backoffMs: 5000,
    timeoutMs: 10 * 60_000,
  }),
  "messaging.maintain": defineJob({
    queue: "messaging",
    schema: z.object({}),
    attempts: 3,
    backoffMs: 5000,
    timeoutMs: 10 * 60_000,
  }),
  "telemetry.maintain": defineJob({
    queue: "telemetry",
    schema: z.object({}),
    attempts: 3,
    backoffMs: 5000,
    timeoutMs: 10 * 60_000,
  }),
  // RED rollups from the spans stored since the last run (services/telemetry/red.ts). A failed run is
  // simply redone by the next minute's, so no retries pile up behind it.
  "telemetry.rollup": defineJob({
    queue: "telemetry",
    schema: z.object({}),
    attempts: 1,
    backoffMs: 5000,
    timeoutMs: 5 * 60_000,
  }),
} as const;

export type JobName = keyof typeof jobs;
export type JobData<N extends JobName> = z.infer<(typeof jobs)[N]["schema"]>;

/**
 * Recurring jobs of services (BullMQ job schedulers, cron in UTC): for the worker runtime to upsert
 * with its own schedules (workers/runtime.ts, `upsertSchedules`).
 */
export const jobSchedules: { id: string; job: JobName; repeat: { pattern: string; tz: string }; data: Record<string, unknown> }[] = [
  // Yesterday's usage report, shortly after midnight UTC.
  { id: "analytics.usage-report:daily", job: "analytics.usage-report", repeat: { pattern: "10 0 * * *", tz: "UTC" }, data: {} },
  // Span store: day partitions created ahead, expired ones dropped (the ingest writer also creates a missing day).
  { id: "telemetry.maintain:hourly", job: "telemetry.maintain", repeat: { pattern: "5 * * * *", tz: "UTC" }, data: {} },
  // RED rollups (spanmetrics semantics), by ingest watermark: late spans are added to their minute once.
  { id: "telemetry.rollup:minutely", job: "telemetry.rollup", repeat: { pattern: "* * * * *", tz: "UTC" }, data: {} },
];

/**
 * Validates `data` against the job's schema and adds it to the job's queue with the job's retry policy.
 * Returns the BullMQ job id.
 */
export async function enqueueJob<N extends JobName>(
  queues: QueueBackend,
  name: N,
  data: JobData<N>,
  opts: Pick<JobsOptions, "jobId" | "delay" | "priority"> = {},
): Promise<string> {
  const def = jobs[name];
  const payload = def.schema.parse(data);
  const job = await queues.queue(def.queue).add(name, payload, {
    attempts: def.attempts,
    backoff: { type: "exponential", delay: def.backoffMs },
    removeOnComplete: { age: 7 * 24 * 3600, count: 1000 },
    removeOnFail: { age: 30 * 24 * 3600 },
    ...opts,
  });
  return job.id!;
}
