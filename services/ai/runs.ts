import type { z } from "zod";
import type { AiConfig } from "@/server/config";
import { DomainError } from "@/server/errors";
import type { NewEvent } from "@/server/messaging/envelope";
import type { AiDb } from "./db";
import { aiEvents } from "./events";
import { costOf } from "./providers";
import { type AiProvider, ProviderError } from "./providers/provider";
import type { ListRunsInput } from "./schemas";
import { countTokens } from "./tokenizer";

export type Tx = Parameters<Parameters<AiDb["$transaction"]>[0]>[0];
type Row = NonNullable<Awaited<ReturnType<AiDb["promptRun"]["findUnique"]>>>;
export type Outcome = "success" | "error" | "timeout";

/** What a provider call came to, ready to be recorded. */
export type CallResult = {
  provider: string;
  model: string;
  promptTokens: number;
  completionTokens: number;
  latencyMs: number;
  costUsd: number;
  outcome: Outcome;
  errorCode: string | null;
  errorMessage: string | null;
  text: string | null;
};

/** Why and for whom a run happened. */
export type RunContext = {
  purpose: "generate" | "project-starter";
  templateId?: string;
  templateVersion?: number;
  projectId?: string;
  correlationId?: string;
  requestedBy: string;
};

/** Runs one prompt through the provider and measures it; a provider failure is a result, not a throw. */
export async function callProvider(provider: AiProvider, config: AiConfig, prompt: string, maxTokens: number): Promise<CallResult> {
  const started = performance.now();
  try {
    const r = await provider.generate({ prompt, maxTokens });
    return {
      provider: provider.name,
      model: r.model,
      promptTokens: r.promptTokens,
      completionTokens: r.completionTokens,
      latencyMs: Math.round(performance.now() - started),
      costUsd: costOf(config, r.promptTokens, r.completionTokens),
      outcome: "success",
      errorCode: null,
      errorMessage: null,
      text: r.text,
    };
  } catch (err) {
    const e = err instanceof ProviderError ? err : new ProviderError("upstream_error", (err as Error).message ?? String(err));
    return {
      provider: provider.name,
      model: provider.model,
      // What was sent; nothing was billed for an answer that never came.
      promptTokens: countTokens(prompt),
      completionTokens: 0,
      latencyMs: Math.round(performance.now() - started),
      costUsd: 0,
      outcome: e.code === "timeout" ? "timeout" : "error",
      errorCode: e.code,
      errorMessage: e.message.slice(0, 2000),
      text: null,
    };
  }
}

/** A run as the API shows it. */
export function runView(r: Row) {
  return {
    id: r.id,
    purpose: r.purpose,
    provider: r.provider,
    model: r.model,
    templateId: r.templateId,
    templateVersion: r.templateVersion,
    projectId: r.projectId,
    promptTokens: r.promptTokens,
    completionTokens: r.completionTokens,
    latencyMs: r.latencyMs,
    costUsd: Number(r.costUsd),
    outcome: r.outcome as Outcome,
    errorCode: r.errorCode,
    errorMessage: r.errorMessage,
    correlationId: r.correlationId,
    requestedBy: r.requestedBy,
    createdAt: r.createdAt,
  };
}

/**
 * Writes the run row inside the caller's transaction and returns the events to commit with it:
 * PromptRunRecorded always, AIErrorsOccurred after it when the provider failed.
 */
export async function saveRun(tx: Tx, id: string, call: CallResult, ctx: RunContext): Promise<{ row: Row; events: NewEvent[] }> {
  const row = await tx.promptRun.create({
    data: {
      id,
      purpose: ctx.purpose,
      provider: call.provider,
      model: call.model,
      templateId: ctx.templateId ?? null,
      templateVersion: ctx.templateVersion ?? null,
      projectId: ctx.projectId ?? null,
      promptTokens: call.promptTokens,
      completionTokens: call.completionTokens,
      latencyMs: call.latencyMs,
      costUsd: call.costUsd,
      outcome: call.outcome,
      errorCode: call.errorCode,
      errorMessage: call.errorMessage,
      output: call.text === null ? null : call.text.slice(0, 200_000),
      correlationId: ctx.correlationId ?? null,
      requestedBy: ctx.requestedBy,
    },
  });
  const refs = { ...(ctx.templateId ? { templateId: ctx.templateId } : {}), ...(ctx.projectId ? { projectId: ctx.projectId } : {}) };
  const events: NewEvent[] = [
    {
      eventType: aiEvents.PromptRunRecorded.type,
      aggregateId: id,
      aggregateVersion: 1,
      correlationId: ctx.correlationId,
      payload: aiEvents.PromptRunRecorded.payload.parse({
        runId: id,
        ...refs,
        model: call.model,
        provider: call.provider,
        purpose: ctx.purpose,
        promptTokens: call.promptTokens,
        completionTokens: call.completionTokens,
        latencyMs: call.latencyMs,
        costUsd: call.costUsd,
        outcome: call.outcome,
      }),
    },
  ];
  if (call.outcome !== "success") {
    events.push({
      eventType: aiEvents.AIErrorsOccurred.type,
      aggregateId: id,
      aggregateVersion: 2,
      correlationId: ctx.correlationId,
      payload: aiEvents.AIErrorsOccurred.payload.parse({
        runId: id,
        ...refs,
        model: call.model,
        provider: call.provider,
        errorCode: call.errorCode ?? call.outcome,
        message: call.errorMessage ?? call.outcome,
      }),
    });
  }
  return { row, events };
}

/** Runs, newest first, by project, template or outcome; cursor-paged. */
export async function listRuns(db: AiDb, input: z.output<typeof ListRunsInput>) {
  const rows = await db.promptRun.findMany({
    where: {
      ...(input.projectId ? { projectId: input.projectId } : {}),
      ...(input.templateId ? { templateId: input.templateId } : {}),
      ...(input.outcome ? { outcome: input.outcome } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
    take: input.limit + 1,
  });
  const page = rows.slice(0, input.limit);
  return { items: page.map(runView), nextCursor: rows.length > input.limit ? page[page.length - 1]!.id : null };
}

/** One run. */
export async function getRun(db: AiDb, id: string) {
  const r = await db.promptRun.findUnique({ where: { id } });
  if (!r) throw new DomainError("NOT_FOUND", `no run "${id}"`);
  return runView(r);
}
