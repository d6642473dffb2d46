import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { protectedProcedure } from "@/server/gateway/procedures";
import { router } from "@/server/trpc/init";
import { dashboardsRouter } from "./dashboards-router";
import { serviceGraph } from "./graph";
import { searchTraces, traceById } from "./query";
import { redSeries } from "./red";
import { evaluateSlos } from "./slo";
import { getTraceFlow, getTraceSpan, getTraceView, listTraceServices } from "./trace-view-store";

/** Telemetry procedures (signed-in): thin transport over services/telemetry's RED, graph, SLO and trace queries. */

const name = z.string().min(1).max(512);
const MAX_RANGE_MS = 31 * 86_400_000;
const range = z
  .object({ from: z.coerce.date(), to: z.coerce.date() })
  .refine((r) => r.to > r.from, "to must be after from")
  .refine((r) => r.to.getTime() - r.from.getTime() <= MAX_RANGE_MS, "at most 31 days");

const traceId = z.string().regex(/^[0-9a-fA-F]{32}$/, "a trace id is 32 hex digits");

export const telemetryRouter = router({
  /** Procedures behind the service map, RED dashboards and SLO pages (services/telemetry/dashboards-router.ts). */
  dashboards: dashboardsRouter,

  /** Per-minute rate, error %, p50/p95/p99 of a service (optionally one operation / span kind). */
  red: protectedProcedure
    .input(range.and(z.object({ service: name, operation: name.optional(), spanKind: z.number().int().min(0).max(5).optional() })))
    .query(({ ctx, input }) => redSeries(ctx.app.pool, input)),

  /** Service-graph edges (client/server, producer/consumer, database, broker) over a time range. */
  graph: protectedProcedure
    .input(z.object({ from: z.coerce.date(), to: z.coerce.date() }))
    .query(({ ctx, input }) => {
      if (!(input.to > input.from) || input.to.getTime() - input.from.getTime() > 7 * 86_400_000) {
        throw new TRPCError({ code: "BAD_REQUEST", message: "the range must be non-empty and at most 7 days" });
      }
      return serviceGraph(ctx.app.pool, input);
    }),

  /** SLO status per service with the burn-rate alerts firing now. */
  slos: protectedProcedure
    .input(z.object({ services: z.array(name).max(100).optional() }).default({}))
    .query(({ ctx, input }) => evaluateSlos(ctx.app.pool, input.services ? { services: input.services } : {})),

  traces: router({
    search: protectedProcedure
      .input(
        range.and(
          z.object({
            service: name.optional(),
            operation: name.optional(),
            attribute: z.object({ key: z.string().min(1).max(256), value: z.union([z.string().max(1024), z.number(), z.boolean()]) }).optional(),
            minDurationMs: z.number().min(0).optional(),
            maxDurationMs: z.number().min(0).optional(),
            errorsOnly: z.boolean().optional(),
            limit: z.number().int().min(1).max(2000).default(500),
          }),
        ),
      )
      .query(({ ctx, input }) => searchTraces(ctx.app.pool, input)),

    get: protectedProcedure.input(z.object({ traceId })).query(async ({ ctx, input }) => {
      const spans = await traceById(ctx.app.pool, input.traceId);
      if (spans.length === 0) throw new TRPCError({ code: "NOT_FOUND", message: `no spans of trace ${input.traceId}` });
      return { traceId: input.traceId.toLowerCase(), spans };
    }),

    /** The trace page's waterfall: packed columns in tree order with the critical path (trace-view.ts). */
    view: protectedProcedure.input(z.object({ traceId })).query(async ({ ctx, input }) => {
      const view = await getTraceView(ctx.app.pool, input.traceId);
      if (!view) throw new TRPCError({ code: "NOT_FOUND", message: `no spans of trace ${input.traceId}` });
      return view;
    }),

    /** One span in full (attributes, resource, events, links), opened from the waterfall. */
    span: protectedProcedure
      .input(z.object({ traceId, spanId: z.string().regex(/^[0-9a-fA-F]{16}$/, "a span id is 16 hex digits") }))
      .query(async ({ ctx, input }) => {
      const span = await getTraceSpan(ctx.app.pool, input.traceId, input.spanId);
      if (!span) throw new TRPCError({ code: "NOT_FOUND", message: `no span ${input.spanId} in trace ${input.traceId}` });
      return span;
    }),

    /** The trace's flow graph: services, brokers and databases with call/message edges (flow.ts). */
    flow: protectedProcedure.input(z.object({ traceId })).query(async ({ ctx, input }) => {
      const flow = await getTraceFlow(ctx.app.pool, input.traceId);
      if (!flow) throw new TRPCError({ code: "NOT_FOUND", message: `no spans of trace ${input.traceId}` });
      return flow;
    }),

    /** Services (resource service.name) that have sent spans, for the search filter. */
    services: protectedProcedure.query(({ ctx }) => listTraceServices(ctx.app.pool)),
  }),
});
