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
  "messaging.maintain": defineJob({
    queue: "messaging",
    schema: z.object({}),
    attempts: 3,
    backoffMs: 5000,
    timeoutMs: 10 * 60_000,
  }),
} as const;

export type JobName = keyof typeof jobs;
export type JobData<N extends JobName> = z.infer<(typeof jobs)[N]["schema"]>;

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
