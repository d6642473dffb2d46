import { getUserIdentity } from "@/services/auth/users";
import type { AppContext } from "../app";
import { createDevSessionToken, DEV_SESSION_COOKIE, DEV_SESSION_TTL_SECONDS } from "./dev-session";

function json(status: number, body: unknown): Response {
  return Response.json(body, { status, headers: { "cache-control": "no-store" } });
}

/** Only same-site relative paths: never redirect a login to another host. */
export function safeNextPath(next: unknown): string {
  return typeof next === "string" && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") ? next : "/catalog";
}

function cookie(value: string, maxAge: number, secure: boolean): string {
  return `${DEV_SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure ? "; Secure" : ""}`;
}

/**
 * POST /api/auth/dev-login (form or JSON: userId, next): signs in as a seeded user. Refused unless the
 * local development login is enabled (it is off in production unless DEV_LOGIN=true).
 */
export async function handleDevLogin(req: Request, app: AppContext): Promise<Response> {
  if (!app.config.devLoginEnabled) return json(403, { error: "the local development login is disabled" });
  let input: Record<string, unknown>;
  try {
    const type = req.headers.get("content-type") ?? "";
    input = type.includes("application/json")
      ? ((await req.json()) as Record<string, unknown>)
      : Object.fromEntries((await req.formData()).entries());
  } catch {
    return json(400, { error: "expected a form or JSON body with userId" });
  }
  const userId = typeof input.userId === "string" ? input.userId : "";
  const user = userId ? await getUserIdentity(app.db.auth, userId) : undefined;
  if (!user) return json(400, { error: userId ? `no user with id "${userId}"` : "userId is required" });
  const token = createDevSessionToken(user.id, app.config.sessionSecret);
  const secure = new URL(req.url).protocol === "https:";
  app.log.info({ principal: user.id, email: user.email }, "development login");
  const wantsJson = (req.headers.get("accept") ?? "").includes("application/json");
  const headers = new Headers({ "set-cookie": cookie(token, DEV_SESSION_TTL_SECONDS, secure), "cache-control": "no-store" });
  if (wantsJson) {
    headers.set("content-type", "application/json");
    return new Response(JSON.stringify({ userId: user.id, name: user.name }), { status: 200, headers });
  }
  headers.set("location", safeNextPath(input.next));
  return new Response(null, { status: 303, headers });
}

/** POST /api/auth/logout: clears the development session. */
export function handleLogout(req: Request): Response {
  const secure = new URL(req.url).protocol === "https:";
  return new Response(null, {
    status: 303,
    headers: { "set-cookie": cookie("", 0, secure), location: "/login", "cache-control": "no-store" },
  });
}
