import { TRPCError } from "@trpc/server";
import { protectedProcedure, publicProcedure } from "@/server/gateway/procedures";
import { router } from "@/server/trpc/init";
import { listUsers } from "./users";

/** Auth procedures: who am I, and the development login's user list. */
export const authRouter = router({
  me: publicProcedure.query(({ ctx }) => ctx.principal ?? null),

  devUsers: publicProcedure.query(async ({ ctx }) => {
    if (!ctx.app.config.devLoginEnabled) {
      throw new TRPCError({ code: "FORBIDDEN", message: "the local development login is disabled" });
    }
    const users = await listUsers(ctx.app.db.auth);
    return users.map((u) => ({ id: u.id, name: u.name, email: u.email, roles: u.roles, teams: u.teams.map((t) => t.name) }));
  }),

  whoami: protectedProcedure.query(({ ctx }) => ctx.principal),
});
