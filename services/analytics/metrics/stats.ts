import { DomainError } from "@/server/errors";
import { USAGE_METRICS, type UsageMetric } from "./fold";

/** Pure helpers shared by /metrics and usage reports: day ranges and the arithmetic of prompt statistics. */

const DAY_MS = 86_400_000;

/** The longest range /metrics and reports cover, in days. */
export const MAX_RANGE_DAYS = 366;

/** `day` (YYYY-MM-DD) plus `n` days. */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Every day from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

/**
 * A range of UTC days from optional bounds: `to` defaults to today, `from` to `defaultDays - 1` days
 * before `to`. Refuses a reversed range or one longer than MAX_RANGE_DAYS.
 */
export function resolveRange(input: { from?: string; to?: string }, now: Date, defaultDays = 30): { from: string; to: string } {
  const to = input.to ?? now.toISOString().slice(0, 10);
  const from = input.from ?? addDays(to, -(defaultDays - 1));
  if (from > to) throw new DomainError("BAD_REQUEST", `the range starts (${from}) after it ends (${to})`);
  const days = (Date.parse(to) - Date.parse(from)) / DAY_MS + 1;
  if (days > MAX_RANGE_DAYS) throw new DomainError("BAD_REQUEST", `the range covers ${days} days; at most ${MAX_RANGE_DAYS}`);
  return { from, to };
}

export type UsageCounts = Record<UsageMetric, number>;

/** All usage counters at zero. */
export function emptyUsage(): UsageCounts {
  return Object.fromEntries(USAGE_METRICS.map((m) => [m, 0])) as UsageCounts;
}

/** Sums of prompt runs as stored (per day, model, outcome, ...). */
export type PromptSums = {
  runs: number;
  failed: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  latencyMsSum: number;
  latencyMsMax: number;
};

export function emptySums(): PromptSums {
  return { runs: 0, failed: 0, promptTokens: 0, completionTokens: 0, costUsd: 0, latencyMsSum: 0, latencyMsMax: 0 };
}

/** Adds `b` into `a` (a run that did not succeed — error or timeout — is a failed run). */
export function addSums(a: PromptSums, b: PromptSums): PromptSums {
  a.runs += b.runs;
  a.failed += b.failed;
  a.promptTokens += b.promptTokens;
  a.completionTokens += b.completionTokens;
  a.costUsd += b.costUsd;
  a.latencyMsSum += b.latencyMsSum;
  a.latencyMsMax = Math.max(a.latencyMsMax, b.latencyMsMax);
  return a;
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/** What /metrics shows of prompt runs: counts, tokens, cost, mean and worst latency, failure rate. */
export function promptStats(s: PromptSums) {
  return {
    runs: s.runs,
    succeeded: s.runs - s.failed,
    failed: s.failed,
    failureRate: s.runs ? round(s.failed / s.runs, 4) : 0,
    promptTokens: s.promptTokens,
    completionTokens: s.completionTokens,
    costUsd: round(s.costUsd, 6),
    avgLatencyMs: s.runs ? round(s.latencyMsSum / s.runs, 1) : 0,
    maxLatencyMs: s.latencyMsMax,
  };
}
export type PromptStats = ReturnType<typeof promptStats>;
