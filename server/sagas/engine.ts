import type { AppContext } from "../app";
import { DomainError } from "../errors";
import type { QueueBackend } from "../queue/backend";
import { type SagaDefinition, StepRejected } from "./define";

/** The job that runs one step try; enqueued by the engine, run by the worker's "saga.step" handler. */
export type SagaStepJob = { instanceId: string; index: number; phase: "forward" | "compensate"; attempt: number };

/** How the engine puts a step try on the queue (the worker's job catalog supplies it). */
export type EnqueueStep = (queues: QueueBackend, job: SagaStepJob, delayMs: number) => Promise<void>;

export type SagaRegistry = { sagas: SagaDefinition<never>[]; enqueue: EnqueueStep };

const DEFAULTS = { attempts: 3, timeoutMs: 30_000, backoffMs: 500 };

function registered(registry: SagaRegistry, name: string): SagaDefinition<unknown> {
  const def = registry.sagas.find((s) => s.name === name) as SagaDefinition<unknown> | undefined;
  if (!def) throw new Error(`no saga named "${name}"`);
  return def;
}

/** Starts a saga run: persists the instance and queues its first step. Returns the instance id; CONFLICT while another run for the same subject is unfinished. */
export async function startSaga(
  app: AppContext,
  registry: SagaRegistry,
  name: string,
  rawInput: unknown,
  opts: { correlationId: string; startedBy: string },
): Promise<string> {
  const def = registered(registry, name);
  const input = def.input.parse(rawInput);
  const subject = def.subject(input);
  // A partial unique index allows one unfinished run per saga and subject, even under concurrent starts.
  const instance = await app.db.messaging.sagaInstance
    .create({ data: { saga: def.name, service: def.service, correlationId: opts.correlationId, subject, input: input as object, startedBy: opts.startedBy } })
    .catch((err: unknown) => {
      if ((err as { code?: string }).code === "P2002") throw new DomainError("CONFLICT", `a ${def.name} run for ${subject} is already in progress`);
      throw err;
    });
  await registry.enqueue(app.queues, { instanceId: instance.id, index: 0, phase: "forward", attempt: 1 }, 0);
  return instance.id;
}

function withTimeout<T>(work: (signal: AbortSignal) => Promise<T>, ms: number, what: string): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work(controller.signal),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new Error(`${what} timed out after ${ms} ms`));
      }, ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Runs one try of one step and decides what comes next: the next step, a retry with backoff, the
 * compensations in reverse order, or the end. A job that no longer matches the instance's position
 * (a duplicate or a stale retry) does nothing; a job whose step already finished (the worker died
 * before moving on) only moves on. So running a job twice has no second effect.
 */
export async function runSagaStep(app: AppContext, registry: SagaRegistry, job: SagaStepJob): Promise<string> {
  const db = app.db.messaging;
  const instance = await db.sagaInstance.findUnique({ where: { id: job.instanceId } });
  if (!instance) return "gone";
  const expected = job.phase === "forward" ? "running" : "compensating";
  if (instance.status !== expected || instance.currentStep !== job.index) return "stale";
  const def = registered(registry, instance.saga);
  const step = def.steps[job.index]!;
  const attempts = step.attempts ?? DEFAULTS.attempts;
  const key = { instanceId_index_phase: { instanceId: instance.id, index: job.index, phase: job.phase } };
  const existing = await db.sagaStep.findUnique({ where: key });
  if (existing?.status === "succeeded" || existing?.status === "skipped") {
    await moveOn(app, registry, def, job, { output: (existing.output as Record<string, unknown> | null) ?? undefined });
    return "recovered";
  }
  if (existing?.status === "failed") {
    await moveOn(app, registry, def, job, { error: `${step.name}: ${existing.error ?? "failed"}` });
    return "recovered";
  }
  if (existing && existing.attempts > job.attempt) return "stale";

  const log = app.log.child({ saga: instance.saga, sagaId: instance.id, step: step.name, phase: job.phase, attempt: job.attempt, correlationId: instance.correlationId });
  if (job.phase === "compensate" && !step.compensate) {
    await db.sagaStep.upsert({
      where: key,
      create: { instanceId: instance.id, index: job.index, phase: job.phase, name: step.name, service: step.service, status: "skipped", finishedAt: new Date() },
      update: { status: "skipped", finishedAt: new Date() },
    });
    await moveOn(app, registry, def, job, {});
    return "skipped";
  }

  await db.sagaStep.upsert({
    where: key,
    create: { instanceId: instance.id, index: job.index, phase: job.phase, name: step.name, service: step.service, status: "running", attempts: job.attempt },
    update: { status: "running", attempts: job.attempt, error: null },
  });
  const ctx = {
    app,
    instanceId: instance.id,
    correlationId: instance.correlationId,
    input: instance.input,
    data: instance.data as Record<string, unknown>,
    attempt: job.attempt,
    log,
    ...(instance.error ? { reason: instance.error } : {}),
  };
  try {
    const out = await withTimeout(
      (signal) => (job.phase === "forward" ? step.run({ ...ctx, signal }) : step.compensate!({ ...ctx, signal }).then(() => undefined)),
      step.timeoutMs ?? DEFAULTS.timeoutMs,
      `${step.name} (${step.service})`,
    );
    await db.sagaStep.update({ where: key, data: { status: "succeeded", finishedAt: new Date(), ...(out ? { output: out as object } : {}) } });
    log.info("saga step succeeded");
    await moveOn(app, registry, def, job, { output: out ?? undefined });
    return "succeeded";
  } catch (err) {
    const message = (err as Error).message;
    const final = err instanceof StepRejected || job.attempt >= attempts;
    await db.sagaStep.update({ where: key, data: { status: final ? "failed" : "retrying", error: message, ...(final ? { finishedAt: new Date() } : {}) } });
    log.warn({ err: message, final }, "saga step failed");
    if (!final) {
      const delay = (step.backoffMs ?? DEFAULTS.backoffMs) * 2 ** (job.attempt - 1);
      await registry.enqueue(app.queues, { ...job, attempt: job.attempt + 1 }, delay);
      return "retrying";
    }
    await moveOn(app, registry, def, job, { error: `${step.name}: ${message}` });
    return "failed";
  }
}

/**
 * Moves the instance on from a finished step, guarded by its position (status and step), so only one
 * of two racing runs moves it and queues the next try. Forward success: the next step, or completed.
 * Forward failure: compensate the steps before it, newest first. Compensation done: one further back,
 * or compensated. Compensation failed for good: failed, for a person to look at.
 */
async function moveOn(
  app: AppContext,
  registry: SagaRegistry,
  def: SagaDefinition<unknown>,
  job: SagaStepJob,
  result: { output?: Record<string, unknown>; error?: string },
): Promise<void> {
  const db = app.db.messaging;
  const at = { id: job.instanceId, status: job.phase === "forward" ? "running" : "compensating", currentStep: job.index };
  const now = new Date();
  let next: SagaStepJob | undefined;
  let data: Parameters<typeof db.sagaInstance.updateMany>[0]["data"];
  if (job.phase === "compensate" && result.error) {
    data = { status: "failed", error: `compensation ${result.error}`, finishedAt: now };
  } else if (job.phase === "forward" && !result.error) {
    const instance = await db.sagaInstance.findUniqueOrThrow({ where: { id: job.instanceId } });
    const merged = { ...(instance.data as object), ...(result.output ?? {}) } as object;
    const last = job.index + 1 >= def.steps.length;
    data = last ? { status: "completed", data: merged, finishedAt: now } : { currentStep: job.index + 1, data: merged };
    if (!last) next = { instanceId: job.instanceId, index: job.index + 1, phase: "forward", attempt: 1 };
  } else {
    const back = job.index - 1;
    const error = result.error ? { error: result.error } : {};
    data = back < 0 ? { status: "compensated", currentStep: -1, finishedAt: now, ...error } : { status: "compensating", currentStep: back, ...error };
    if (back >= 0) next = { instanceId: job.instanceId, index: back, phase: "compensate", attempt: 1 };
  }
  const moved = await db.sagaInstance.updateMany({ where: at, data });
  if (moved.count === 1 && next) await registry.enqueue(app.queues, next, 0);
}
