import { z } from "zod";
import { protectedProcedure } from "@/server/gateway/procedures";
import { router } from "@/server/trpc/init";
import { listServiceRed, serviceDashboard } from "./dashboards";
import { serviceMap } from "./dashboards-map";
import { sloOverview } from "./dashboards-slos";

/** Read procedures for the service map, RED dashboards and SLO/alert pages (signed-in callers). */

const DAY_MS = 86_400_000;
const name = z.string().min(1).max(512);
const rangeOf = (maxDays: number) =>
  z
    .object({ from: z.coerce.date(), to: z.coerce.date() })
    .refine((r) => r.to > r.from, "to must be after from")
    .refine((r) => r.to.getTime() - r.from.getTime() <= maxDays * DAY_MS, `at most ${maxDays} days`);

export const dashboardsRouter = router({
  /** Every service with rollups in the range: RED over the range and a sparkline series. */
  services: protectedProcedure.input(rangeOf(31)).query(({ ctx, input }) => listServiceRed(ctx.app.pool, input)),

  /** One service's RED series (optionally one operation / span kind) and its operations' RED. */
  service: protectedProcedure
    .input(rangeOf(31).and(z.object({ service: name, operation: name.optional(), spanKind: z.number().int().min(0).max(5).optional() })))
    .query(({ ctx, input }) => serviceDashboard(ctx.app.pool, input)),

  /** Services, databases and brokers with RED on nodes and edges (the graph is computed from spans: 7 days at most). */
  map: protectedProcedure.input(rangeOf(7)).query(({ ctx, input }) => serviceMap(ctx.app.pool, input)),

  /** SLO status per service, the burn-rate alerts firing now, and the burn-rate rules. */
  slos: protectedProcedure.query(({ ctx }) => sloOverview(ctx.app.pool)),
});
