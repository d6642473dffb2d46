import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDevSessionToken, DEV_SESSION_COOKIE } from "@/server/auth/dev-session";
import { type MessagingRuntime, startMessaging } from "@/server/messaging/runtime";
import { handleRestRequest } from "@/server/rest/handler";
import { createTRPCContext } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { seedDemoIdentities } from "@/services/auth/seed";
import { createTestApp, eventually, type TestApp } from "@/tests/helpers/test-app";
import { messagingRegistry } from "@/workers/consumers";
import { markPublished } from "./templates";

let app: TestApp;
let runtime: MessagingRuntime;
const cookies: Record<string, string> = {};

type Rest = { status: number; body: Record<string, unknown> & { error?: { code: string; message: string; issues?: { path: string; message: string }[] } }; headers: Headers };

async function rest(method: string, path: string, opts: { body?: unknown; as?: "priya" | "jonas" | null; headers?: Record<string, string>; raw?: string } = {}): Promise<Rest> {
  const headers = new Headers(opts.headers);
  const who = opts.as === undefined ? "priya" : opts.as;
  if (who) headers.set("cookie", cookies[who]!);
  if (opts.body !== undefined) headers.set("content-type", "application/json");
  const res = await handleRestRequest(
    new Request(`http://127.0.0.1/api/v1${path}`, { method, headers, body: opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)) }),
    app,
  );
  return { status: res.status, body: (res.status === 204 ? {} : await res.json()) as Rest["body"], headers: res.headers };
}

function trpcAs(who: "priya" | "jonas") {
  return createCaller(createTRPCContext({ app, headers: new Headers({ cookie: cookies[who]! }), requestId: randomUUID() }));
}

const newTemplate = (slug: string) => ({
  slug,
  title: "Incident postmortem",
  description: "Blameless review of an incident",
  body: "# {{title}}\n\nImpact: {{impact}}\n\n{{> action-items}}",
  variables: [
    { name: "title", required: true, description: "Incident title" },
    { name: "impact", type: "text", required: true },
  ],
});

beforeAll(async () => {
  app = await createTestApp({ env: { OUTBOX_POLL_MS: "100" } });
  await seedDemoIdentities(app.db.auth);
  const users = await app.db.auth.user.findMany();
  for (const [who, email] of [["priya", "priya.raman@templator.dev"], ["jonas", "jonas.meyer@templator.dev"]] as const) {
    cookies[who] = `${DEV_SESSION_COOKIE}=${createDevSessionToken(users.find((u) => u.email === email)!.id, app.config.sessionSecret)}`;
  }
  const mod = await rest("POST", "/modules", {
    body: { slug: "action-items", title: "Action items", body: "## Action items\n\nOwner: {{owner}}", variables: [{ name: "owner", description: "Who follows up" }] },
  });
  expect(mod.status).toBe(201);
  runtime = await startMessaging(app, messagingRegistry, { sweep: false });
});

afterAll(async () => {
  await runtime?.stop();
  await app.cleanup();
});

describe("templates over REST and tRPC", () => {
  it("a template created over REST reads the same over REST and tRPC", async () => {
    const created = await rest("POST", "/templates", { body: newTemplate("postmortem-a") });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ slug: "postmortem-a", status: "draft", headVersion: 1, revision: 1, current: { modules: ["action-items"] } });
    const viaRest = await rest("GET", `/templates/${created.body.id as string}`);
    const viaTrpc = await trpcAs("priya").templates.get({ id: "postmortem-a" });
    expect(viaRest.status).toBe(200);
    expect(viaRest.body).toEqual(JSON.parse(JSON.stringify(viaTrpc)));
    expect(viaRest.body.current).toMatchObject({ variables: [{ name: "title", type: "string", required: true }, { name: "impact", type: "text" }] });

    const listRest = await rest("GET", "/templates?q=postmortem-a");
    const listTrpc = await trpcAs("priya").templates.list({ q: "postmortem-a" });
    expect(listRest.body).toEqual(JSON.parse(JSON.stringify(listTrpc)));
    expect(listRest.headers.get("x-request-id")).toBeTruthy();
  });

  it("pages through the list with query parameters read as numbers", async () => {
    for (const s of ["page-a", "page-b", "page-c"]) expect((await rest("POST", "/templates", { body: newTemplate(s) })).status).toBe(201);
    const first = await rest("GET", "/templates?q=page-&limit=2");
    expect((first.body.items as { slug: string }[]).map((t) => t.slug)).toEqual(["page-a", "page-b"]);
    expect(first.body.nextCursor).toBe("page-b");
    const second = await rest("GET", `/templates?q=page-&limit=2&cursor=page-b`);
    expect((second.body.items as { slug: string }[]).map((t) => t.slug)).toEqual(["page-c"]);
    expect(second.body.nextCursor).toBeNull();
  });

  it("refuses bad requests with a status and a reason, and keeps serving", async () => {
    const invalid = await rest("POST", "/templates", { body: { ...newTemplate("Bad Slug!"), title: "" } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error!.issues!.map((i) => i.path).sort()).toEqual(["slug", "title"]);

    const undeclared = await rest("POST", "/templates", { body: { ...newTemplate("undeclared"), body: "Hello {{name}} {{> no-such-module}}" } });
    expect(undeclared.status).toBe(400);
    expect(undeclared.body.error!.message).toBe("the body includes modules that do not exist: no-such-module");
    const undeclaredVar = await rest("POST", "/templates", { body: { ...newTemplate("undeclared"), body: "Hello {{name}}" } });
    expect(undeclaredVar.body.error!.message).toBe("the body uses variables that are not declared: name");

    expect((await rest("POST", "/templates", { body: newTemplate("postmortem-a") })).body.error).toMatchObject({ code: "CONFLICT", message: 'a template with slug "postmortem-a" already exists' });
    expect((await rest("GET", "/templates/no-such-template")).status).toBe(404);
    const wrongMethod = await rest("DELETE", "/templates");
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toBe("GET, POST");
    expect((await rest("GET", "/nothing-here")).status).toBe(404);
    expect((await rest("POST", "/templates", { raw: "{not json", headers: { "content-type": "application/json" } })).status).toBe(400);
    expect((await rest("POST", "/templates", { raw: "slug=x", headers: { "content-type": "application/x-www-form-urlencoded" } })).status).toBe(415);
    expect((await rest("POST", "/templates", { raw: "x".repeat(1024 * 1024 + 1), headers: { "content-type": "application/json" } })).status).toBe(413);
    expect((await rest("GET", "/templates", { as: null })).status).toBe(401);
    const viewer = await rest("POST", "/templates", { body: newTemplate("by-viewer"), as: "jonas" });
    expect(viewer.status).toBe(403);
    expect((await rest("GET", "/templates/postmortem-a", { as: "jonas" })).status).toBe(200);
  });
});

describe("template lifecycle and its events", () => {
  it("content changes make versions; metadata changes do not; a stale revision is refused", async () => {
    const t = (await rest("POST", "/templates", { body: newTemplate("lifecycle") })).body;
    const meta = await rest("PATCH", "/templates/lifecycle", { body: { title: "Incident review" } });
    expect(meta.body).toMatchObject({ title: "Incident review", headVersion: 1, revision: 2 });
    const content = await rest("PATCH", "/templates/lifecycle", { body: { body: "# {{title}}\n\nImpact: {{impact}}", expectedRevision: 2, changelog: "Drop action items" } });
    expect(content.body).toMatchObject({ headVersion: 2, revision: 3, current: { version: 2, modules: [], changelog: "Drop action items" } });
    expect((content.body.versions as unknown[]).length).toBe(2);
    const v1 = await rest("GET", "/templates/lifecycle?version=1");
    expect(v1.body.current).toMatchObject({ version: 1, modules: ["action-items"] });
    const stale = await rest("PATCH", "/templates/lifecycle", { body: { title: "Again", expectedRevision: 2 } });
    expect(stale.status).toBe(409);
    expect(stale.body.error!.message).toBe('template "lifecycle" is at revision 3, not 2; reload and retry');

    const events = await app.db.templates.outboxEvent.findMany({ where: { aggregateId: t.id as string }, orderBy: { seq: "asc" } });
    expect(events.map((e) => [e.eventType.split(".").pop(), e.aggregateVersion, (e.payload as { changedFields: string[] }).changedFields])).toEqual([
      ["TemplateUpdated", 1, ["created"]],
      ["TemplateUpdated", 2, ["title"]],
      ["TemplateUpdated", 3, ["body"]],
    ]);
  });

  it("only a published template is deprecated; the deprecation carries its sunset date", async () => {
    const t = (await rest("POST", "/templates", { body: newTemplate("to-retire") })).body;
    const early = await rest("POST", "/templates/to-retire/deprecate", { body: { reason: "Replaced by incident-review" } });
    expect(early.status).toBe(409);
    await markPublished(app.db.templates, t.id as string, 1, "priya");
    const sunset = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const dep = await rest("POST", "/templates/to-retire/deprecate", { body: { reason: "Replaced by incident-review", sunsetAt: sunset } });
    expect(dep.status).toBe(200);
    expect(dep.body).toMatchObject({ status: "deprecated", publishedVersion: 1, sunsetAt: sunset, deprecationReason: "Replaced by incident-review" });
    const frozen = await rest("PATCH", "/templates/to-retire", { body: { title: "x" } });
    expect(frozen.body.error!.message).toBe('template "to-retire" is deprecated and can no longer change');
  });

  it("every template event reaches the analytics event feed", async () => {
    const t = (await rest("POST", "/templates", { body: newTemplate("feed"), headers: { "x-correlation-id": "corr-feed" } })).body;
    await rest("PATCH", "/templates/feed", { body: { description: "changed" } });
    await markPublished(app.db.templates, t.id as string, 1, "priya", "corr-feed");
    await rest("POST", "/templates/feed/deprecate", { body: { reason: "Superseded" } });
    const feed = await eventually(async () => {
      const rows = await app.db.analytics.eventFeedEntry.findMany({ where: { aggregateId: t.id as string }, orderBy: { aggregateVersion: "asc" } });
      return rows.length === 4 ? rows : undefined;
    }, 15_000, "four feed entries");
    expect(feed.map((r) => r.eventType.split(".").pop())).toEqual(["TemplateUpdated", "TemplateUpdated", "TemplatePublished", "TemplateDeprecated"]);
    expect(feed[0]!.correlationId).toBe("corr-feed");
    expect(feed[3]!.payload).toMatchObject({ templateId: t.id, reason: "Superseded" });
  });
});
