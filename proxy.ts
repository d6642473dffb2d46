import { type NextRequest, NextResponse } from "next/server";
import { DEV_SESSION_COOKIE } from "./server/auth/dev-session";
import { getConfig } from "./server/config";

/**
 * Sends visitors without a session cookie to /login before any page renders. It only looks for the
 * cookie (Clerk's `__session`, or the development login's); the gateway verifies the session on every
 * procedure call (server/auth/resolve.ts). Clerk's own middleware is not used: see
 * docs/decisions/005-auth-at-the-gateway.md.
 */
const settings = getConfig();

export default function proxy(req: NextRequest): NextResponse | undefined {
  const signedIn =
    (settings.clerk !== undefined && req.cookies.has("__session")) ||
    (settings.devLoginEnabled && req.cookies.has(DEV_SESSION_COOKIE));
  if (signedIn) return undefined;
  const url = req.nextUrl.clone();
  url.pathname = "/login";
  url.search = `?next=${encodeURIComponent(req.nextUrl.pathname + req.nextUrl.search)}`;
  return NextResponse.redirect(url);
}

export const config = {
  // Pages only: API routes answer 401 themselves; static assets and the login page are public.
  matcher: ["/((?!api/|_next/|login|favicon.ico|icon.svg|v1/|metrics/prometheus).*)"],
};
