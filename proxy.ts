import { clerkMiddleware } from "@clerk/nextjs/server";
import { type NextRequest, NextResponse } from "next/server";
import { DEV_SESSION_COOKIE } from "./server/auth/dev-session";
import { getConfig } from "./server/config";

/**
 * Sends visitors without a session to /login before any page renders. It only looks for a session
 * cookie; the gateway verifies it on every procedure call. Clerk's middleware is wired in only when
 * Clerk is configured (without keys it would answer 500 to every request).
 */
const settings = getConfig();

function needsLogin(req: NextRequest, signedIn: boolean): NextResponse | undefined {
  if (signedIn) return undefined;
  const url = req.nextUrl.clone();
  url.pathname = "/login";
  url.search = `?next=${encodeURIComponent(req.nextUrl.pathname + req.nextUrl.search)}`;
  return NextResponse.redirect(url);
}

export default settings.clerk
  ? clerkMiddleware(
      async (auth, req) => {
        const { userId } = await auth();
        return needsLogin(req, Boolean(userId) || (settings.devLoginEnabled && req.cookies.has(DEV_SESSION_COOKIE)));
      },
      {
        publishableKey: settings.clerk.publishableKey,
        secretKey: settings.clerk.secretKey,
        jwtKey: settings.clerk.jwtKey,
        ...(settings.clerk.authorizedParties.length ? { authorizedParties: settings.clerk.authorizedParties } : {}),
        signInUrl: "/login",
      },
    )
  : (req: NextRequest) => needsLogin(req, settings.devLoginEnabled && req.cookies.has(DEV_SESSION_COOKIE));

export const config = {
  // Pages only: API routes answer 401 themselves; static assets and the login page are public.
  matcher: ["/((?!api/|_next/|login|favicon.ico|v1/).*)"],
};
