import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * The local development login's session: a cookie holding `payload.signature`, where the payload is the
 * user id and expiry (base64url JSON) and the signature an HMAC-SHA256 under SESSION_SECRET.
 */
export const DEV_SESSION_COOKIE = "sy_session";
export const DEV_SESSION_TTL_SECONDS = 12 * 3600;

type Payload = { sub: string; exp: number };

function sign(data: string, secret: string): string {
  return createHmac("sha256", secret).update(data).digest("base64url");
}

/** Creates a session token for `userId`, valid for `ttlSeconds`. */
export function createDevSessionToken(userId: string, secret: string, ttlSeconds = DEV_SESSION_TTL_SECONDS, now = Date.now()): string {
  const payload: Payload = { sub: userId, exp: Math.floor(now / 1000) + ttlSeconds };
  const data = Buffer.from(JSON.stringify(payload)).toString("base64url");
  return `${data}.${sign(data, secret)}`;
}

/** The user id in a valid, unexpired token, else undefined. */
export function verifyDevSessionToken(token: string, secret: string, now = Date.now()): string | undefined {
  const [data, signature] = token.split(".");
  if (!data || !signature) return undefined;
  const expected = Buffer.from(sign(data, secret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(data, "base64url").toString("utf8")) as Partial<Payload>;
    if (typeof payload.sub !== "string" || typeof payload.exp !== "number") return undefined;
    return payload.exp * 1000 > now ? payload.sub : undefined;
  } catch {
    return undefined;
  }
}

/** Reads one cookie from a Cookie header. */
export function readCookie(header: string | null | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const i = part.indexOf("=");
    if (i > 0 && part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return undefined;
}
