import { z } from "zod";
import { defineEvent } from "@/server/messaging/events";

/** Events the ai service emits. */
export const aiEvents = {
  PromptRunRecorded: defineEvent(
    "ai",
    "PromptRunRecorded",
    z.object({
      runId: z.string().uuid(),
      templateId: z.string().uuid().optional(),
      projectId: z.string().uuid().optional(),
      model: z.string().min(1),
      promptTokens: z.number().int().min(0),
      completionTokens: z.number().int().min(0),
      latencyMs: z.number().min(0),
      costUsd: z.number().min(0),
      outcome: z.enum(["success", "error", "timeout"]),
      provider: z.string().min(1).optional().describe("local or openai (added later: optional)"),
      purpose: z.string().min(1).optional().describe("generate or project-starter (added later: optional)"),
    }),
    "A prompt run finished: model, tokens, latency, cost and outcome.",
  ),
  AIErrorsOccurred: defineEvent(
    "ai",
    "AIErrorsOccurred",
    z.object({
      runId: z.string().uuid().optional(),
      model: z.string().min(1),
      errorCode: z.string().min(1),
      message: z.string().max(2000),
      provider: z.string().min(1).optional().describe("local or openai (added later: optional)"),
      templateId: z.string().uuid().optional().describe("The template of the failed run (added later: optional)"),
      projectId: z.string().uuid().optional().describe("The project of the failed run (added later: optional)"),
    }),
    "A provider call failed.",
  ),
};
