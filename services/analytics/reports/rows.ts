import { USAGE_METRICS, type UsageMetric } from "../metrics/fold";
import { addSums, emptySums, type PromptSums, promptStats } from "../metrics/stats";

/** The numbers of one report row, in column order: usage counters, then prompt runs and errors. */
export const REPORT_METRICS = [...USAGE_METRICS, "promptRuns", "failedRuns", "promptTokens", "completionTokens", "costUsd", "avgLatencyMs", "aiErrors"] as const;
export type ReportMetric = (typeof REPORT_METRICS)[number];

export const REPORT_SCOPES = ["all", "template", "project", "model"] as const;
export type ReportScope = (typeof REPORT_SCOPES)[number];

export type ReportRow = { day: string; scope: ReportScope; subjectId: string; subjectName: string; metrics: Record<ReportMetric, number> };

export type ReportInputs = {
  /** Every day of the report: the "all" scope has a row for each, even a quiet one. */
  days: string[];
  usage: { day: string; subjectType: string; subjectId: string; metric: string; count: number }[];
  /** Prompt-run sums per day, model, template ("" for none) and project ("" for none). */
  prompts: { day: string; model: string; templateId: string; projectId: string; sums: PromptSums }[];
  aiErrors: { day: string; model: string; count: number }[];
  /** Names of templates and projects, by `template|<id>` / `project|<id>`. */
  names: Map<string, string>;
};

const emptyMetrics = () => Object.fromEntries(REPORT_METRICS.map((m) => [m, 0])) as Record<ReportMetric, number>;

/**
 * A usage report's rows: per day, one "all" row and one per template, project and model that did
 * something. Pure; sorted by day, scope (all, template, project, model), then name and id.
 */
export function buildReportRows(inputs: ReportInputs): ReportRow[] {
  const rows = new Map<string, ReportRow & { sums: PromptSums }>();
  const usageMetrics = new Set<string>(USAGE_METRICS);
  const row = (day: string, scope: ReportScope, subjectId: string) => {
    const key = `${day}|${scope}|${subjectId}`;
    let r = rows.get(key);
    if (!r) {
      const subjectName = scope === "all" ? "all" : scope === "model" ? subjectId : (inputs.names.get(`${scope}|${subjectId}`) ?? "");
      r = { day, scope, subjectId, subjectName, metrics: emptyMetrics(), sums: emptySums() };
      rows.set(key, r);
    }
    return r;
  };
  for (const day of inputs.days) row(day, "all", "");
  for (const u of inputs.usage) {
    if (!usageMetrics.has(u.metric)) continue;
    const scope = u.subjectType === "all" ? "all" : u.subjectType === "template" ? "template" : u.subjectType === "project" ? "project" : undefined;
    if (!scope) continue;
    row(u.day, scope, scope === "all" ? "" : u.subjectId).metrics[u.metric as UsageMetric] += u.count;
  }
  for (const p of inputs.prompts) {
    addSums(row(p.day, "all", "").sums, p.sums);
    addSums(row(p.day, "model", p.model).sums, p.sums);
    if (p.templateId) addSums(row(p.day, "template", p.templateId).sums, p.sums);
    if (p.projectId) addSums(row(p.day, "project", p.projectId).sums, p.sums);
  }
  for (const e of inputs.aiErrors) {
    row(e.day, "all", "").metrics.aiErrors += e.count;
    row(e.day, "model", e.model).metrics.aiErrors += e.count;
  }
  const order = (s: ReportScope) => REPORT_SCOPES.indexOf(s);
  return [...rows.values()]
    .map(({ sums, ...r }) => {
      const s = promptStats(sums);
      Object.assign(r.metrics, {
        promptRuns: s.runs,
        failedRuns: s.failed,
        promptTokens: s.promptTokens,
        completionTokens: s.completionTokens,
        costUsd: s.costUsd,
        avgLatencyMs: s.avgLatencyMs,
      });
      return r;
    })
    .sort(
      (a, b) =>
        a.day.localeCompare(b.day) ||
        order(a.scope) - order(b.scope) ||
        a.subjectName.localeCompare(b.subjectName) ||
        a.subjectId.localeCompare(b.subjectId),
    );
}
