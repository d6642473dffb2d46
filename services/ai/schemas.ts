import { z } from "zod";

/** The shapes the ai service reads and returns — shared by tRPC, REST and its OpenAPI document. */

const VariableName = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, "a letter, then letters, digits or _").max(64);

export const AnalyzeVariable = z
  .object({
    name: VariableName,
    type: z.string().max(40).optional(),
    required: z.boolean().optional(),
    description: z.string().max(500).optional(),
  })
  .meta({ id: "AnalyzeVariable", description: "A declared variable (extra properties, such as a template variable's default, are ignored)" });

export const AnalyzeInput = z.object({
  body: z.string().min(1).max(100_000),
  variables: z.array(AnalyzeVariable).max(100).optional().describe("The template's declared variables; without them, placeholders are listed but not judged"),
  templateId: z.string().uuid().optional().describe("The template analyzed; its declared variables are used when none are given"),
});

export const Severity = z.enum(["error", "warning", "info"]).meta({ id: "ProblemSeverity" });

export const Analysis = z
  .object({
    variables: z.array(z.object({ name: z.string(), declared: z.boolean(), used: z.boolean() })),
    structure: z.object({
      headings: z.array(z.object({ level: z.number().int().min(1).max(6), text: z.string() })),
      sections: z.number().int(),
      words: z.number().int(),
      modules: z.array(z.string()),
    }),
    problems: z.array(z.object({ code: z.string(), severity: Severity, message: z.string(), line: z.number().int().optional() })),
    qualityScore: z.number().int().min(0).max(100),
  })
  .meta({ id: "TemplateAnalysis" });

export const GenerateInput = z
  .object({
    templateId: z.string().uuid().optional().describe("Fill this template (its current version); or give body and variables"),
    body: z.string().min(1).max(100_000).optional(),
    variables: z.array(AnalyzeVariable).max(100).optional(),
    inputs: z.record(z.string().max(64), z.string().max(20_000)).default({}),
    projectId: z.string().uuid().optional(),
    maxTokens: z.number().int().min(1).max(32_768).optional().describe("Cap on the generated text (default AI_MAX_TOKENS)"),
  })
  .refine((i) => (i.templateId === undefined) !== (i.body === undefined), { message: "give either templateId or body", path: ["templateId"] });

export const RunOutcome = z.enum(["success", "error", "timeout"]).meta({ id: "RunOutcome" });

export const PromptRunView = z
  .object({
    id: z.string().uuid(),
    purpose: z.string(),
    provider: z.string(),
    model: z.string(),
    templateId: z.string().uuid().nullable(),
    templateVersion: z.number().int().nullable(),
    projectId: z.string().uuid().nullable(),
    promptTokens: z.number().int(),
    completionTokens: z.number().int(),
    latencyMs: z.number().int(),
    costUsd: z.number(),
    outcome: RunOutcome,
    errorCode: z.string().nullable(),
    errorMessage: z.string().nullable(),
    correlationId: z.string().nullable(),
    requestedBy: z.string(),
    createdAt: z.date(),
  })
  .meta({ id: "PromptRun" });

export const GenerateOutput = z
  .object({
    run: PromptRunView,
    text: z.string().nullable().describe("The generated text; null when the provider failed (see run.outcome and run.errorMessage)"),
    missingInputs: z.array(z.string()).describe("Variables without an input or default, left to the provider"),
  })
  .meta({ id: "Generation" });

export const ListRunsInput = z.object({
  projectId: z.string().uuid().optional(),
  templateId: z.string().uuid().optional(),
  outcome: RunOutcome.optional(),
  limit: z.number().int().min(1).max(100).default(25),
  cursor: z.string().uuid().optional().describe("nextCursor of the previous page"),
});

export const RunPage = z.object({ items: z.array(PromptRunView), nextCursor: z.string().nullable() }).meta({ id: "PromptRunPage" });

export const RagQueryInput = z.object({
  question: z.string().trim().min(1).max(1000),
  limit: z.number().int().min(1).max(20).default(5),
});

export const Citation = z
  .object({
    n: z.number().int().min(1).describe("The [n] the answer uses for this passage"),
    sourceType: z.enum(["template", "asset"]),
    sourceId: z.string().uuid(),
    title: z.string(),
    passage: z.string(),
    score: z.number().min(0).max(1),
  })
  .meta({ id: "Citation" });

export const RagAnswer = z
  .object({
    question: z.string(),
    answer: z.string().describe("Sentences taken from the cited passages, each followed by its [n]"),
    citations: z.array(Citation),
  })
  .meta({ id: "RagAnswer" });

export const ProjectStarterView = z
  .object({
    projectId: z.string().uuid(),
    templateId: z.string().uuid(),
    templateVersion: z.number().int(),
    runId: z.string().uuid(),
    outcome: RunOutcome,
    content: z.string().nullable(),
    correlationId: z.string().nullable(),
    createdAt: z.date(),
  })
  .meta({ id: "ProjectStarter" });
