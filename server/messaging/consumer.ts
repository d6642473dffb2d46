import { context, SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { type Job, UnrecoverableError } from "bullmq";
import type pg from "pg";
import { z } from "zod";
import type { AppContext } from "../app";
import type { Logger } from "../logger";
import type { AnyWorker, QueueBackend } from "../queue/backend";
import { recordDeadLetter } from "./dead-letters/record";
import { Envelope, type ServiceName } from "./envelope";
import { createGroupCommitter } from "./group-commit";
import { checkEventPayload, type ConsumerDefinition, consumerQueue, jsonPath, type MessagingRegistry, type TransactionalClient } from "./registry";
import { consumerClient } from "./sql-tx";
import { contextFromTraceparent, linkFromTraceparent, tracer } from "./tracing";

/** Throw from a handler for a message that can never succeed: it becomes a dead letter at once. */
export class PoisonMessageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PoisonMessageError";
  }
}

const Delivery = z.object({
  envelope: Envelope,
  delivery: z.string().default(""),
  deadLetterId: z.string().uuid().optional(),
  firstFailedAt: z.string().optional(),
});

export type ConsumerDeps = {
  pool: pg.Pool;
  queues: QueueBackend;
  clients: Record<ServiceName, TransactionalClient>;
  log: Logger;
  /** Handed to consumers so they can call other services' public procedures. */
  app?: AppContext;
  /** Job lock; a job whose process died is found stalled and retried after this (default 30 s). */
  lockMs?: number;
};

function issues(err: z.ZodError): string {
  return err.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
}

/**
 * Why a delivered payload cannot be read, or undefined: first against the schema its event type
 * publishes (for every consumer, when the type is registered; a tolerant reader, unknown properties
 * ignored), then against the consumer's own, narrower `payloads` schema when it declares a different one.
 */
export function payloadProblem(consumer: ConsumerDefinition, envelope: Envelope): string | undefined {
  const published = checkEventPayload(envelope.eventType, envelope.payload, "read");
  if (published?.violations.length) {
    const { definition } = published;
    const versions = envelope.version === definition.version ? `v${definition.version}` : `v${definition.version}; the event says v${envelope.version}`;
    const what = published.violations.map((v) => `${v.path.replace(/^\$\.?/, "") || "(root)"}: ${v.message}`).join("; ");
    return `invalid ${envelope.eventType} payload: ${what} (published schema ${versions}; at ${published.violations.map((v) => v.path).join(", ")})`;
  }
  const own = consumer.payloads?.[envelope.eventType];
  if (!own || own === published?.definition.payload) return undefined;
  const parsed = own.safeParse(envelope.payload);
  return parsed.success ? undefined : `invalid ${envelope.eventType} payload: ${issues(parsed.error)} (${consumer.name}'s reader schema; at ${parsed.error.issues.map((i) => jsonPath(i.path)).join(", ")})`;
}

async function processDelivery(
  deps: ConsumerDeps,
  consumer: ConsumerDefinition,
  committer: ReturnType<typeof createGroupCommitter>,
  job: Job,
): Promise<"applied" | "duplicate"> {
  const attempts = job.opts.attempts ?? 1;
  const firstFailedAt = (job.data as { firstFailedAt?: string }).firstFailedAt;
  const deadLetter = async (error: Error, unrecoverable: boolean) =>
    recordDeadLetter(deps.pool, {
      consumer: consumer.name,
      delivered: job.data,
      error,
      attempts: job.attemptsMade + 1,
      firstFailedAt: new Date(firstFailedAt ?? Date.now()),
      unrecoverable,
    });

  const parsed = Delivery.safeParse(job.data);
  if (!parsed.success) {
    const err = new PoisonMessageError(`invalid envelope: ${issues(parsed.error)}`);
    await deadLetter(err, true);
    throw new UnrecoverableError(err.message);
  }
  const { envelope, delivery, deadLetterId } = parsed.data;
  const queue = consumerQueue(consumer.name);
  const parent = contextFromTraceparent(envelope.traceparent);
  return tracer.startActiveSpan(
    `process ${envelope.eventType}`,
    {
      kind: SpanKind.CONSUMER,
      links: linkFromTraceparent(envelope.traceparent),
      attributes: {
        "messaging.system": "bullmq",
        "messaging.operation.type": "process",
        "messaging.operation.name": "process",
        "messaging.destination.name": queue,
        "messaging.consumer.group.name": consumer.name,
        "switchyard.service": consumer.service,
        "messaging.message.id": envelope.eventId,
        "messaging.message.delivery_attempt": job.attemptsMade + 1,
        "switchyard.event.type": envelope.eventType,
        "switchyard.aggregate.id": envelope.aggregateId,
      },
    },
    parent,
    async (span) => {
      try {
        const problem = payloadProblem(consumer, envelope);
        if (problem) throw new PoisonMessageError(problem);
        const outcome = await committer.submit({ envelope, delivery, deadLetterId, ctx: context.active() });
        span.setAttribute("switchyard.outcome", outcome);
        return outcome;
      } catch (err) {
        const error = err instanceof Error ? err : new Error(String(err));
        span.recordException(error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
        const poison = error instanceof PoisonMessageError || error instanceof UnrecoverableError;
        if (poison || job.attemptsMade + 1 >= attempts) {
          await deadLetter(error, poison);
          throw new UnrecoverableError(`${error.name}: ${error.message}`);
        }
        if (!firstFailedAt) await job.updateData({ ...job.data, firstFailedAt: new Date().toISOString() }).catch(() => {});
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

export type ConsumerRuntime = { stop(): Promise<void>; workers: AnyWorker[] };

/** Starts one BullMQ worker per declared consumer, each applying its deliveries through group commit. */
export function startConsumers(deps: ConsumerDeps, registry: MessagingRegistry): ConsumerRuntime {
  const runs = registry.consumers.map((consumer) => {
    const committer = createGroupCommitter(consumer, consumerClient(consumer, deps.pool, deps.clients), deps.log.child({ consumer: consumer.name }), { app: deps.app });
    const worker = deps.queues.worker(
      consumerQueue(consumer.name),
      (job) => processDelivery(deps, consumer, committer, job),
      {
        // Jobs wait for their group commit, so many in flight means larger, cheaper batches; past ~100
        // BullMQ's own tail latency grows (bench:outbox: p99 58 ms at 100, 293 ms at 200).
        concurrency: consumer.concurrency ?? 100,
        traced: false,
        lockDuration: deps.lockMs ?? 30_000,
        stalledInterval: deps.lockMs ?? 30_000,
        // A job that stalls again goes to failed (and is removed); the redelivery sweep brings it back.
        maxStalledCount: 2,
      },
    );
    worker.on("error", (err) => deps.log.error({ err, consumer: consumer.name }, "consumer worker error"));
    return { worker, committer };
  });
  return {
    workers: runs.map((r) => r.worker),
    async stop() {
      await Promise.allSettled(runs.map((r) => r.worker.close()));
      await Promise.allSettled(runs.map((r) => r.committer.drain()));
    },
  };
}

