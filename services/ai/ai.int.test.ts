import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDevSessionToken, DEV_SESSION_COOKIE } from "@/server/auth/dev-session";
import { appendToOutbox } from "@/server/messaging/outbox";
import { type MessagingRuntime, startMessaging } from "@/server/messaging/runtime";
import { handleRestRequest } from "@/server/rest/handler";
import { createTRPCContext } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { seedDemoIdentities } from "@/services/auth/seed";
import { createTestApp, eventually, type TestApp } from "@/tests/helpers/test-app";
import { messagingRegistry } from "@/workers/consumers";
import { postmortemBody, POSTMORTEM_VARS as GOOD_VARS } from "@/services/templates/samples";

let app: TestApp;
let runtime: MessagingRuntime;
const cookies: Record<string, string> = {};
type Who = "priya" | "jonas";
type Body = Record<string, unknown> & { error?: { code: string; message: string } };

async function rest(method: string, path: string, body?: unknown, opts: { as?: Who; headers?: Record<string, string> } = {}) {
  const headers = new Headers(opts.headers);
  headers.set("cookie", cookies[opts.as ?? "priya"]!);
  if (body !== undefined) headers.set("content-type", "application/json");
  const res = await handleRestRequest(new Request(`http://127.0.0.1/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }), app);
  return { status: res.status, body: (await res.json()) as Body };
}

const trpc = (who: Who = "priya") => createCaller(createTRPCContext({ app, headers: new Headers({ cookie: cookies[who]! }), requestId: randomUUID() }));
const json = (x: unknown) => JSON.parse(JSON.stringify(x)) as unknown;

const GOOD_BODY = postmortemBody({ followUp: "{{> action-items}}", timelineText: false });

beforeAll(async () => {
  app = await createTestApp({ env: { OUTBOX_POLL_MS: "100", AI_PRICE_PROMPT_PER_1K_USD: "0.5", AI_PRICE_COMPLETION_PER_1K_USD: "1.5" } });
  await seedDemoIdentities(app.db.auth);
  const users = await app.db.auth.user.findMany();
  for (const [who, email] of [["priya", "priya.raman@templator.dev"], ["jonas", "jonas.meyer@templator.dev"]] as const) {
    cookies[who] = `${DEV_SESSION_COOKIE}=${createDevSessionToken(users.find((u) => u.email === email)!.id, app.config.sessionSecret)}`;
  }
  const mod = await rest("POST", "/modules", {
    slug: "action-items",
    title: "Action items",
    body: "Every action item has an owner ({{owner}}) and a due date.",
    variables: [{ name: "owner", description: "Who follows up" }],
  });
  expect(mod.status).toBe(201);
  runtime = await startMessaging(app, messagingRegistry, { sweep: false });
});

afterAll(async () => {
  await runtime?.stop();
  await app?.cleanup();
});

describe("ai.analyze", () => {
  it("answers the same over REST and tRPC, judges a realistic bad template and scores a good one higher", async () => {
    const good = { body: GOOD_BODY.replace("## Timeline\n", "## Timeline\nEvents in order, times in UTC.\n"), variables: GOOD_VARS };
    const viaRest = await rest("POST", "/ai/analyze", good, { as: "jonas" });
    expect(viaRest.status).toBe(200);
    expect(viaRest.body).toEqual(await trpc("jonas").ai.analyze(good));
    expect(viaRest.body).toMatchObject({ problems: [], qualityScore: 100, structure: { sections: 5, modules: ["action-items"] } });

    const bad = {
      body: "## Summary\nOn {{dat}} the {service} was down.\n\n## Timeline\n\n## Follow-up\n{{> follow-ups}}\nTODO",
      variables: [{ name: "date" }, { name: "service", description: "Affected service" }],
    };
    const judged = (await rest("POST", "/ai/analyze", bad)).body as { problems: { code: string; severity: string }[]; qualityScore: number };
    expect(judged.problems.map((p) => `${p.severity}:${p.code}`)).toEqual([
      "error:undeclared-variable",
      "error:unknown-module", // looked up through the templates service: there is no module "follow-ups"
      "warning:placeholder-typo",
      "warning:empty-section",
      "warning:unfinished-text",
      "warning:unused-variable",
      "warning:unused-variable",
      "warning:missing-title",
      "warning:too-short",
      "info:undocumented-variable",
    ]);
    expect(judged.qualityScore).toBe(0);
  });

  it("uses the template's declared variables when given its id, and module variables count as declared", async () => {
    const t = await rest("POST", "/templates", { slug: "analyzed", title: "Analyzed", body: GOOD_BODY, variables: GOOD_VARS });
    expect(t.status).toBe(201);
    const a = await rest("POST", "/ai/analyze", { templateId: t.body.id, body: `${GOOD_BODY}\n\nOwner: {{owner}}` });
    expect((a.body.problems as { code: string }[]).map((p) => p.code)).toEqual(["empty-section"]);
    expect(a.body.variables).toContainEqual({ name: "owner", declared: true, used: true });
    expect((await rest("POST", "/ai/analyze", { templateId: randomUUID(), body: "x" })).status).toBe(404);
  });
});

describe("ai.generate with the local provider", () => {
  it("fills a template, records the run with its cost, and PromptRunRecorded reaches the analytics feed", async () => {
    const t = (await rest("POST", "/templates", { slug: "gen-postmortem", title: "Postmortem", body: GOOD_BODY, variables: GOOD_VARS })).body;
    const inputs = { title: "Checkout outage", date: "2026-11-02", service: "checkout", impact: "EU customers could not pay for 40 minutes." };
    const res = await rest("POST", "/ai/generate", { templateId: t.id, inputs }, { headers: { "x-correlation-id": "corr-generate-1" } });
    expect(res.status).toBe(200);
    const run = res.body.run as Record<string, unknown> & { id: string; promptTokens: number; completionTokens: number; costUsd: number };
    expect(run).toMatchObject({
      purpose: "generate",
      provider: "local",
      model: "local-draft-1",
      templateId: t.id,
      templateVersion: 1,
      outcome: "success",
      errorCode: null,
      correlationId: "corr-generate-1",
    });
    expect(run.costUsd).toBeCloseTo((run.promptTokens / 1000) * 0.5 + (run.completionTokens / 1000) * 1.5, 6);
    const text = res.body.text as string;
    expect(text).toContain("# Incident postmortem: Checkout outage");
    expect(text).toContain("EU customers could not pay for 40 minutes.");
    // The module was included, and its variable had no input.
    expect(text).toContain("Every action item has an owner (_(owner: to be decided)_)");
    expect(text).toContain("## Timeline\n\n_Timeline: to be decided._");
    expect(res.body.missingInputs).toEqual(["owner"]);

    expect((await rest("GET", `/ai/runs/${run.id}`)).body).toEqual(json(await trpc("jonas").ai.runs.get({ id: run.id })));
    expect((await rest("GET", `/ai/runs?templateId=${t.id as string}`)).body).toEqual(json(await trpc().ai.runs.list({ templateId: t.id as string })));

    const feed = await eventually(() => app.db.analytics.eventFeedEntry.findFirst({ where: { aggregateId: run.id } }), 15_000, "the feed entry");
    expect(feed).toMatchObject({ eventType: "templator.events.v1.ai.PromptRunRecorded", service: "ai", correlationId: "corr-generate-1" });
    expect(feed.payload).toMatchObject({ runId: run.id, templateId: t.id, provider: "local", outcome: "success", promptTokens: run.promptTokens });
  });

  it("takes a body with variables; refuses missing required inputs, viewers, and both or neither source", async () => {
    const viaTrpc = await trpc().ai.generate({ body: "# Note for {{who}}\n\n## Details\n", variables: [{ name: "who" }], inputs: { who: "Ana", details: "Bring the laptop." } });
    expect(viaTrpc.text).toBe("# Note for Ana\n\n## Details\n\nDetails: Bring the laptop.");
    expect(viaTrpc.run).toMatchObject({ templateId: null, outcome: "success" });
    const missing = await rest("POST", "/ai/generate", { body: "Hi {{who}}", variables: [{ name: "who", required: true }] });
    expect([missing.status, missing.body.error!.message]).toEqual([400, "missing inputs for required variables: who"]);
    expect((await rest("POST", "/ai/generate", { body: "Hi", inputs: {} }, { as: "jonas" })).status).toBe(403);
    expect((await rest("POST", "/ai/generate", { inputs: {} })).status).toBe(400);
    expect((await rest("POST", "/ai/generate", { templateId: randomUUID(), inputs: {} })).status).toBe(404);
  });
});

describe("retrieval over templates (TemplateUpdated end to end)", () => {
  it("a template created through the templates REST API becomes retrievable; a change is re-indexed; a stale event changes nothing", async () => {
    const t = (
      await rest("POST", "/templates", {
        slug: "canary-release",
        title: "Canary release checklist",
        body: "# Canary release for {{service}}\n\n## Rollout\nShift five percent of traffic to the canary and compare error budgets for thirty minutes before widening.",
        variables: [{ name: "service", description: "Service being released" }],
      })
    ).body;
    const ask = (question: string) => rest("POST", "/ai/rag/query", { question, limit: 3 });
    const hit = await eventually(async () => {
      const r = await ask("how much traffic goes to the canary");
      return (r.body.citations as { sourceId: string }[]).some((c) => c.sourceId === t.id) ? r.body : undefined;
    }, 15_000, "the template in retrieval");
    expect((hit.citations as unknown[])[0]).toMatchObject({ n: 1, sourceType: "template", sourceId: t.id, title: "Canary release checklist" });
    expect(hit.answer).toBe("Shift five percent of traffic to the canary and compare error budgets for thirty minutes before widening. [1]");
    expect((await ask("how much traffic goes to the canary")).body).toEqual(await trpc("jonas").ai.rag.query({ question: "how much traffic goes to the canary", limit: 3 }));

    await rest("PATCH", "/templates/canary-release", { body: "# Canary release for {{service}}\n\n## Rollout\nStart with a single availability zone, then roll forward region by region." });
    await rest("PATCH", "/templates/canary-release", { description: "Zone by zone" });
    await eventually(async () => {
      const doc = await app.db.ai.ragDocument.findUnique({ where: { sourceType_sourceId: { sourceType: "template", sourceId: t.id as string } } });
      return doc?.sourceVersion === 3 ? doc : undefined;
    }, 15_000, "re-indexing at revision 3");
    const zone = await ask("availability zone rollout");
    expect((zone.body.citations as { sourceId: string; passage: string }[])[0]).toMatchObject({ sourceId: t.id });
    expect((zone.body.citations as { passage: string }[])[0]!.passage).toContain("Zone by zone");
    expect(((await ask("five percent of traffic")).body.citations as { sourceId: string }[]).some((c) => c.sourceId === t.id)).toBe(false);

    // A late copy of an old event is stale: consumed, and the index keeps revision 3.
    const [old] = await app.db.templates.$transaction((tx) =>
      appendToOutbox(tx as never, "templates", [
        { eventType: "templator.events.v1.templates.TemplateUpdated", aggregateId: t.id as string, aggregateVersion: 1, payload: { templateId: t.id, version: 1, title: "Canary release checklist", changedFields: ["created"] } },
      ]),
    );
    await eventually(() => app.db.ai.inboxEntry.findFirst({ where: { consumer: "ai.template-indexer", eventId: old!.eventId } }), 15_000, "the stale event consumed");
    const doc = await app.db.ai.ragDocument.findUniqueOrThrow({ where: { sourceType_sourceId: { sourceType: "template", sourceId: t.id as string } } });
    expect(doc).toMatchObject({ sourceVersion: 3, status: "indexed" });
  });

  it("asks questions in web-search syntax as written, and says when nothing matches", async () => {
    const none = await rest("POST", "/ai/rag/query", { question: "quantum entanglement of penguins" });
    expect(none.body).toEqual({ question: "quantum entanglement of penguins", answer: "Nothing in the indexed templates and assets matches this question.", citations: [] });
    const phrase = await rest("POST", "/ai/rag/query", { question: '"canary release" -penguins' });
    expect((phrase.body.citations as { title: string }[]).map((c) => c.title)).toContain("Canary release checklist");
  });
});

describe("the saga: projects -> ai -> analytics", () => {
  const projectCreated = (projectId: string, templateId: string, correlationId: string) =>
    app.db.projects.$transaction((tx) =>
      appendToOutbox(tx as never, "projects", [
        {
          eventType: "templator.events.v1.projects.ProjectCreated",
          aggregateId: projectId,
          aggregateVersion: 1,
          correlationId,
          payload: { projectId, templateId, name: "Payments API", createdBy: "user-1" },
        },
      ]),
    );

  it("ProjectCreated makes starter content from the template, recorded under the same correlation id", async () => {
    const t = (
      await rest("POST", "/templates", {
        slug: "service-readme",
        title: "Service README",
        body: "# {{service_name}}\n\n## Purpose\n{{purpose}}\n\n## On-call\nThe owning team answers pages within fifteen minutes.",
        variables: [
          { name: "service_name", description: "The service" },
          { name: "purpose", description: "What it is for" },
        ],
      })
    ).body;
    const projectId = randomUUID();
    await projectCreated(projectId, t.id as string, "corr-project-1");
    const starter = await eventually(() => app.db.ai.projectStarter.findUnique({ where: { projectId } }), 15_000, "the starter content");
    expect(starter).toMatchObject({ templateId: t.id, templateVersion: 1, outcome: "success", correlationId: "corr-project-1" });
    expect(starter.content).toBe("# Payments API\n\n## Purpose\n_(purpose: to be decided)_\n\n## On-call\nThe owning team answers pages within fifteen minutes.");
    const run = await app.db.ai.promptRun.findUniqueOrThrow({ where: { id: starter.runId } });
    expect(run).toMatchObject({ purpose: "project-starter", projectId, templateId: t.id, correlationId: "corr-project-1", requestedBy: "user-1", outcome: "success" });

    const viaRest = await rest("GET", `/ai/projects/${projectId}/starter`);
    expect(viaRest.body).toEqual(json(await trpc("jonas").ai.starters.get({ projectId })));
    const feed = await eventually(
      () => app.db.analytics.eventFeedEntry.findFirst({ where: { eventType: "templator.events.v1.ai.PromptRunRecorded", aggregateId: starter.runId } }),
      15_000,
      "PromptRunRecorded in the feed",
    );
    expect(feed.correlationId).toBe("corr-project-1");
    expect(feed.payload).toMatchObject({ projectId, templateId: t.id, purpose: "project-starter", outcome: "success" });
    expect((await rest("GET", `/ai/projects/${randomUUID()}/starter`)).status).toBe(404);
  });

  it("a ProjectCreated naming a template that does not exist becomes a dead letter", async () => {
    const [e] = await projectCreated(randomUUID(), randomUUID(), "corr-project-2");
    const dl = await eventually(() => app.db.messaging.deadLetter.findFirst({ where: { eventId: e!.eventId, consumer: "ai.project-starter" } }), 15_000, "the dead letter");
    expect(dl).toMatchObject({ unrecoverable: true, attempts: 1 });
    expect(dl.errorMessage).toMatch(/names template .* which does not exist/);
  });
});
