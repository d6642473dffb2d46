import { z } from "zod";
import { engineerProcedure, protectedProcedure } from "@/server/gateway/procedures";
import { correlationIdOf } from "@/server/trpc/context";
import { router } from "@/server/trpc/init";
import { listEvents } from "./feed";
import { getMetrics } from "./metrics/query";
import { getReport, getReportCsv, listReports, requestReport } from "./reports/reports";
import { CreateReportInput, EventPage, GetReportInput, ListEventsInput, ListReportsInput, Metrics, MetricsInput, Report, ReportDetail, ReportPage } from "./schemas";

const correlation = correlationIdOf;

/** Product analytics from domain events: metrics, the event feed and usage reports (thin over the domain functions). */
export const analyticsRouter = router({
  metrics: protectedProcedure
    .meta({
      rest: {
        method: "GET",
        path: "/metrics",
        summary: "Product metrics for a range of days: usage, prompt runs, AI errors; totals, daily series, by template, project and model",
        description: "JSON product analytics built from domain events (not the Prometheus exposition). Days are UTC.",
        tags: ["metrics"],
      },
    })
    .input(MetricsInput)
    .output(Metrics)
    .query(({ ctx, input }) => getMetrics(ctx.app.db.analytics, input)),

  events: protectedProcedure
    .meta({ rest: { method: "GET", path: "/events", summary: "The event feed: every domain event, newest first, with filters", tags: ["events"] } })
    .input(ListEventsInput)
    .output(EventPage)
    .query(({ ctx, input }) => listEvents(ctx.app.db.analytics, input)),

  reports: router({
    list: protectedProcedure
      .meta({ rest: { method: "GET", path: "/reports", summary: "List usage reports, newest first", tags: ["reports"] } })
      .input(ListReportsInput)
      .output(ReportPage)
      .query(({ ctx, input }) => listReports(ctx.app.db.analytics, input)),
    get: protectedProcedure
      .meta({
        rest: {
          method: "GET",
          path: "/reports/{id}",
          summary: "Get a usage report with a page of its rows",
          description: "The whole report is downloadable as CSV at `csvPath` (GET /reports/{id}/csv) once it is ready.",
          tags: ["reports"],
        },
      })
      .input(GetReportInput)
      .output(ReportDetail)
      .query(({ ctx, input }) => getReport(ctx.app.db.analytics, input)),
    create: engineerProcedure
      .meta({
        rest: {
          method: "POST",
          path: "/reports",
          summary: "Request a usage report for a range of days",
          description: "Accepted: the report is computed by a worker; poll GET /reports/{id} or watch for UsageReportReady.",
          tags: ["reports"],
          successStatus: 202,
          examples: { input: { from: "2026-11-01", to: "2026-11-30" } },
        },
      })
      .input(CreateReportInput)
      .output(Report)
      .mutation(({ ctx, input }) => requestReport(ctx.app, input, ctx.principal!.userId, correlation(ctx))),
    /** The CSV file (served by app/api/v1/reports/[id]/csv/route.ts as an attachment, not as JSON). */
    csv: protectedProcedure
      .input(z.object({ id: z.string().uuid() }))
      .output(z.object({ fileName: z.string(), csv: z.string() }))
      .query(({ ctx, input }) => getReportCsv(ctx.app.db.analytics, input.id)),
  }),
});
