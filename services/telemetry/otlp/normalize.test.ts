import { describe, expect, it } from "vitest";
import { cleanText, jsonDouble, jsonString, nanosString, timeWindow } from "./normalize";

describe("JSON text for jsonb", () => {
  it("escapes what JSON needs and replaces NUL, which jsonb refuses", () => {
    expect(jsonString("plain")).toBe('"plain"');
    expect(JSON.parse(jsonString('q"b\\s\n\t\u0001'))).toBe('q"b\\s\n\t\u0001');
    expect(jsonString("a\u0000b")).toBe('"a\uFFFDb"');
  });

  it("writes doubles so that they still read as doubles, and the non-finite ones as strings", () => {
    expect([jsonDouble(2), jsonDouble(0.5), jsonDouble(-0), jsonDouble(1e21), jsonDouble(1e-7)]).toEqual(["2.0", "0.5", "0.0", "1e+21", "1e-7"]);
    expect([jsonDouble(NaN), jsonDouble(Infinity), jsonDouble(-Infinity)]).toEqual(['"NaN"', '"Infinity"', '"-Infinity"']);
  });

  it("writes nanosecond timestamps exactly from their split form", () => {
    expect(nanosString(1_764_000_000_123_456, 789)).toBe("1764000000123456789");
    expect(nanosString(1_764_000_000_123_456, 7)).toBe("1764000000123456007");
    expect(nanosString(0, 12)).toBe("12");
  });
});

describe("text for indexed columns", () => {
  it("is cut to its limit without splitting a surrogate pair", () => {
    expect(cleanText("abc", 2)).toBe("ab");
    expect(cleanText("a😀b", 2)).toBe("a");
    expect(cleanText("x\u0000y", 10)).toBe("x\uFFFDy");
  });
});

describe("the accepted time window", () => {
  it("starts at the first UTC day kept and ends a day after now", () => {
    const now = Date.parse("2031-06-15T12:00:00Z");
    const w = timeWindow(now, 7);
    expect(new Date(w.minUs / 1000).toISOString()).toBe("2031-06-08T00:00:00.000Z");
    expect(new Date(w.maxUs / 1000).toISOString()).toBe("2031-06-16T12:00:00.000Z");
  });
});
