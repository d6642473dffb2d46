import { z } from "zod";
import { countTokens } from "../tokenizer";
import { type AiProvider, ProviderError, type ProviderErrorCode } from "./provider";

export type OpenAiSettings = { baseUrl: string; apiKey: string | undefined; model: string; timeoutMs: number };

const SYSTEM = "You write clear, well-structured engineering documents in Markdown. Follow the user's instructions exactly.";

const Completion = z.object({
  model: z.string().optional(),
  choices: z.array(z.object({ message: z.object({ content: z.string().nullable() }) })).min(1),
  usage: z.object({ prompt_tokens: z.number().int().min(0), completion_tokens: z.number().int().min(0) }).partial().optional(),
});

function codeForStatus(status: number): ProviderErrorCode {
  if (status === 401 || status === 403) return "unauthorized";
  if (status === 404) return "not_found";
  if (status === 408 || status === 504) return "timeout";
  if (status === 429) return "rate_limited";
  if (status >= 500) return "upstream_error";
  return "bad_request";
}

/** The API's own explanation of an error, when it gave one (`{ error: { message } }`), shortened. */
function reasonOf(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } | string };
    const m = typeof body.error === "string" ? body.error : body.error?.message;
    if (typeof m === "string" && m) return m.slice(0, 500);
  } catch {
    // not JSON: the text itself
  }
  return text.slice(0, 200) || "no details";
}

/**
 * A provider for any OpenAI-compatible chat completions API: POST {baseUrl}/chat/completions with the
 * model and messages, a Bearer key, and a deadline of `timeoutMs` for the whole exchange (headers and
 * body). HTTP errors, timeouts, network failures and malformed answers become ProviderErrors.
 */
export function openAiProvider(settings: OpenAiSettings): AiProvider {
  return {
    name: "openai",
    model: settings.model,
    async generate({ prompt, maxTokens }) {
      const signal = AbortSignal.timeout(settings.timeoutMs);
      let status = 0;
      let text: string;
      try {
        const res = await fetch(`${settings.baseUrl}/chat/completions`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            accept: "application/json",
            ...(settings.apiKey ? { authorization: `Bearer ${settings.apiKey}` } : {}),
          },
          body: JSON.stringify({
            model: settings.model,
            messages: [
              { role: "system", content: SYSTEM },
              { role: "user", content: prompt },
            ],
            max_tokens: maxTokens,
            temperature: 0,
          }),
          signal,
        });
        status = res.status;
        text = await res.text();
      } catch (err) {
        if (signal.aborted) throw new ProviderError("timeout", `no answer from ${settings.baseUrl} within ${settings.timeoutMs} ms`);
        throw new ProviderError("network_error", `could not reach ${settings.baseUrl}: ${(err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message}`);
      }
      if (status < 200 || status > 299) throw new ProviderError(codeForStatus(status), `the provider answered ${status}: ${reasonOf(text)}`, status);
      let parsed: z.infer<typeof Completion>;
      try {
        parsed = Completion.parse(JSON.parse(text));
      } catch {
        throw new ProviderError("bad_response", "the provider's answer is not a chat completion", status);
      }
      const content = parsed.choices[0]!.message.content ?? "";
      return {
        text: content,
        // Counted here when the API does not say (some compatible servers leave usage out).
        promptTokens: parsed.usage?.prompt_tokens ?? countTokens(SYSTEM) + countTokens(prompt),
        completionTokens: parsed.usage?.completion_tokens ?? countTokens(content),
        model: parsed.model ?? settings.model,
      };
    },
  };
}
