import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "@/server/config";
import { costOf, providerFor } from "./index";

describe("provider and upload settings", () => {
  it("defaults to the local provider and the documented upload limits", () => {
    const c = parseConfig({ SWITCHYARD_ROOT: "/srv/app" });
    expect(c.ai).toMatchObject({ provider: "local", model: "local-draft-1", timeoutMs: 20_000, maxTokens: 1024, pricePer1kPromptUsd: 0 });
    expect(providerFor(c.ai).name).toBe("local");
    expect(c.assets).toEqual({
      maxBytes: 10 * 1024 * 1024,
      allowedTypes: ["text/plain", "text/markdown", "application/json", "text/csv", "image/png", "image/jpeg", "application/pdf"],
      storageDir: "/srv/app/.data/assets",
      textMaxChars: 200_000,
    });
  });

  it("configures an OpenAI-compatible API, which needs a key", () => {
    const c = parseConfig({ AI_PROVIDER: "openai", AI_BASE_URL: "http://127.0.0.1:8080/v1/", AI_API_KEY: "k", ASSET_ALLOWED_TYPES: "text/plain, IMAGE/PNG" });
    expect(c.ai).toMatchObject({ provider: "openai", baseUrl: "http://127.0.0.1:8080/v1", model: "gpt-4o-mini" });
    expect(providerFor(c.ai)).toMatchObject({ name: "openai", model: "gpt-4o-mini" });
    expect(c.assets.allowedTypes).toEqual(["text/plain", "image/png"]);
    expect(() => parseConfig({ AI_PROVIDER: "openai" })).toThrow(ConfigError);
    expect(() => parseConfig({ AI_TIMEOUT_MS: "60000" })).toThrow(/AI_TIMEOUT_MS/);
  });

  it("prices a run per thousand tokens, to the micro-dollar", () => {
    const c = parseConfig({ AI_PRICE_PROMPT_PER_1K_USD: "0.15", AI_PRICE_COMPLETION_PER_1K_USD: "0.6" });
    expect(costOf(c.ai, 1200, 300)).toBe(0.36);
    expect(costOf(c.ai, 1, 1)).toBe(0.00075);
  });
});
