import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDevSessionToken, DEV_SESSION_COOKIE } from "@/server/auth/dev-session";
import { recordDeadLetter } from "@/server/messaging/dead-letters/record";
import { runMaintenance } from "@/server/messaging/maintenance";
import { seedDemoIdentities } from "@/services/auth/seed";
import { createTestApp, type TestApp } from "@/tests/helpers/test-app";
import { handleTrpcRequest } from "./http";

let app: TestApp;
let cookies: Record<string, string>;

async function mutate(path: string, input: unknown, opts: { key?: string; as?: string } = {}) {
  const headers = new Headers({ "content-type": "application/json", cookie: cookies[opts.as ?? "priya"]! });
  if (opts.key) headers.set("idempotency-key", opts.key);
  const res = await handleTrpcRequest(new Request(`http://127.0.0.1/api/trpc/${path}`, { method: "POST", headers, body: JSON.stringify({ json: input }) }), app);
  const body = (await res.json()) as { result?: { data: { json: Record<string, unknown> } }; error?: { json: { message: string } } };
  return { status: res.status, data: body.result?.data.json, error: body.error?.json.message, replayed: res.headers.get("idempotent-replayed") === "true" };
}

async function deadLetter(): Promise<string> {
  return recordDeadLetter(app.pool, {
    consumer: "analytics.event-feed",
    delivered: { envelope: { eventId: randomUUID(), eventType: "templator.events.v1.ai.PromptRunRecorded", aggregateId: "run-1", payload: {} } },
    error: new Error("invalid payload"),
    attempts: 1,
    firstFailedAt: new Date(),
    unrecoverable: true,
  });
}
const operations = async () => app.db.messaging.operation.count();

beforeAll(async () => {
  app = await createTestApp();
  await seedDemoIdentities(app.db.auth);
  const users = await app.db.auth.user.findMany();
  const cookieFor = (email: string) => `${DEV_SESSION_COOKIE}=${createDevSessionToken(users.find((u) => u.email === email)!.id, app.config.sessionSecret)}`;
  cookies = { priya: cookieFor("priya.raman@templator.dev"), kenji: cookieFor("kenji.watanabe@templator.dev") };
});

afterAll(() => app.cleanup());

describe("Idempotency-Key on mutations", () => {
  it("is required where declared: 400 without it", async () => {
    const r = await mutate("messaging.deadLetters.replay", { ids: [await deadLetter()] });
    expect(r.status).toBe(400);
    expect(r.error).toBe("this operation needs an Idempotency-Key header");
  });

  it("same key, same request: the stored response, marked as replayed, and the work done once", async () => {
    const id = await deadLetter();
    const before = await operations();
    const key = randomUUID();
    const first = await mutate("messaging.deadLetters.replay", { ids: [id] }, { key });
    const second = await mutate("messaging.deadLetters.replay", { ids: [id] }, { key });
    expect(first).toMatchObject({ status: 200, replayed: false });
    expect(second).toMatchObject({ status: 200, replayed: true, data: first.data });
    expect((await operations()) - before).toBe(1);
    const row = await app.db.portal.idempotencyKey.findFirstOrThrow({ where: { key } });
    expect(row).toMatchObject({ scope: "messaging.deadLetters.replay", status: "completed", responseStatus: 200 });
    expect(row.responseHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("same key, different request: 422", async () => {
    const key = randomUUID();
    await mutate("messaging.deadLetters.replay", { ids: [await deadLetter()] }, { key });
    const other = await mutate("messaging.deadLetters.replay", { ids: [await deadLetter()] }, { key });
    expect(other.status).toBe(422);
    expect(other.error).toBe("this Idempotency-Key was already used with a different request");
  });

  it("concurrent duplicates: one runs, the others get 409 while it is in flight or its stored response after", async () => {
    const id = await deadLetter();
    const before = await operations();
    const key = randomUUID();
    const results = await Promise.all(Array.from({ length: 12 }, () => mutate("messaging.deadLetters.replay", { ids: [id] }, { key })));
    expect((await operations()) - before).toBe(1);
    const ok = results.filter((r) => r.status === 200);
    const conflicts = results.filter((r) => r.status === 409);
    expect(ok.length + conflicts.length).toBe(12);
    expect(ok.filter((r) => !r.replayed)).toHaveLength(1);
    expect(new Set(ok.map((r) => JSON.stringify(r.data))).size).toBe(1);
    for (const c of conflicts) expect(c.error).toMatch(/still being processed/);
  });

  it("keys are scoped per principal", async () => {
    const key = randomUUID();
    const mine = await mutate("messaging.outbox.retry", { service: "templates" }, { key });
    const theirs = await mutate("messaging.outbox.retry", { service: "templates" }, { key, as: "kenji" });
    expect([mine.replayed, theirs.replayed]).toEqual([false, false]);
  });

  it("replays a final client error, and releases the key after a server-side failure", async () => {
    const key = randomUUID();
    const missing = await mutate("messaging.deadLetters.edit", { id: randomUUID(), payload: {} }, { key });
    expect(missing.status).toBe(404);
    const again = await mutate("messaging.deadLetters.edit", { id: randomUUID(), payload: {} }, { key });
    expect(again.status).toBe(422); // another id: another request
    const same = await mutate("messaging.deadLetters.edit", { id: "00000000-0000-4000-8000-000000000000", payload: {} }, { key: "k-404" });
    const sameAgain = await mutate("messaging.deadLetters.edit", { id: "00000000-0000-4000-8000-000000000000", payload: {} }, { key: "k-404" });
    expect([same.status, sameAgain.status, sameAgain.replayed]).toEqual([404, 404, true]);
  });

  it("a key past its expiry, or abandoned in flight, can be used again; maintenance deletes expired keys", async () => {
    const key = randomUUID();
    await mutate("messaging.outbox.retry", { service: "ai" }, { key });
    await app.db.portal.idempotencyKey.updateMany({ where: { key }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const fresh = await mutate("messaging.outbox.retry", { service: "ai" }, { key });
    expect(fresh.replayed).toBe(false);

    const stuck = randomUUID();
    await app.db.portal.idempotencyKey.create({
      data: {
        scope: "messaging.outbox.retry",
        principal: (await app.db.auth.user.findFirstOrThrow({ where: { email: "priya.raman@templator.dev" } })).id,
        key: stuck,
        fingerprint: (await import("./idempotency")).requestFingerprint("messaging.outbox.retry", { service: "ai" }),
        status: "in_flight",
        lockedUntil: new Date(Date.now() - 1000),
        expiresAt: new Date(Date.now() + 3_600_000),
      },
    });
    expect((await mutate("messaging.outbox.retry", { service: "ai" }, { key: stuck })).status).toBe(200);

    await app.db.portal.idempotencyKey.updateMany({ where: { key: stuck }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const report = await runMaintenance(app);
    expect(report.idempotencyKeysExpired).toBeGreaterThanOrEqual(1);
    expect(await app.db.portal.idempotencyKey.count({ where: { key: stuck } })).toBe(0);
  });

  it("refuses a malformed key", async () => {
    const r = await mutate("messaging.outbox.retry", { service: "ai" }, { key: "has space" });
    expect(r.status).toBe(400);
  });
});
