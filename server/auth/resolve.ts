import { timingSafeEqual } from "node:crypto";
import { findUserIdentityForClerk, getUserIdentity } from "@/services/auth/users";
import type { AppContext } from "../app";
import type { ApiToken } from "../config";
import { verifyClerkSession } from "./clerk";
import { DEV_SESSION_COOKIE, readCookie, verifyDevSessionToken } from "./dev-session";
import type { Principal } from "./principal";

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The API token sent as `Authorization: Bearer <secret>`, if it is one of `API_TOKENS`. */
export function findApiToken(tokens: ApiToken[], headers: Headers): ApiToken | undefined {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(headers.get("authorization") ?? "")?.[1];
  if (!bearer || tokens.length === 0) return undefined;
  // Compare with every token (no early exit), so timing says nothing about which one nearly matched.
  let found: ApiToken | undefined;
  for (const t of tokens) if (sameSecret(t.secret, bearer)) found = t;
  return found;
}

/** The principal of a machine holding a scoped API token: no roles, only its scopes. */
export function tokenPrincipal(token: ApiToken): Principal {
  return { userId: `token:${token.name}`, email: null, name: token.name, roles: [], teams: [], source: "token", scopes: [...token.scopes] };
}

/**
 * Resolves the caller from request headers: a scoped API token (`Authorization: Bearer`, for
 * machines), a Clerk session when Clerk is configured, else the local development login's cookie when
 * that login is enabled. Undefined means anonymous (a wrong token is anonymous too: 401).
 */
export async function resolvePrincipal(app: AppContext, headers: Headers): Promise<Principal | undefined> {
  const { clerk, devLoginEnabled, sessionSecret, apiTokens } = app.config;
  const token = findApiToken(apiTokens, headers);
  if (token) return tokenPrincipal(token);
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
