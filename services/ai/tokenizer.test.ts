import { describe, expect, it } from "vitest";
import { countTokens, tokenize, truncateTokens } from "./tokenizer";

describe("the tokenizer", () => {
  it("splits like a BPE pre-tokenizer and gives the text back when joined", () => {
    const text = "The service's p99 latency rose to 1200 ms (see https://grafana.internal/d/abc).\n\n  Next:  fix it!";
    const tokens = tokenize(text);
    expect(tokens.join("")).toBe(text);
    expect(tokens.slice(0, 6)).toEqual(["The", " service", "'s", " p", "99", " latency"]);
  });

  it("splits long words into parts of about four characters", () => {
    expect(tokenize(" internationalization")).toEqual([" inte", "rnat", "iona", "liza", "tion"]);
    expect(countTokens("a")).toBe(1);
    expect(countTokens("")).toBe(0);
  });

  it("counts about one token per four characters of English prose", () => {
    const prose = "On Tuesday the checkout service was degraded for forty minutes because a configuration change removed the connection pool limit. Customers in Europe saw errors when paying.";
    const ratio = prose.length / countTokens(prose);
    expect(ratio).toBeGreaterThan(3.5);
    expect(ratio).toBeLessThan(6);
  });

  it("is deterministic and handles any Unicode", () => {
    const text = "Déploiement 🚀 réussi — 完成了";
    expect(tokenize(text)).toEqual(tokenize(text));
    expect(tokenize(text).join("")).toBe(text);
  });

  it("truncates to whole tokens", () => {
    expect(truncateTokens("one two three four", 2)).toEqual({ text: "one two", truncated: true });
    expect(truncateTokens("one two", 5)).toEqual({ text: "one two", truncated: false });
  });
});
