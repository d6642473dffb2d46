import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDevSessionToken, DEV_SESSION_COOKIE } from "@/server/auth/dev-session";
import { seedDemoIdentities } from "@/services/auth/seed";
import { createTestApp, type TestApp } from "@/tests/helpers/test-app";
import { BROWSER_SERVICE_NAME, handleBrowserSpans } from "./browser";
import { traceById } from "./query";
import { getTraceReceiver } from "./web";

/** POST /api/telemetry/browser: a signed-in page's spans are stored as switchyard-browser's, bad batches are refused. */

let app: TestApp;
let cookie = "";
let userId = "";

const hex = (n: number) => randomBytes(n).toString("hex");
const post = (body: unknown, headers: Record<string, string> = { cookie }) =>
  handleBrowserSpans(
    new Request("http://portal.test/api/telemetry/browser", {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
    app,
  );

beforeAll(async () => {
  app = await createTestApp();
  await seedDemoIdentities(app.db.auth);
  const user = (await app.db.auth.user.findMany())[0]!;
  userId = user.id;
  cookie = `${DEV_SESSION_COOKIE}=${createDevSessionToken(user.id, app.config.sessionSecret)}`;
});

afterAll(async () => {
  await getTraceReceiver(app).close();
  await app.cleanup();
});

describe("browser spans", () => {
  it("stores a signed-in page's span under switchyard-browser with the user, as the root of its trace", async () => {
    const traceId = hex(16);
    const spanId = hex(8);
    const start = Date.now() - 1000;
    const res = await post({
      page: { userAgent: "Mozilla/5.0 (test)" },
      spans: [
        {
          traceId,
          spanId,
          name: "POST /api/v1/templates",
          startMs: start + 0.25,
          endMs: start + 42.5,
          attributes: { "http.request.method": "POST", "url.path": "/api/v1/templates", "http.response.status_code": 201 },
        },
      ],
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 1 });
    let spans = await traceById(app.pool, traceId);
    for (let i = 0; i < 50 && spans.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      spans = await traceById(app.pool, traceId);
    }
    expect(spans).toHaveLength(1);
    const [span] = spans;
    expect(span).toMatchObject({ spanId, name: "POST /api/v1/templates", kind: 3 });
    expect(span!.parentSpanId ?? null).toBeNull();
    expect(JSON.stringify(span)).toContain(BROWSER_SERVICE_NAME);
    expect(JSON.stringify(span)).toContain(userId);
    expect(JSON.stringify(span)).toContain("/api/v1/templates");
  });

  it("refuses a page that is not signed in (401), a malformed batch (400 with the reason) and an oversized one (413)", async () => {
    const one = { traceId: hex(16), spanId: hex(8), name: "x", startMs: Date.now(), endMs: Date.now() };
    expect((await post({ spans: [one] }, {})).status).toBe(401);

    const notJson = await post("{nope");
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toEqual({ error: "the body is not JSON" });

    const bad = await post({ spans: [{ ...one, traceId: "XYZ", endMs: one.startMs - 5 }] });
    expect(bad.status).toBe(400);
    const badBody = (await bad.json()) as { issues: { path: string; message: string }[] };
    expect(badBody.issues.map((i) => i.path)).toContain("spans.0.traceId");
    expect(JSON.stringify(badBody)).toContain("endMs must not be before startMs");

    expect((await post({ spans: [] })).status).toBe(400);
    const huge = await post({ spans: [{ ...one, attributes: { blob: "x".repeat(300_000) } }] });
    expect(huge.status).toBe(413);
  });
});
