import { verifyToken } from "@clerk/backend";
import type { ClerkConfig } from "../config";
import { readCookie } from "./dev-session";

export type ClerkClaims = { userId: string; email: string | undefined; sessionId: string | undefined };

/**
 * Verifies a Clerk session token without network access (explicit `jwtKey`), from the `__session` cookie
 * or an `Authorization: Bearer` header. Returns undefined when there is no token or it does not verify.
 */
export async function verifyClerkSession(headers: Headers, clerk: ClerkConfig): Promise<ClerkClaims | undefined> {
  const bearer = headers.get("authorization")?.match(/^Bearer\s+(.+)$/i)?.[1];
  const token = bearer ?? readCookie(headers.get("cookie"), "__session");
  if (!token) return undefined;
  try {
    const claims = await verifyToken(token, {
      jwtKey: clerk.jwtKey,
      ...(clerk.authorizedParties.length ? { authorizedParties: clerk.authorizedParties } : {}),
    });
    const email = typeof claims.email === "string" ? claims.email : undefined;
    return { userId: claims.sub, email, sessionId: typeof claims.sid === "string" ? claims.sid : undefined };
  } catch {
    return undefined;
  }
}
