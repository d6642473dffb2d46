import { TRPCError } from "@trpc/server";
import { resolvePrincipal } from "../auth/resolve";
import { hasRole, type Role } from "../auth/principal";
import { middleware } from "../trpc/init";

/** Authentication: resolves the caller (or none) and puts it on the context. */
export const authenticate = middleware(async ({ ctx, next }) => {
  const principal = ctx.principal ?? (await resolvePrincipal(ctx.app, ctx.headers));
  return next({ ctx: { principal } });
});

/** Refuses anonymous callers. */
export const requirePrincipal = middleware(async ({ ctx, next }) => {
  if (!ctx.principal) throw new TRPCError({ code: "UNAUTHORIZED", message: "sign in first" });
  return next({ ctx: { principal: ctx.principal } });
});

/** Refuses callers without `role` (or a stronger one). */
export function requireRole(role: Role) {
  return middleware(async ({ ctx, next }) => {
    if (!ctx.principal) throw new TRPCError({ code: "UNAUTHORIZED", message: "sign in first" });
    if (!hasRole(ctx.principal, role)) {
      throw new TRPCError({ code: "FORBIDDEN", message: `needs the ${role} role` });
    }
    return next({ ctx: { principal: ctx.principal } });
  });
}

/** Refuses everyone but services calling in-process (server/service-calls.ts); no HTTP caller can be one. */
export const requireService = middleware(async ({ ctx, next }) => {
  if (ctx.principal?.source !== "service") throw new TRPCError({ code: "FORBIDDEN", message: "only services may call this" });
  return next({ ctx: { principal: ctx.principal } });
});
