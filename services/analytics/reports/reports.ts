import type { z } from "zod";
import type { AppContext } from "@/server/app";
import { DomainError } from "@/server/errors";
import { transactWithEvents } from "@/server/messaging/outbox";
import type { SqlTx } from "@/server/messaging/registry";
import { REST_PREFIX } from "@/server/rest/meta";
import { enqueueJob } from "@/workers/jobs";
import type { AnalyticsDb } from "../db";
import { analyticsEvents } from "../events";
import { readAiErrors, readPromptRuns, readSubjects, readUsage } from "../metrics/read";
import { addDays, daysBetween, resolveRange } from "../metrics/stats";
import type { CreateReportInput, GetReportInput, ListReportsInput } from "../schemas";
import { reportCsv } from "./csv";
import { buildReportRows, type ReportMetric, type ReportRow, type ReportScope } from "./rows";

type Tx = Parameters<Parameters<AnalyticsDb["$transaction"]>[0]>[0];
type Row = NonNullable<Awaited<ReturnType<AnalyticsDb["usageReport"]["findUnique"]>>>;

const asDate = (day: string) => new Date(`${day}T00:00:00.000Z`);
const asDay = (d: Date) => d.toISOString().slice(0, 10);

/** Where a report's CSV is downloaded (app/api/v1/reports/[id]/csv/route.ts). */
export const reportCsvPath = (id: string) => `${REST_PREFIX}/reports/${id}/csv`;

function view(r: Row) {
  return {
    id: r.id,
    from: asDay(r.fromDay),
    to: asDay(r.toDay),
    status: r.status as "pending" | "ready" | "failed",
    trigger: r.trigger as "manual" | "schedule",
    requestedBy: r.requestedBy,
    rowCount: r.rowCount,
    error: r.error,
    createdAt: r.createdAt,
    completedAt: r.completedAt,
    csvPath: reportCsvPath(r.id),
  };
}

/**
 * Requests a usage report: stores it as pending and enqueues the `analytics.usage-report` job that
 * computes it in a worker (job id = report id). Answered with 202 and the report's id.
 */
export async function requestReport(app: AppContext, input: z.output<typeof CreateReportInput>, requestedBy: string, correlationId?: string) {
  const range = resolveRange(input, new Date());
  const db = app.db.analytics;
  const r = await db.usageReport.create({
    data: { fromDay: asDate(range.from), toDay: asDate(range.to), trigger: "manual", requestedBy, correlationId: correlationId ?? null },
  });
  try {
    await enqueueJob(app.queues, "analytics.usage-report", { reportId: r.id }, { jobId: r.id });
  } catch (err) {
    await db.usageReport.update({ where: { id: r.id }, data: { status: "failed", error: `the report could not be queued: ${(err as Error).message}` } });
    throw err;
  }
  return view(r);
}

/** Reports, newest first, optionally by status; cursor-paged. */
export async function listReports(db: AnalyticsDb, input: z.output<typeof ListReportsInput>) {
  const rows = await db.usageReport.findMany({
    where: input.status ? { status: input.status } : {},
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: input.limit + 1,
    ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
  });
  const page = rows.slice(0, input.limit);
  return { items: page.map(view), nextCursor: rows.length > input.limit ? page[page.length - 1]!.id : null };
}

async function findReport(db: AnalyticsDb, id: string): Promise<Row> {
  const r = await db.usageReport.findUnique({ where: { id } });
  if (!r) throw new DomainError("NOT_FOUND", `no usage report "${id}"`);
  return r;
}

async function reportRows(db: AnalyticsDb, id: string, page?: { offset: number; limit: number }): Promise<ReportRow[]> {
  const rows = await db.usageReportRow.findMany({
    where: { reportId: id },
    orderBy: { seq: "asc" },
    ...(page ? { skip: page.offset, take: page.limit } : {}),
  });
  return rows.map((r) => ({ day: asDay(r.day), scope: r.scope as ReportScope, subjectId: r.subjectId, subjectName: r.subjectName, metrics: r.metrics as Record<ReportMetric, number> }));
}

/** One report with a page of its rows (a pending report has none yet). */
export async function getReport(db: AnalyticsDb, input: z.output<typeof GetReportInput>) {
  const r = await findReport(db, input.id);
  return { ...view(r), rowOffset: input.rowOffset, rows: await reportRows(db, r.id, { offset: input.rowOffset, limit: input.rowLimit }) };
}

/** A ready report as a CSV file; a pending or failed one is refused (409) with its state. */
export async function getReportCsv(db: AnalyticsDb, id: string) {
  const r = await findReport(db, id);
  if (r.status === "pending") throw new DomainError("CONFLICT", `usage report ${id} is still being computed; try again shortly`);
  if (r.status === "failed") throw new DomainError("CONFLICT", `usage report ${id} failed: ${r.error ?? "unknown error"}`);
  return { fileName: `usage-report_${asDay(r.fromDay)}_${asDay(r.toDay)}_${r.id.slice(0, 8)}.csv`, csv: reportCsv(await reportRows(db, r.id)) };
}

/** Computes the rows of a report for a range of days from the metrics read models. */
export async function computeReportRows(db: SqlTx, range: { from: string; to: string }): Promise<ReportRow[]> {
  const [usage, prompts, aiErrors] = await Promise.all([readUsage(db, range), readPromptRuns(db, range), readAiErrors(db, range)]);
  const keys = new Map<string, { type: string; id: string }>();
  const note = (type: string, id: string) => id && keys.set(`${type}|${id}`, { type, id });
  for (const u of usage) if (u.subjectType !== "all") note(u.subjectType, u.subjectId);
  for (const p of prompts) {
    note("template", p.templateId);
    note("project", p.projectId);
  }
  const labels = await readSubjects(db, [...keys.values()]);
  const names = new Map([...labels.entries()].flatMap(([k, l]) => (l.name ? [[k, l.name] as const] : [])));
  return buildReportRows({ days: daysBetween(range.from, range.to), usage, prompts, aiErrors, names });
}

/**
 * Computes a report (the `analytics.usage-report` job): its rows, its status and UsageReportReady are
 * written in one transaction. A report already ready is left alone, so a repeated job changes nothing.
 * A failure is noted on the report; on the job's last attempt the report becomes failed.
 */
export async function runUsageReport(db: AnalyticsDb, reportId: string, opts: { finalAttempt: boolean } = { finalAttempt: true }) {
  const r = await findReport(db, reportId);
  if (r.status === "ready") return view(r);
  const range = { from: asDay(r.fromDay), to: asDay(r.toDay) };
  try {
    const rows = await computeReportRows(db, range);
    await transactWithEvents(db, "analytics", async (tx: Tx, emit) => {
      const claimed = await tx.usageReport.updateMany({
        where: { id: r.id, status: { not: "ready" } },
        data: { status: "ready", rowCount: rows.length, completedAt: new Date(), error: null },
      });
      if (claimed.count === 0) return; // another worker finished it meanwhile
      await tx.usageReportRow.deleteMany({ where: { reportId: r.id } });
      await tx.$executeRawUnsafe(
        `INSERT INTO analytics.usage_report_rows (report_id, seq, day, scope, subject_id, subject_name, metrics)
         SELECT $1::uuid, * FROM unnest($2::int[], $3::date[], $4::text[], $5::text[], $6::text[], $7::jsonb[])`,
        r.id,
        rows.map((_, i) => i + 1),
        rows.map((x) => x.day),
        rows.map((x) => x.scope),
        rows.map((x) => x.subjectId),
        rows.map((x) => x.subjectName),
        rows.map((x) => JSON.stringify(x.metrics)),
      );
      emit({
        eventType: analyticsEvents.UsageReportReady.type,
        aggregateId: r.id,
        aggregateVersion: 1,
        correlationId: r.correlationId ?? undefined,
        payload: analyticsEvents.UsageReportReady.payload.parse({
          reportId: r.id,
          from: `${range.from}T00:00:00.000Z`,
          to: `${addDays(range.to, 1)}T00:00:00.000Z`,
          rows: rows.length,
          trigger: r.trigger,
        }),
      });
    });
  } catch (err) {
    await db.usageReport
      .update({ where: { id: r.id }, data: { error: (err as Error).message.slice(0, 2000), ...(opts.finalAttempt ? { status: "failed" } : {}) } })
      .catch(() => {});
    throw err;
  }
  return view(await findReport(db, r.id));
}

/**
 * The daily report (scheduled): yesterday's usage (UTC). One report per day however often the
 * schedule fires (`scheduleKey`), computed once.
 */
export async function runScheduledReport(db: AnalyticsDb, now: Date, opts: { finalAttempt: boolean } = { finalAttempt: true }) {
  const day = addDays(now.toISOString().slice(0, 10), -1);
  const scheduleKey = `daily:${day}`;
  const r = await db.usageReport.upsert({
    where: { scheduleKey },
    create: { fromDay: asDate(day), toDay: asDate(day), trigger: "schedule", requestedBy: "service:analytics", scheduleKey },
    update: {},
  });
  return runUsageReport(db, r.id, opts);
}
