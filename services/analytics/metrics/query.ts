import type { z } from "zod";
import { DomainError } from "@/server/errors";
import type { SqlTx } from "@/server/messaging/registry";
import type { MetricsInput } from "../schemas";
import { USAGE_METRICS, type UsageMetric } from "./fold";
import { readAiErrors, readPromptRuns, readSubjects, readUsage, readUsageBySubject } from "./read";
import { addSums, daysBetween, emptySums, emptyUsage, type PromptSums, promptStats, resolveRange, type UsageCounts } from "./stats";

const isUsageMetric = (m: string): m is UsageMetric => (USAGE_METRICS as readonly string[]).includes(m);

/** Usage per subject, largest total first, the first `top`. */
function topSubjects(rows: { subjectId: string; metric: string; count: number }[], top: number) {
  const by = new Map<string, UsageCounts>();
  for (const r of rows) {
    if (!isUsageMetric(r.metric)) continue;
    const u = by.get(r.subjectId) ?? emptyUsage();
    u[r.metric] += r.count;
    by.set(r.subjectId, u);
  }
  return [...by.entries()]
    .map(([id, usage]) => ({ id, usage, total: Object.values(usage).reduce((a, b) => a + b, 0) }))
    .sort((a, b) => b.total - a.total || a.id.localeCompare(b.id))
    .slice(0, top);
}

/**
 * Product metrics for a range of UTC days (/metrics): totals and a zero-filled daily series of usage,
 * prompt runs and AI errors, and breakdowns by template, project and model. Filters narrow what they
 * can: templateId/projectId narrow usage and prompt runs (and the breakdowns); model narrows prompt
 * runs and AI errors. AI errors name only a model, so templateId/projectId leave them as they are.
 */
export async function getMetrics(db: SqlTx, input: z.output<typeof MetricsInput>, now = new Date()) {
  if (input.templateId && input.projectId) throw new DomainError("BAD_REQUEST", "narrow by templateId or by projectId, not both");
  const range = resolveRange(input, now);
  const subject = input.templateId
    ? { type: "template", id: input.templateId }
    : input.projectId
      ? { type: "project", id: input.projectId }
      : { type: "all", id: "" };
  const [usage, prompts, errors, templateUsage, projectUsage] = await Promise.all([
    readUsage(db, range, subject),
    readPromptRuns(db, range, input),
    readAiErrors(db, range, input),
    input.projectId ? Promise.resolve([]) : readUsageBySubject(db, range, "template", { subjectId: input.templateId }),
    readUsageBySubject(db, range, "project", { subjectId: input.projectId, templateId: input.templateId }),
  ]);

  const days = daysBetween(range.from, range.to);
  const daily = new Map(days.map((day) => [day, { usage: emptyUsage(), sums: emptySums(), aiErrors: 0 }]));
  for (const u of usage) if (isUsageMetric(u.metric)) daily.get(u.day)!.usage[u.metric] += u.count;
  for (const p of prompts) addSums(daily.get(p.day)!.sums, p.sums);
  for (const e of errors) daily.get(e.day)!.aiErrors += e.count;

  const totals = { usage: emptyUsage(), sums: emptySums(), aiErrors: 0 };
  for (const d of daily.values()) {
    for (const m of USAGE_METRICS) totals.usage[m] += d.usage[m];
    addSums(totals.sums, d.sums);
    totals.aiErrors += d.aiErrors;
  }

  const models = new Map<string, { sums: PromptSums; aiErrors: number; codes: Map<string, number> }>();
  const model = (name: string) => models.get(name) ?? models.set(name, { sums: emptySums(), aiErrors: 0, codes: new Map() }).get(name)!;
  for (const p of prompts) addSums(model(p.model).sums, p.sums);
  for (const e of errors) {
    const m = model(e.model);
    m.aiErrors += e.count;
    m.codes.set(e.errorCode, (m.codes.get(e.errorCode) ?? 0) + e.count);
  }

  const templates = topSubjects(templateUsage, input.top);
  const projects = topSubjects(projectUsage, input.top);
  const labels = await readSubjects(db, [...templates.map((t) => ({ type: "template", id: t.id })), ...projects.map((p) => ({ type: "project", id: p.id }))]);

  return {
    from: range.from,
    to: range.to,
    filters: { templateId: input.templateId ?? null, projectId: input.projectId ?? null, model: input.model ?? null },
    totals: { usage: totals.usage, prompts: promptStats(totals.sums), aiErrors: totals.aiErrors },
    daily: [...daily.entries()].map(([day, d]) => ({ day, usage: d.usage, prompts: promptStats(d.sums), aiErrors: d.aiErrors })),
    byTemplate: templates.map((t) => {
      const l = labels.get(`template|${t.id}`);
      return { templateId: t.id, name: l?.name ?? null, status: l?.status ?? null, total: t.total, usage: t.usage };
    }),
    byProject: projects.map((p) => {
      const l = labels.get(`project|${p.id}`);
      return { projectId: p.id, name: l?.name ?? null, templateId: l?.templateId ?? null, status: l?.status ?? null, members: l?.members ?? null, total: p.total, usage: p.usage };
    }),
    byModel: [...models.entries()]
      .map(([name, m]) => ({
        model: name,
        prompts: promptStats(m.sums),
        aiErrors: m.aiErrors,
        errorsByCode: [...m.codes.entries()].map(([errorCode, count]) => ({ errorCode, count })).sort((a, b) => b.count - a.count || a.errorCode.localeCompare(b.errorCode)),
      }))
      .sort((a, b) => b.prompts.runs + b.aiErrors - (a.prompts.runs + a.aiErrors) || a.model.localeCompare(b.model))
      .slice(0, input.top),
  };
}
