import type { AiConfig } from "@/server/config";
import { localProvider } from "./local";
import { openAiProvider } from "./openai";
import type { AiProvider } from "./provider";

/** The configured provider (AI_PROVIDER): the local one by default, or an OpenAI-compatible API. */
export function providerFor(config: AiConfig): AiProvider {
  return config.provider === "openai"
    ? openAiProvider({ baseUrl: config.baseUrl, apiKey: config.apiKey, model: config.model, timeoutMs: config.timeoutMs })
    : localProvider(config.model);
}

/** What a run cost: tokens / 1000 × the configured prices, in USD, to the micro-dollar. */
export function costOf(config: AiConfig, promptTokens: number, completionTokens: number): number {
  const usd = (promptTokens / 1000) * config.pricePer1kPromptUsd + (completionTokens / 1000) * config.pricePer1kCompletionUsd;
  return Math.round(usd * 1e6) / 1e6;
}
