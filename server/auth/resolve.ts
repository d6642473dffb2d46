import { findUserIdentityForClerk, getUserIdentity } from "@/services/auth/users";
import type { AppContext } from "../app";
import { verifyClerkSession } from "./clerk";
import { DEV_SESSION_COOKIE, readCookie, verifyDevSessionToken } from "./dev-session";
import type { Principal } from "./principal";

/**
 * Resolves the caller from request headers: a Clerk session when Clerk is configured, else the
 * local development login's cookie when that login is enabled. Undefined means anonymous.
 */
export async function resolvePrincipal(app: AppContext, headers: Headers): Promise<Principal | undefined> {
  const { clerk, devLoginEnabled, sessionSecret } = app.config;
  if (clerk) {
    const claims = await verifyClerkSession(headers, clerk);
    if (claims) {
      const user = await findUserIdentityForClerk(app.db.auth, claims.userId, claims.email);
      // A Clerk user unknown to the auth service may look around but not change anything.
      return user
        ? { userId: user.id, email: user.email, name: user.name, roles: user.roles, teams: user.teams, source: "clerk" }
        : { userId: claims.userId, email: claims.email ?? null, name: claims.email ?? claims.userId, roles: ["viewer"], teams: [], source: "clerk" };
    }
  }
  if (devLoginEnabled) {
    const token = readCookie(headers.get("cookie"), DEV_SESSION_COOKIE);
    const userId = token ? verifyDevSessionToken(token, sessionSecret) : undefined;
    if (userId) {
      const user = await getUserIdentity(app.db.auth, userId);
      if (user) return { userId: user.id, email: user.email, name: user.name, roles: user.roles, teams: user.teams, source: "dev" };
    }
  }
  return undefined;
}
