import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { idempotent } from "@/server/gateway/idempotency";
import { engineerProcedure, protectedProcedure } from "@/server/gateway/procedures";
import { router } from "@/server/trpc/init";
import { getTeamsBySlug } from "@/services/auth/teams";
import { enqueueJob } from "@/workers/jobs";
import { getService, listServices, listSyncRuns, refName } from "./queries";

const entityName = z.string().min(1).max(63).regex(/^[a-zA-Z0-9]+(?:[-_.][a-zA-Z0-9]+)*$/, "not an entity name");

/** Catalog procedures: thin transport over services/catalog. */
export const catalogRouter = router({
  list: protectedProcedure
    .input(
      z
        .object({
          owner: entityName.optional(),
          lifecycle: z.string().max(40).optional(),
          search: z.string().max(100).optional(),
        })
        .default({}),
    )
    .query(async ({ ctx, input }) => {
      const services = await listServices(ctx.app.db.catalog, input);
      const owners = [...new Set(services.map((s) => s.ownerName).filter((o): o is string => !!o))];
      const teams = new Map((await getTeamsBySlug(ctx.app.db.auth, owners)).map((t) => [t.slug, t]));
      return services.map((s) => ({ ...s, ownerTeam: s.ownerName ? (teams.get(s.ownerName)?.name ?? null) : null }));
    }),

  get: protectedProcedure.input(z.object({ name: entityName })).query(async ({ ctx, input }) => {
    const service = await getService(ctx.app.db.catalog, input.name);
    if (!service) throw new TRPCError({ code: "NOT_FOUND", message: `no service named "${input.name}" in the catalog` });
    // Owner details come from the auth service's public functions, not its tables.
    const [team] = await getTeamsBySlug(ctx.app.db.auth, [refName(service.owner)].filter((s): s is string => !!s));
    return { ...service, ownerTeam: team ?? null };
  }),

  syncRuns: protectedProcedure
    .input(z.object({ limit: z.number().int().min(1).max(50).default(10) }).default({ limit: 10 }))
    .query(({ ctx, input }) => listSyncRuns(ctx.app.db.catalog, input.limit)),

  refresh: engineerProcedure.mutation(
    idempotent(async ({ ctx }) => {
      const jobId = await enqueueJob(ctx.app.queues, "catalog.sync", { trigger: "manual", requestedBy: ctx.principal.userId });
      return { jobId };
    }),
  ),
});
