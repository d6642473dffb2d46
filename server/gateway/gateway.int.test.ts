import { context, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDevSessionToken, DEV_SESSION_COOKIE } from "@/server/auth/dev-session";
import { handleDevLogin } from "@/server/auth/dev-login";
import { seedDemoIdentities } from "@/services/auth/seed";
import { syncCatalog } from "@/services/catalog/sync";
import { fakeClerkIssuer } from "@/tests/helpers/clerk-token";
import { createTestApp, ROOT, type TestApp } from "@/tests/helpers/test-app";
import { handleTrpcRequest } from "./http";

const spans = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });

let app: TestApp;
let users: Map<string, string>;

type Call = { status: number; body: Record<string, unknown>; headers: Headers };

/** One tRPC call over HTTP through the gateway (the same handler /api/trpc uses). */
async function call(target: TestApp, path: string, opts: { input?: unknown; cookie?: string; headers?: Record<string, string>; mutation?: boolean } = {}): Promise<Call> {
  const headers = new Headers(opts.headers);
  if (opts.cookie) headers.set("cookie", opts.cookie);
  const url = new URL(`http://127.0.0.1/api/trpc/${path}`);
  let req: Request;
  if (opts.mutation) {
    headers.set("content-type", "application/json");
    req = new Request(url, { method: "POST", headers, body: JSON.stringify({ json: opts.input ?? null }) });
  } else {
    if (opts.input !== undefined) url.searchParams.set("input", JSON.stringify({ json: opts.input }));
    req = new Request(url, { headers });
  }
  const res = await handleTrpcRequest(req, target);
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
}

const data = (c: Call) => (c.body.result as { data: { json: unknown } }).data.json;
const error = (c: Call) => (c.body.error as { json: { message: string; data: { code: string; zodError: unknown } } }).json;
const sessionFor = (email: string) => `${DEV_SESSION_COOKIE}=${createDevSessionToken(users.get(email)!, app.config.sessionSecret)}`;

beforeAll(async () => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(provider);
  app = await createTestApp();
  await seedDemoIdentities(app.db.auth);
  await syncCatalog(app.db.catalog, { rootDir: ROOT, trigger: "manual" });
  users = new Map((await app.db.auth.user.findMany()).map((u) => [u.email, u.id]));
});

afterAll(async () => {
  await app.cleanup();
  await provider.shutdown();
  trace.disable();
  context.disable();
});

describe("the gateway", () => {
  it("refuses anonymous callers with 401 and a reason", async () => {
    const res = await call(app, "catalog.list", { input: {} });
    expect(res.status).toBe(401);
    expect(error(res).message).toBe("sign in first");
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("serves a signed-in user through tRPC, logging the call with trace, span and request ids", async () => {
    const res = await call(app, "catalog.list", { input: {}, cookie: sessionFor("priya.raman@templator.dev"), headers: { "x-request-id": "req-abc-123" } });
    expect(res.status).toBe(200);
    const services = data(res) as { name: string; ownerTeam: string }[];
    expect(services.map((s) => s.name)).toEqual(["ai", "analytics", "assets", "auth", "projects", "templates"]);
    expect(services.find((s) => s.name === "ai")?.ownerTeam).toBe("Applied AI");
    expect(res.headers.get("x-request-id")).toBe("req-abc-123");

    const span = spans.getFinishedSpans().find((s) => s.name === "trpc catalog.list" && s.attributes["switchyard.request_id"] === "req-abc-123");
    expect(span?.attributes["rpc.system"]).toBe("trpc");
    const line = app.logs.lines.find((l) => l.msg === "procedure ok" && l.requestId === "req-abc-123");
    expect(line).toMatchObject({
      procedure: "catalog.list",
      principal: users.get("priya.raman@templator.dev"),
      traceId: span?.spanContext().traceId,
      spanId: span?.spanContext().spanId,
    });
  });

  it("replaces a malformed x-request-id instead of logging it", async () => {
    const res = await call(app, "auth.me", { headers: { "x-request-id": "bad id\n" } });
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("answers invalid input with 400 and the field that is wrong", async () => {
    const res = await call(app, "catalog.get", { input: { name: "not a name!" }, cookie: sessionFor("priya.raman@templator.dev") });
    expect(res.status).toBe(400);
    expect(JSON.stringify(error(res).data.zodError)).toContain("name");
  });

  it("answers an unknown service with 404", async () => {
    const res = await call(app, "catalog.get", { input: { name: "billing" }, cookie: sessionFor("priya.raman@templator.dev") });
    expect(res.status).toBe(404);
    expect(error(res).message).toBe('no service named "billing" in the catalog');
  });

  it("shows a service with its owner team and on-call from the auth service", async () => {
    const res = await call(app, "catalog.get", { input: { name: "ai" }, cookie: sessionFor("jonas.meyer@templator.dev") });
    const ai = data(res) as { ownerTeam: { name: string; onCall: string; members: { name: string }[] } };
    expect(ai.ownerTeam.name).toBe("Applied AI");
    expect(ai.ownerTeam.onCall).toBe("ai-primary@templator.dev");
    expect(ai.ownerTeam.members.map((m) => m.name)).toEqual(["Mateo Alvarez", "Lena Fischer"]);
  });

  it("lets engineers queue a catalog sync and refuses viewers with 403", async () => {
    const viewer = await call(app, "catalog.refresh", { mutation: true, cookie: sessionFor("jonas.meyer@templator.dev") });
    expect(viewer.status).toBe(403);
    expect(error(viewer).message).toBe("needs the engineer role");
    const engineer = await call(app, "catalog.refresh", { mutation: true, cookie: sessionFor("priya.raman@templator.dev") });
    expect(engineer.status).toBe(200);
    const { jobId } = data(engineer) as { jobId: string };
    const job = await app.queues.queue("catalog").getJob(jobId);
    expect(job?.data).toEqual({ trigger: "manual", requestedBy: users.get("priya.raman@templator.dev") });
  });

  it("ignores a session cookie signed with another secret", async () => {
    const forged = `${DEV_SESSION_COOKIE}=${createDevSessionToken(users.get("amara.okafor@templator.dev")!, "some-other-secret-123")}`;
    expect((await call(app, "auth.whoami", { cookie: forged })).status).toBe(401);
  });
});

describe("the local development login", () => {
  it("signs in a seeded user with a session cookie and redirects to the page asked for", async () => {
    const form = new FormData();
    form.set("userId", users.get("kenji.watanabe@templator.dev")!);
    form.set("next", "/catalog/projects");
    const res = await handleDevLogin(new Request("http://127.0.0.1/api/auth/dev-login", { method: "POST", body: form }), app);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/catalog/projects");
    const cookie = res.headers.get("set-cookie")!;
    expect(cookie).toMatch(/HttpOnly; SameSite=Lax/);
    const me = await call(app, "auth.whoami", { cookie: cookie.split(";")[0] });
    expect(data(me)).toMatchObject({ name: "Kenji Watanabe", roles: ["engineer"], source: "dev" });
  });

  it("says which user id is unknown", async () => {
    const res = await handleDevLogin(
      new Request("http://127.0.0.1/api/auth/dev-login", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ userId: "nope" }) }),
      app,
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'no user with id "nope"' });
  });

  it("is refused in production unless enabled, and its cookies stop working", async () => {
    const prod = await createTestApp({ db: { url: app.databaseUrl }, env: { NODE_ENV: "production" } });
    try {
      const form = new FormData();
      form.set("userId", users.get("kenji.watanabe@templator.dev")!);
      const res = await handleDevLogin(new Request("http://127.0.0.1/api/auth/dev-login", { method: "POST", body: form }), prod);
      expect(res.status).toBe(403);
      const cookie = `${DEV_SESSION_COOKIE}=${createDevSessionToken(users.get("kenji.watanabe@templator.dev")!, prod.config.sessionSecret)}`;
      expect((await call(prod, "auth.whoami", { cookie })).status).toBe(401);
    } finally {
      await prod.close();
    }
  });
});

describe("Clerk sessions, verified without network (Clerk itself faked by a local key pair)", () => {
  const clerk = fakeClerkIssuer();
  let clerkApp: TestApp;

  beforeAll(async () => {
    clerkApp = await createTestApp({
      db: { url: app.databaseUrl },
      env: {
        CLERK_PUBLISHABLE_KEY: clerk.publishableKey,
        CLERK_SECRET_KEY: clerk.secretKey,
        CLERK_JWT_KEY: clerk.jwtKey,
        CLERK_AUTHORIZED_PARTIES: "http://127.0.0.1:3000",
        DEV_LOGIN: "false",
      },
    });
    await app.db.auth.user.update({ where: { email: "sofia.novak@templator.dev" }, data: { clerkUserId: "user_2sofia" } });
  });

  afterAll(() => clerkApp.close());

  it("maps a valid session token to the linked Switchyard user, from a cookie or a bearer header", async () => {
    const token = clerk.token("user_2sofia", { azp: "http://127.0.0.1:3000" });
    const viaCookie = await call(clerkApp, "auth.whoami", { cookie: `__session=${token}` });
    expect(data(viaCookie)).toMatchObject({ name: "Sofia Novak", roles: ["engineer"], source: "clerk" });
    const viaBearer = await call(clerkApp, "auth.whoami", { headers: { authorization: `Bearer ${token}` } });
    expect(data(viaBearer)).toMatchObject({ name: "Sofia Novak" });
  });

  it("lets an unknown Clerk user read as a viewer, not change anything", async () => {
    const token = clerk.token("user_stranger", { azp: "http://127.0.0.1:3000" });
    expect(data(await call(clerkApp, "auth.whoami", { cookie: `__session=${token}` }))).toMatchObject({ roles: ["viewer"], source: "clerk" });
    expect((await call(clerkApp, "catalog.refresh", { mutation: true, cookie: `__session=${token}` })).status).toBe(403);
  });

  it("rejects expired tokens, other signers, other parties, and dev cookies when the dev login is off", async () => {
    const expired = clerk.token("user_2sofia", { azp: "http://127.0.0.1:3000" }, 60, Math.floor(Date.now() / 1000) - 3600);
    const foreign = fakeClerkIssuer().token("user_2sofia", { azp: "http://127.0.0.1:3000" });
    const otherParty = clerk.token("user_2sofia", { azp: "https://evil.example" });
    for (const token of [expired, foreign, otherParty]) {
      expect((await call(clerkApp, "auth.whoami", { cookie: `__session=${token}` })).status).toBe(401);
    }
    const dev = `${DEV_SESSION_COOKIE}=${createDevSessionToken(users.get("sofia.novak@templator.dev")!, clerkApp.config.sessionSecret)}`;
    expect((await call(clerkApp, "auth.whoami", { cookie: dev })).status).toBe(401);
  });
});
