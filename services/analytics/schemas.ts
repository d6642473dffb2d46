import { z } from "zod";
import { USAGE_METRICS, type UsageMetric } from "./metrics/fold";
import { REPORT_METRICS, REPORT_SCOPES, type ReportMetric } from "./reports/rows";

/** The shapes the analytics service reads and returns — shared by tRPC, REST and its OpenAPI document. */

const Day = z.iso.date().describe("A UTC day, YYYY-MM-DD");
const optionalId = (what: string) => z.string().min(1).max(200).optional().describe(what);

// --- /metrics ------------------------------------------------------------------------------------

export const MetricsInput = z.object({
  from: Day.optional().describe("First day of the range (default: 29 days before `to`)"),
  to: Day.optional().describe("Last day of the range, included (default: today, UTC)"),
  templateId: optionalId("Narrow usage and prompt runs to this template"),
  projectId: optionalId("Narrow usage and prompt runs to this project"),
  model: optionalId("Narrow prompt runs and AI errors to this model"),
  top: z.number().int().min(1).max(100).default(10).describe("How many templates, projects and models the breakdowns list"),
});

export const UsageCounts = z
  .object(Object.fromEntries(USAGE_METRICS.map((m) => [m, z.number().int()])) as Record<UsageMetric, z.ZodNumber>)
  .meta({ id: "UsageCounts", description: "How often things happened: templates, projects, members, generations (prompt runs for a template or project), assets, reports" });

export const PromptStats = z
  .object({
    runs: z.number().int(),
    succeeded: z.number().int(),
    failed: z.number().int().describe("Runs with outcome error or timeout"),
    failureRate: z.number().describe("failed / runs (0 without runs)"),
    promptTokens: z.number().int(),
    completionTokens: z.number().int(),
    costUsd: z.number(),
    avgLatencyMs: z.number(),
    maxLatencyMs: z.number(),
  })
  .meta({ id: "PromptStats" });

export const DailyMetrics = z.object({ day: z.string(), usage: UsageCounts, prompts: PromptStats, aiErrors: z.number().int() }).meta({ id: "DailyMetrics" });

export const Metrics = z
  .object({
    from: z.string(),
    to: z.string(),
    filters: z.object({ templateId: z.string().nullable(), projectId: z.string().nullable(), model: z.string().nullable() }),
    totals: z.object({ usage: UsageCounts, prompts: PromptStats, aiErrors: z.number().int() }),
    daily: z.array(DailyMetrics),
    byTemplate: z.array(
      z.object({ templateId: z.string(), name: z.string().nullable(), status: z.string().nullable(), total: z.number().int(), usage: UsageCounts }),
    ),
    byProject: z.array(
      z.object({
        projectId: z.string(),
        name: z.string().nullable(),
        templateId: z.string().nullable(),
        status: z.string().nullable(),
        members: z.number().int().nullable(),
        total: z.number().int(),
        usage: UsageCounts,
      }),
    ),
    byModel: z.array(
      z.object({ model: z.string(), prompts: PromptStats, aiErrors: z.number().int(), errorsByCode: z.array(z.object({ errorCode: z.string(), count: z.number().int() })) }),
    ),
  })
  .meta({ id: "Metrics" });

// --- /events -------------------------------------------------------------------------------------

export const ListEventsInput = z.object({
  type: z
    .array(z.string().min(1).max(200))
    .max(20)
    .optional()
    .describe("Event types: full (templator.events.v1.projects.ProjectCreated) or by name (ProjectCreated); comma-separated in a query string"),
  service: z.string().max(50).optional().describe("The emitting service (templates, ai, projects, assets, analytics)"),
  aggregateId: z.string().max(200).optional(),
  correlationId: z.string().max(200).optional().describe("Every event of one chain (a request, a saga)"),
  from: z.coerce.date().optional().describe("Occurred at or after"),
  to: z.coerce.date().optional().describe("Occurred before"),
  limit: z.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional().describe("nextCursor of the previous page"),
});

export const FeedEvent = z
  .object({
    eventId: z.string().uuid(),
    eventType: z.string(),
    service: z.string(),
    aggregateId: z.string(),
    aggregateVersion: z.number().int(),
    occurredAt: z.date(),
    correlationId: z.string().nullable(),
    traceId: z.string().nullable(),
    payload: z.record(z.string(), z.unknown()),
    receivedAt: z.date(),
  })
  .meta({ id: "FeedEvent" });

export const EventPage = z.object({ items: z.array(FeedEvent), nextCursor: z.string().nullable() }).meta({ id: "EventPage" });

// --- /reports ------------------------------------------------------------------------------------

export const ReportStatus = z.enum(["pending", "ready", "failed"]).meta({ id: "UsageReportStatus" });

export const CreateReportInput = z.object({ from: Day.describe("First day of the report"), to: Day.describe("Last day of the report, included") });

export const ListReportsInput = z.object({
  status: ReportStatus.optional(),
  limit: z.number().int().min(1).max(100).default(25),
  cursor: z.string().uuid().optional().describe("nextCursor of the previous page"),
});

export const GetReportInput = z.object({
  id: z.string().uuid(),
  rowOffset: z.number().int().min(0).default(0),
  rowLimit: z.number().int().min(1).max(10_000).default(1000),
});

export const Report = z
  .object({
    id: z.string().uuid(),
    from: z.string(),
    to: z.string(),
    status: ReportStatus,
    trigger: z.enum(["manual", "schedule"]),
    requestedBy: z.string(),
    rowCount: z.number().int(),
    error: z.string().nullable(),
    createdAt: z.date(),
    completedAt: z.date().nullable(),
    csvPath: z.string().describe("Where the CSV is downloaded (GET), once the report is ready"),
  })
  .meta({ id: "UsageReport" });

export const ReportRow = z
  .object({
    day: z.string(),
    scope: z.enum(REPORT_SCOPES),
    subjectId: z.string(),
    subjectName: z.string(),
    metrics: z.object(Object.fromEntries(REPORT_METRICS.map((m) => [m, z.number()])) as Record<ReportMetric, z.ZodNumber>),
  })
  .meta({ id: "UsageReportRow" });

export const ReportDetail = Report.extend({ rowOffset: z.number().int(), rows: z.array(ReportRow) }).meta({ id: "UsageReportDetail" });

export const ReportPage = z.object({ items: z.array(Report), nextCursor: z.string().nullable() }).meta({ id: "UsageReportPage" });
