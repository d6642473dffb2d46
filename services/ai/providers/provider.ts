/**
 * The provider seam: whatever writes text for a prompt. The ai service records every call (tokens,
 * latency, cost, outcome) whichever provider answers.
 */
export type GenerateRequest = { prompt: string; maxTokens: number };
export type GenerateResult = { text: string; promptTokens: number; completionTokens: number; model: string };

export type AiProvider = {
  /** `local` or `openai`: recorded with each run. */
  name: string;
  /** The model asked for (the answer may name the exact one used). */
  model: string;
  generate(req: GenerateRequest): Promise<GenerateResult>;
};

export type ProviderErrorCode = "timeout" | "unauthorized" | "rate_limited" | "bad_request" | "not_found" | "upstream_error" | "network_error" | "bad_response";

/** A provider call that did not produce text; `code` says why (a run's errorCode). */
export class ProviderError extends Error {
  constructor(
    readonly code: ProviderErrorCode,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "ProviderError";
  }
}
