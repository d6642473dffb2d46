import type { z } from "zod";
import type { AppContext } from "../app";
import type { Logger } from "../logger";

/** What a step sees: the saga's input, the data earlier steps returned, and which attempt this is. */
export type StepContext<I> = {
  app: AppContext;
  instanceId: string;
  correlationId: string;
  input: I;
  data: Record<string, unknown>;
  attempt: number;
  log: Logger;
  /** Aborts when the try times out: a step stops its work then (a late effect would outlive the retry). */
  signal: AbortSignal;
  /** Why the saga is compensating (compensations only). */
  reason?: string;
};

/**
 * One step of an orchestrated saga. `run` does the work (through another service's public
 * procedures) and may return data for later steps; `compensate` undoes it when a later step fails.
 * Both must be safe to repeat: a worker that dies mid-step runs it again.
 */
export type SagaStep<I> = {
  name: string;
  /** The service the step acts on (shown on the timeline). */
  service: string;
  run(ctx: StepContext<I>): Promise<Record<string, unknown> | void>;
  compensate?(ctx: StepContext<I>): Promise<void>;
  /** Tries before the step counts as failed (default 3). */
  attempts?: number;
  /** A try running longer fails (default 30 s). */
  timeoutMs?: number;
  /** First retry delay, doubled each time (default 500 ms). */
  backoffMs?: number;
};

export type SagaDefinition<I = unknown> = {
  name: string;
  /** The orchestrating service. */
  service: string;
  input: z.ZodType<I>;
  /** What the saga is about (e.g. the template id), for finding its runs. */
  subject(input: I): string;
  steps: SagaStep<I>[];
};

/** A step's refusal that retrying cannot change (e.g. a quality gate said no): compensate at once. */
export class StepRejected extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StepRejected";
  }
}

export function defineSaga<I>(def: SagaDefinition<I>): SagaDefinition<I> {
  return def;
}
