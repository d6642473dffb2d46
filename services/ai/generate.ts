import { randomUUID } from "node:crypto";
import type { z } from "zod";
import type { AiConfig } from "@/server/config";
import { DomainError } from "@/server/errors";
import { transactWithEvents } from "@/server/messaging/outbox";
import { analyzeTemplate } from "./analyzer";
import type { AiDb } from "./db";
import { type Lookups, modulesOf, type TemplateVariable } from "./lookups";
import { buildPrompt } from "./prompt";
import type { AiProvider } from "./providers/provider";
import { callProvider, type CallResult, runView, saveRun, type RunContext, type Tx } from "./runs";
import type { AnalyzeInput, GenerateInput } from "./schemas";
import { renderPlaceholders, scanPlaceholders } from "./template-syntax";

/** Analyzes a template body; declared variables come from the template when none are given, modules are looked up. */
export async function analyze(lookups: Lookups, input: z.output<typeof AnalyzeInput>) {
  let variables = input.variables;
  if (!variables && input.templateId) {
    const t = await lookups.template(input.templateId);
    if (!t) throw new DomainError("NOT_FOUND", `no template "${input.templateId}"`);
    variables = t.variables;
  }
  const modules = await modulesOf(lookups, scanPlaceholders(input.body).modules);
  return analyzeTemplate({
    body: input.body,
    variables,
    modules: Object.fromEntries(Object.entries(modules).map(([slug, m]) => [slug, m ? { variables: m.variables } : null])),
  });
}

/** A template made ready for a provider: the prompt, and which variables had nothing to fill them. */
export type PreparedPrompt = { prompt: string; missingRequired: string[]; missingInputs: string[]; values: Record<string, string> };

/**
 * Inserts inputs (and declared defaults) into a body, includes its modules, and builds the prompt.
 * Variables without a value stay as placeholders for the provider to mark as to be decided.
 */
export async function preparePrompt(
  lookups: Lookups,
  source: { title?: string; body: string; variables: TemplateVariable[] },
  inputs: Record<string, string>,
): Promise<PreparedPrompt> {
  const values: Record<string, string> = {};
  for (const v of source.variables) if (v.default !== undefined) values[v.name] = v.default;
  Object.assign(values, inputs);
  const modules = await modulesOf(lookups, scanPlaceholders(source.body).modules);
  const bodies = Object.fromEntries(Object.entries(modules).flatMap(([slug, m]) => (m ? [[slug, m.body]] : [])));
  const draft = renderPlaceholders(source.body, values, bodies);
  const used = new Set([...scanPlaceholders(source.body).variables, ...Object.values(modules).flatMap((m) => m?.variables ?? [])]);
  const declared = new Map(source.variables.map((v) => [v.name, v]));
  const missingInputs = [...new Set([...declared.keys(), ...used])].filter((n) => !Object.hasOwn(values, n) && used.has(n));
  const missingRequired = missingInputs.filter((n) => declared.get(n)?.required !== false && declared.has(n));
  return { prompt: buildPrompt({ title: source.title, draft, inputs: values }), missingRequired, missingInputs, values };
}

export type GenerateDeps = { db: AiDb; config: AiConfig; provider: AiProvider; lookups: Lookups };

/**
 * ai.generate: fills a template (by id, or a body with its variables) from inputs through the
 * provider, and records the run — with PromptRunRecorded, and AIErrorsOccurred when the provider
 * failed — in one transaction. Required variables without an input or default are refused before
 * the provider is called; a provider failure is answered as a recorded run with its outcome.
 */
export async function generate(deps: GenerateDeps, input: z.output<typeof GenerateInput>, actor: string, correlationId?: string) {
  let source: { title?: string; body: string; variables: TemplateVariable[] };
  let template: { id: string; version: number } | undefined;
  if (input.templateId) {
    const t = await deps.lookups.template(input.templateId);
    if (!t) throw new DomainError("NOT_FOUND", `no template "${input.templateId}"`);
    source = t;
    template = { id: t.id, version: t.version };
  } else {
    source = { body: input.body!, variables: input.variables ?? [] };
  }
  const prepared = await preparePrompt(deps.lookups, source, input.inputs);
  if (prepared.missingRequired.length) throw new DomainError("BAD_REQUEST", `missing inputs for required variables: ${prepared.missingRequired.join(", ")}`);
  const call = await callProvider(deps.provider, deps.config, prepared.prompt, input.maxTokens ?? deps.config.maxTokens);
  const run = await recordRun(deps.db, call, {
    purpose: "generate",
    templateId: template?.id,
    templateVersion: template?.version,
    projectId: input.projectId,
    correlationId,
    requestedBy: actor,
  });
  return { run, text: call.text, missingInputs: prepared.missingInputs };
}

/** Records a run and its events in one transaction of the ai service. */
export async function recordRun(db: AiDb, call: CallResult, ctx: RunContext) {
  const { result } = await transactWithEvents(db, "ai", async (tx: Tx, emit) => {
    const { row, events } = await saveRun(tx, randomUUID(), call, ctx);
    emit(...events);
    return runView(row);
  });
  return result;
}
