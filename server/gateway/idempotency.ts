import { createHash } from "node:crypto";
import { TRPCError } from "@trpc/server";
import superjson from "superjson";
import type { PortalDb } from "../db/portal";
import { middleware } from "../trpc/init";

/**
 * HTTP idempotency with the semantics of the IETF Idempotency-Key draft, for mutating procedures:
 *   - same key, same request       -> the stored response (header Idempotent-Replayed: true)
 *   - same key, different request  -> 422
 *   - same key, still in flight    -> 409
 *   - no key where one is required -> 400
 * Keys are scoped by procedure and principal and expire after IDEMPOTENCY_TTL_HOURS. A key whose request
 * failed with a server error is released, so the client may retry with it.
 */

export const IDEMPOTENCY_HEADER = "idempotency-key";
const KEY = /^[\x21-\x7e]{1,255}$/;
// An in-flight key whose process died is taken over after this long.
const LOCK_MS = 60_000;
// Client errors are final for a request, so they are stored and replayed like successes.
const FINAL_ERRORS = new Set(["BAD_REQUEST", "UNAUTHORIZED", "FORBIDDEN", "NOT_FOUND", "UNPROCESSABLE_CONTENT", "PRECONDITION_FAILED"]);

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object" && !(value instanceof Date)) {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]));
  }
  return value;
}

/** sha256 of the procedure and its input with object keys sorted. */
export function requestFingerprint(path: string, input: unknown): string {
  return createHash("sha256").update(`${path}\n${JSON.stringify(canonical(input ?? null))}`).digest("hex");
}

type Stored = { kind: "data"; data: unknown } | { kind: "error"; code: TRPCError["code"]; message: string };

type Claim = { owner: true } | { owner: false; stored: Stored };

async function claim(db: PortalDb, scope: string, principal: string, key: string, fingerprint: string, ttlHours: number): Promise<Claim> {
  const expiresAt = new Date(Date.now() + ttlHours * 3_600_000);
  const lockedUntil = new Date(Date.now() + LOCK_MS);
  // Insert, or take over a row that expired or whose owner died mid-request.
  const taken = await db.$queryRaw<{ key: string }[]>`
    INSERT INTO portal.idempotency_keys (scope, principal, key, fingerprint, status, locked_until, expires_at)
    VALUES (${scope}, ${principal}, ${key}, ${fingerprint}, 'in_flight', ${lockedUntil}, ${expiresAt})
    ON CONFLICT (scope, principal, key) DO UPDATE
      SET fingerprint = EXCLUDED.fingerprint, status = 'in_flight', response = NULL, response_status = NULL,
          response_hash = NULL, completed_at = NULL, created_at = now(),
          locked_until = EXCLUDED.locked_until, expires_at = EXCLUDED.expires_at
      WHERE idempotency_keys.expires_at < now()
         OR (idempotency_keys.status = 'in_flight' AND idempotency_keys.locked_until < now()
             AND idempotency_keys.fingerprint = EXCLUDED.fingerprint)
    RETURNING key`;
  if (taken.length > 0) return { owner: true };
  const row = await db.idempotencyKey.findUnique({ where: { scope_principal_key: { scope, principal, key } } });
  if (!row) return claim(db, scope, principal, key, fingerprint, ttlHours); // released meanwhile
  if (row.fingerprint !== fingerprint) {
    throw new TRPCError({ code: "UNPROCESSABLE_CONTENT", message: "this Idempotency-Key was already used with a different request" });
  }
  if (row.status !== "completed") {
    throw new TRPCError({ code: "CONFLICT", message: "a request with this Idempotency-Key is still being processed; retry later" });
  }
  return { owner: false, stored: superjson.deserialize<Stored>(row.response as never) };
}

async function complete(db: PortalDb, scope: string, principal: string, key: string, stored: Stored, status: number): Promise<void> {
  // superjson keeps Dates and the like intact, so a replay returns exactly what the first call did.
  const serialized = superjson.serialize(stored);
  const body = JSON.stringify(serialized);
  await db.idempotencyKey.update({
    where: { scope_principal_key: { scope, principal, key } },
    data: {
      status: "completed",
      response: serialized as object,
      responseStatus: status,
      responseHash: createHash("sha256").update(body).digest("hex"),
      completedAt: new Date(),
    },
  });
}

export type IdempotencyContext = {
  /** Runs the procedure's work, or returns the stored response when this key was already answered. */
  run<T>(fn: () => Promise<T>): Promise<T>;
  replayed: boolean;
};

/** The idempotency step of the gateway chain; `required` makes the header mandatory (400 without). */
export function idempotency(opts: { required: boolean }) {
  return middleware(async ({ ctx, path, type, getRawInput, next }) => {
    const key = ctx.headers.get(IDEMPOTENCY_HEADER);
    const passThrough: IdempotencyContext = { run: (fn) => fn(), replayed: false };
    if (type !== "mutation") return next({ ctx: { idempotency: passThrough } });
    if (!key) {
      if (opts.required) throw new TRPCError({ code: "BAD_REQUEST", message: "this operation needs an Idempotency-Key header" });
      return next({ ctx: { idempotency: passThrough } });
    }
    if (!KEY.test(key)) throw new TRPCError({ code: "BAD_REQUEST", message: "Idempotency-Key must be 1-255 visible ASCII characters" });
    const principal = ctx.principal?.userId ?? "anonymous";
    const db = ctx.app.db.portal;
    const fingerprint = requestFingerprint(path, await getRawInput());
    const claimed = await claim(db, path, principal, key, fingerprint, ctx.app.config.idempotencyTtlHours);
    if (!claimed.owner) {
      ctx.responseHeaders.set("idempotent-replayed", "true");
      if (claimed.stored.kind === "error") throw new TRPCError({ code: claimed.stored.code, message: claimed.stored.message });
      const data = claimed.stored.data;
      return next({ ctx: { idempotency: { run: async () => data as never, replayed: true } satisfies IdempotencyContext } });
    }
    try {
      const result = await next({ ctx: { idempotency: passThrough } });
      if (result.ok) await complete(db, path, principal, key, { kind: "data", data: result.data }, 200);
      else if (FINAL_ERRORS.has(result.error.code)) {
        await complete(db, path, principal, key, { kind: "error", code: result.error.code, message: result.error.message }, 400);
      } else await db.idempotencyKey.delete({ where: { scope_principal_key: { scope: path, principal, key } } });
      return result;
    } catch (err) {
      await db.idempotencyKey.delete({ where: { scope_principal_key: { scope: path, principal, key } } }).catch(() => {});
      throw err;
    }
  });
}

/** Wraps a mutation resolver so a replayed key returns the stored response instead of running it again. */
export function idempotent<O extends { ctx: { idempotency: IdempotencyContext } }, T>(fn: (opts: O) => Promise<T>) {
  return (opts: O): Promise<T> => opts.ctx.idempotency.run(() => fn(opts));
}
