import { describe, expect, it } from "vitest";
import { DomainError } from "@/server/errors";
import { addDays, daysBetween, promptStats, resolveRange } from "./stats";

describe("day ranges", () => {
  const now = new Date("2026-11-24T15:00:00Z");

  it("default to the last 30 days up to today (UTC), both ends included", () => {
    expect(resolveRange({}, now)).toEqual({ from: "2026-10-26", to: "2026-11-24" });
    expect(daysBetween("2026-10-26", "2026-11-24")).toHaveLength(30);
    expect(resolveRange({ to: "2026-03-01" }, now)).toEqual({ from: "2026-01-31", to: "2026-03-01" });
  });

  it("step over month ends and leap days", () => {
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
    expect(daysBetween("2026-12-30", "2027-01-02")).toEqual(["2026-12-30", "2026-12-31", "2027-01-01", "2027-01-02"]);
  });

  it("refuse a reversed range and one longer than a year", () => {
    expect(() => resolveRange({ from: "2026-11-25", to: "2026-11-24" }, now)).toThrow(DomainError);
    expect(() => resolveRange({ from: "2024-01-01", to: "2026-11-24" }, now)).toThrow(/at most 366/);
    expect(resolveRange({ from: "2025-11-24", to: "2026-11-24" }, now).from).toBe("2025-11-24");
  });
});

describe("prompt statistics", () => {
  it("derive means, rates and successes from the stored sums", () => {
    expect(promptStats({ runs: 3, failed: 1, promptTokens: 30, completionTokens: 12, costUsd: 0.30000000000000004, latencyMsSum: 1000, latencyMsMax: 700 })).toEqual({
      runs: 3,
      succeeded: 2,
      failed: 1,
      failureRate: 0.3333,
      promptTokens: 30,
      completionTokens: 12,
      costUsd: 0.3,
      avgLatencyMs: 333.3,
      maxLatencyMs: 700,
    });
  });

  it("are all zero without runs", () => {
    expect(promptStats({ runs: 0, failed: 0, promptTokens: 0, completionTokens: 0, costUsd: 0, latencyMsSum: 0, latencyMsMax: 0 })).toMatchObject({ failureRate: 0, avgLatencyMs: 0 });
  });
});
