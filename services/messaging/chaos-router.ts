import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { adminProcedure } from "@/server/gateway/procedures";
import { injectPoison, POISON_KINDS } from "@/server/messaging/chaos";
import { router } from "@/server/trpc/init";

/** Fault injection (admins, where CHAOS_ENABLED allows): poison messages for the DLQ to catch. */
export const chaosRouter = router({
  poison: adminProcedure
    .input(z.object({ kind: z.enum(POISON_KINDS), count: z.number().int().min(1).max(20).default(1) }))
    .mutation(async ({ ctx, input }) => {
      if (!ctx.app.config.chaosEnabled) throw new TRPCError({ code: "FORBIDDEN", message: "fault injection is disabled here (CHAOS_ENABLED)" });
      ctx.app.log.warn({ kind: input.kind, count: input.count, principal: ctx.principal.userId }, "injecting poison messages");
      return { eventIds: await injectPoison(ctx.app.pool, input.kind, input.count) };
    }),
});
