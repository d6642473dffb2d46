import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { protectedProcedure } from "@/server/gateway/procedures";
import { getSagaTimeline, listSagas } from "@/server/sagas/queries";
import { router } from "@/server/trpc/init";
import { sagaRegistry } from "@/workers/sagas";

const STATUS = z.enum(["running", "completed", "compensating", "compensated", "failed"]);

/** Saga runs and their timelines, for the portal's saga pages (thin over server/sagas). */
export const sagasRouter = router({
  definitions: protectedProcedure.query(() =>
    sagaRegistry.sagas.map((s) => ({ name: s.name, service: s.service, steps: s.steps.map((st) => ({ name: st.name, service: st.service, compensable: Boolean(st.compensate) })) })),
  ),
  list: protectedProcedure
    .input(
      z.object({
        saga: z.string().optional(),
        status: STATUS.optional(),
        subject: z.string().optional(),
        correlationId: z.string().optional(),
        limit: z.number().int().min(1).max(100).default(25),
        cursor: z.string().uuid().optional(),
      }),
    )
    .query(({ ctx, input }) => {
      const { limit, cursor, ...filter } = input;
      return listSagas(ctx.app.db.messaging, filter, { limit, ...(cursor ? { cursor } : {}) });
    }),
  get: protectedProcedure.input(z.object({ id: z.string().uuid() })).query(async ({ ctx, input }) => {
    const instance = await ctx.app.db.messaging.sagaInstance.findUnique({ where: { id: input.id }, select: { saga: true } });
    const def = instance ? sagaRegistry.sagas.find((s) => s.name === instance.saga) : undefined;
    const timeline = await getSagaTimeline(
      ctx.app.db.messaging,
      input.id,
      def?.steps.map((s) => ({ name: s.name, service: s.service, compensable: Boolean(s.compensate) })),
    );
    if (!timeline) throw new TRPCError({ code: "NOT_FOUND", message: `no saga run ${input.id}` });
    return timeline;
  }),
});
