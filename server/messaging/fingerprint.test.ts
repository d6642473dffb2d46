import { describe, expect, it } from "vitest";
import { errorFingerprint, normalizeErrorMessage } from "./fingerprint";

describe("error fingerprints", () => {
  it("group failures that differ only in ids, numbers and quoted values", () => {
    const a = errorFingerprint("analytics.usage", "TypeError", 'template "abc" 3f2a9c1e-0b7d-4e8a-9f00-1234567890ab has 12 variables');
    const b = errorFingerprint("analytics.usage", "TypeError", 'template "xyz" 00000000-0b7d-4e8a-9f00-1234567890ab has 7 variables');
    expect(a).toBe(b);
    expect(normalizeErrorMessage('id 42 for "x"')).toBe("id <n> for <value>");
  });

  it("keep different causes, types and consumers apart", () => {
    const base = errorFingerprint("analytics.usage", "TypeError", "x is undefined");
    expect(errorFingerprint("analytics.usage", "TypeError", "y is undefined")).not.toBe(base);
    expect(errorFingerprint("analytics.usage", "RangeError", "x is undefined")).not.toBe(base);
    expect(errorFingerprint("ai.index", "TypeError", "x is undefined")).not.toBe(base);
  });
});
