import type { SqlTx } from "@/server/messaging/registry";
import type { PromptSums } from "./stats";

/** Reads of the metrics read models, shared by /metrics and usage reports. Days travel as YYYY-MM-DD text. */

type Filters = { templateId?: string; projectId?: string; model?: string };

/** `WHERE` fragments and their parameters, numbered after `offset` existing ones. */
function where(conds: [string, unknown][], offset: number): { sql: string; params: unknown[] } {
  const used = conds.filter(([, v]) => v !== undefined);
  return { sql: used.map(([c], i) => ` AND ${c.replace("?", `$${offset + i + 1}`)}`).join(""), params: used.map(([, v]) => v) };
}

export type UsageRow = { day: string; subjectType: string; subjectId: string; metric: string; count: number };

/** Usage counters per day, subject and metric: of one subject, every subject of a type, or everything. */
export async function readUsage(db: SqlTx, range: { from: string; to: string }, subject: { type?: string; id?: string } = {}): Promise<UsageRow[]> {
  const w = where(
    [
      ["subject_type = ?", subject.type],
      ["subject_id = ?", subject.id],
    ],
    2,
  );
  return db.$queryRawUnsafe<UsageRow[]>(
    `SELECT to_char(day, 'YYYY-MM-DD') AS "day", subject_type AS "subjectType", subject_id AS "subjectId", metric, sum(count)::int AS "count"
       FROM analytics.usage_daily
      WHERE day BETWEEN $1::date AND $2::date${w.sql}
      GROUP BY day, subject_type, subject_id, metric`,
    range.from,
    range.to,
    ...w.params,
  );
}

/** Usage counters per subject and metric over a range, for a breakdown (subjects of one type). */
export async function readUsageBySubject(
  db: SqlTx,
  range: { from: string; to: string },
  type: "template" | "project",
  filters: { subjectId?: string; templateId?: string },
): Promise<{ subjectId: string; metric: string; count: number }[]> {
  const w = where(
    [
      ["u.subject_id = ?", filters.subjectId],
      [
        "EXISTS (SELECT 1 FROM analytics.subjects s WHERE s.subject_type = 'project' AND s.subject_id = u.subject_id AND s.template_id = ?)",
        type === "project" ? filters.templateId : undefined,
      ],
    ],
    3,
  );
  return db.$queryRawUnsafe(
    `SELECT u.subject_id AS "subjectId", u.metric, sum(u.count)::int AS "count"
       FROM analytics.usage_daily u
      WHERE u.subject_type = $1 AND u.day BETWEEN $2::date AND $3::date${w.sql}
      GROUP BY u.subject_id, u.metric`,
    type,
    range.from,
    range.to,
    ...w.params,
  );
}

export type PromptRow = { day: string; model: string; templateId: string; projectId: string; sums: PromptSums };

/** Prompt-run sums per day, model, template and project (outcomes folded into `failed`). */
export async function readPromptRuns(db: SqlTx, range: { from: string; to: string }, f: Filters = {}): Promise<PromptRow[]> {
  const w = where(
    [
      ["template_id = ?", f.templateId],
      ["project_id = ?", f.projectId],
      ["model = ?", f.model],
    ],
    2,
  );
  const rows = await db.$queryRawUnsafe<(Omit<PromptRow, "sums"> & PromptSums)[]>(
    `SELECT to_char(day, 'YYYY-MM-DD') AS "day", model, template_id AS "templateId", project_id AS "projectId",
            sum(runs)::int AS "runs",
            coalesce(sum(runs) FILTER (WHERE outcome <> 'success'), 0)::int AS "failed",
            sum(prompt_tokens)::float8 AS "promptTokens",
            sum(completion_tokens)::float8 AS "completionTokens",
            sum(cost_usd)::float8 AS "costUsd",
            sum(latency_ms_sum)::float8 AS "latencyMsSum",
            max(latency_ms_max)::float8 AS "latencyMsMax"
       FROM analytics.prompt_runs_daily
      WHERE day BETWEEN $1::date AND $2::date${w.sql}
      GROUP BY day, model, template_id, project_id`,
    range.from,
    range.to,
    ...w.params,
  );
  return rows.map(({ day, model, templateId, projectId, ...sums }) => ({ day, model, templateId, projectId, sums }));
}

export type AiErrorRow = { day: string; model: string; errorCode: string; count: number };

/** AI errors per day, model and error code. */
export async function readAiErrors(db: SqlTx, range: { from: string; to: string }, f: { model?: string } = {}): Promise<AiErrorRow[]> {
  const w = where([["model = ?", f.model]], 2);
  return db.$queryRawUnsafe<AiErrorRow[]>(
    `SELECT to_char(day, 'YYYY-MM-DD') AS "day", model, error_code AS "errorCode", sum(count)::int AS "count"
       FROM analytics.ai_errors_daily
      WHERE day BETWEEN $1::date AND $2::date${w.sql}
      GROUP BY day, model, error_code`,
    range.from,
    range.to,
    ...w.params,
  );
}

export type SubjectLabel = { subjectType: string; subjectId: string; name: string | null; status: string | null; templateId: string | null; members: number | null };

/** Names and states of templates and projects, by `<type>|<id>`. */
export async function readSubjects(db: SqlTx, keys: { type: string; id: string }[]): Promise<Map<string, SubjectLabel>> {
  if (keys.length === 0) return new Map();
  const rows = await db.$queryRawUnsafe<SubjectLabel[]>(
    `SELECT subject_type AS "subjectType", subject_id AS "subjectId", name, status, template_id AS "templateId", members
       FROM analytics.subjects s JOIN unnest($1::text[], $2::text[]) AS k(t, i) ON s.subject_type = k.t AND s.subject_id = k.i`,
    keys.map((k) => k.type),
    keys.map((k) => k.id),
  );
  return new Map(rows.map((r) => [`${r.subjectType}|${r.subjectId}`, r]));
}
