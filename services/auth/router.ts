import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { protectedProcedure, publicProcedure } from "@/server/gateway/procedures";
import { router } from "@/server/trpc/init";
import { getUserIdentity, listUsers } from "./users";

/** Auth procedures: who am I, the development login's user list, and a user by id (for other services). */
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

  users: router({
    /** One user's public identity; other services use it to check that a user exists (e.g. project members). */
    get: protectedProcedure
      .input(z.object({ id: z.string().min(1).max(200) }))
      .output(z.object({ id: z.string(), name: z.string(), email: z.string() }))
      .query(async ({ ctx, input }) => {
        const user = await getUserIdentity(ctx.app.db.auth, input.id);
        if (!user) throw new TRPCError({ code: "NOT_FOUND", message: `no user "${input.id}"` });
        return { id: user.id, name: user.name, email: user.email };
      }),
  }),
});
