import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDevSessionToken, DEV_SESSION_COOKIE } from "@/server/auth/dev-session";
import { handleRestRequest } from "@/server/rest/handler";
import { createTRPCContext } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { seedDemoIdentities } from "@/services/auth/seed";
import { createTestApp, eventually, type TestApp } from "@/tests/helpers/test-app";
import { startWorkerRuntime, type WorkerRuntime } from "@/workers/runtime";
import { POSTMORTEM_BODY as GOOD_BODY, POSTMORTEM_VARS as GOOD_VARS } from "./samples";

let app: TestApp;
let worker: WorkerRuntime;
let cookie: string;

async function rest(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await handleRestRequest(
    new Request(`http://127.0.0.1/api/v1${path}`, {
      method,
      headers: { cookie, ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
    app,
  );
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { error?: { message: string } } };
}

const caller = () => createCaller(createTRPCContext({ app, headers: new Headers({ cookie }), requestId: randomUUID() }));

async function sagaDone(id: string) {
  return eventually(async () => {
    const t = await caller().sagas.get({ id });
    return ["completed", "compensated", "failed"].includes(t.status) ? t : undefined;
  }, 30_000, `saga ${id}`);
}

beforeAll(async () => {
  app = await createTestApp({ env: { OUTBOX_POLL_MS: "100" } });
  await seedDemoIdentities(app.db.auth);
  const priya = await app.db.auth.user.findFirstOrThrow({ where: { email: "priya.raman@templator.dev" } });
  cookie = `${DEV_SESSION_COOKIE}=${createDevSessionToken(priya.id, app.config.sessionSecret)}`;
  worker = await startWorkerRuntime(app);
});

afterAll(async () => {
  await worker?.stop();
  await app.cleanup();
});

describe("the publication saga (templates -> ai quality gate -> assets check -> templates)", () => {
  it("publishes a good template and records every step on its timeline", async () => {
    const t = (await rest("POST", "/templates", { slug: "good-postmortem", title: "Postmortem", body: GOOD_BODY, variables: GOOD_VARS })).body;
    const started = await rest("POST", "/templates/good-postmortem/publish", {}, { "x-correlation-id": "corr-publish-ok" });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ templateId: t.id, version: 1 });
    const again = await rest("POST", "/templates/good-postmortem/publish", {});
    expect(again.status).toBe(409);
    expect(again.body.error!.message).toMatch(/already (in progress|being reviewed)/);

    const run = await sagaDone(started.body.sagaId as string);
    expect(run).toMatchObject({ status: "completed", saga: "templates.publish", subject: t.id, correlationId: "corr-publish-ok" });
    expect(run.steps.map((s) => [s.name, s.service, s.phase, s.status])).toEqual([
      ["request-publication", "templates", "forward", "succeeded"],
      ["quality-gate", "ai", "forward", "succeeded"],
      ["check-assets", "assets", "forward", "succeeded"],
      ["publish", "templates", "forward", "succeeded"],
    ]);
    expect((run.data as { qualityScore: number }).qualityScore).toBeGreaterThanOrEqual(60);
    expect((await rest("GET", "/templates/good-postmortem")).body).toMatchObject({ status: "published", publishedVersion: 1 });
    const published = await eventually(
      () => app.db.analytics.eventFeedEntry.findFirst({ where: { aggregateId: t.id as string, eventType: { endsWith: ".TemplatePublished" } } }),
      15_000,
      "TemplatePublished in the feed",
    );
    expect(published.correlationId).toBe("corr-publish-ok");
  });

  it("a template that fails the quality gate goes back to draft with a rejection event", async () => {
    const t = (await rest("POST", "/templates", { slug: "sloppy", title: "Sloppy", body: "todo {{x}}", variables: [{ name: "x" }, { name: "unused" }] })).body;
    const started = await rest("POST", "/templates/sloppy/publish", {});
    const run = await sagaDone(started.body.sagaId as string);
    expect(run.status).toBe("compensated");
    expect(run.error).toMatch(/^quality-gate: quality score \d+ \(gate 60\)/);
    expect(run.steps.map((s) => [s.name, s.phase, s.status])).toEqual([
      ["request-publication", "forward", "succeeded"],
      ["quality-gate", "forward", "failed"],
      ["request-publication", "compensate", "succeeded"],
    ]);
    expect(run.plan.map((p) => [p.name, p.reached])).toEqual([
      ["request-publication", true],
      ["quality-gate", true],
      ["check-assets", false],
      ["publish", false],
    ]);
    expect((await rest("GET", "/templates/sloppy")).body.status).toBe("draft");
    const rejected = await app.db.templates.outboxEvent.findFirstOrThrow({ where: { aggregateId: t.id as string, eventType: { endsWith: ".TemplatePublicationRejected" } } });
    expect((rejected.payload as { reason: string }).reason).toMatch(/quality score/);
  });

  it("a template referencing assets that do not exist is turned down by the asset check", async () => {
    const missing = randomUUID();
    await rest("POST", "/templates", { slug: "with-assets", title: "With assets", body: GOOD_BODY, variables: GOOD_VARS, assetIds: [missing] });
    const started = await rest("POST", "/templates/with-assets/publish", {});
    const run = await sagaDone(started.body.sagaId as string);
    expect(run.status).toBe("compensated");
    expect(run.error).toBe(`check-assets: referenced assets do not exist: ${missing}`);
    expect(run.steps.filter((s) => s.phase === "compensate").map((s) => [s.name, s.status])).toEqual([
      ["quality-gate", "skipped"],
      ["request-publication", "succeeded"],
    ]);
    expect((await rest("GET", "/templates/with-assets")).body.status).toBe("draft");
  });

  it("people cannot call the saga's own steps", async () => {
    await expect(caller().templates.publication.begin({ id: randomUUID(), version: 1 })).rejects.toThrow("only services may call this");
  });
});
