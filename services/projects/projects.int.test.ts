import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDevSessionToken, DEV_SESSION_COOKIE } from "@/server/auth/dev-session";
import { type MessagingRuntime, startMessaging } from "@/server/messaging/runtime";
import { handleRestRequest } from "@/server/rest/handler";
import { createTRPCContext } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { seedDemoIdentities } from "@/services/auth/seed";
import { markPublished } from "@/services/templates/templates";
import { createTestApp, eventually, type TestApp } from "@/tests/helpers/test-app";
import { messagingRegistry } from "@/workers/consumers";

let app: TestApp;
let runtime: MessagingRuntime;
const PEOPLE = {
  priya: "priya.raman@templator.dev",
  kenji: "kenji.watanabe@templator.dev",
  noah: "noah.berg@templator.dev",
  jonas: "jonas.meyer@templator.dev",
  amara: "amara.okafor@templator.dev",
} as const;
type Who = keyof typeof PEOPLE;
const cookies = {} as Record<Who, string>;
const ids = {} as Record<Who, string>;

type Body = Record<string, unknown> & { error?: { code: string; message: string; issues?: { path: string; message: string }[] } };
type Member = { userId: string; name: string; role: string };

async function rest(method: string, path: string, opts: { body?: unknown; as?: Who | null; headers?: Record<string, string> } = {}) {
  const headers = new Headers(opts.headers);
  const who = opts.as === undefined ? "priya" : opts.as;
  if (who) headers.set("cookie", cookies[who]);
  if (opts.body !== undefined) headers.set("content-type", "application/json");
  const res = await handleRestRequest(
    new Request(`http://127.0.0.1/api/v1${path}`, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) }),
    app,
  );
  return { status: res.status, body: (await res.json()) as Body };
}

const trpcAs = (who: Who) => createCaller(createTRPCContext({ app, headers: new Headers({ cookie: cookies[who] }), requestId: randomUUID() }));

async function newTemplate(slug: string) {
  const res = await rest("POST", "/templates", { body: { slug, title: `Template ${slug}`, body: "# {{title}}", variables: [{ name: "title" }] } });
  expect(res.status).toBe(201);
  return res.body as { id: string; slug: string };
}

async function newProject(name: string, templateId: string, as: Who = "priya", headers: Record<string, string> = {}) {
  const res = await rest("POST", "/projects", { body: { name, templateId }, as, headers });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; members: Member[]; revision: number };
}

beforeAll(async () => {
  app = await createTestApp({ env: { OUTBOX_POLL_MS: "100" } });
  await seedDemoIdentities(app.db.auth);
  const users = await app.db.auth.user.findMany();
  for (const [who, email] of Object.entries(PEOPLE) as [Who, string][]) {
    ids[who] = users.find((u) => u.email === email)!.id;
    cookies[who] = `${DEV_SESSION_COOKIE}=${createDevSessionToken(ids[who], app.config.sessionSecret)}`;
  }
  runtime = await startMessaging(app, messagingRegistry, { sweep: false });
});

afterAll(async () => {
  await runtime?.stop();
  await app.cleanup();
});

describe("creating projects from templates", () => {
  it("a project created over REST from a draft template reads the same over REST and tRPC, with its creator as owner", async () => {
    const t = await newTemplate("project-source");
    const created = await rest("POST", "/projects", { body: { name: "Checkout outage review", templateId: "project-source", description: "24 Nov" } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: "Checkout outage review",
      description: "24 Nov",
      templateId: t.id,
      templateSlug: "project-source",
      templateVersion: 1,
      status: "active",
      revision: 1,
      memberCount: 1,
      createdBy: ids.priya,
      archivedAt: null,
      members: [{ userId: ids.priya, name: "Priya Raman", email: PEOPLE.priya, role: "owner", addedBy: ids.priya }],
    });
    const id = created.body.id as string;
    const viaRest = await rest("GET", `/projects/${id}`);
    expect(viaRest.body).toEqual(JSON.parse(JSON.stringify(await trpcAs("priya").projects.get({ id }))));
    expect(viaRest.body).toEqual(created.body);

    const listRest = await rest("GET", `/projects?templateId=${t.id}`);
    const listTrpc = await trpcAs("jonas").projects.list({ templateId: t.id });
    expect(listRest.body).toEqual(JSON.parse(JSON.stringify(listTrpc)));
    expect(listTrpc.items.map((p) => p.id)).toEqual([id]);
  });

  it("uses a published template at its published version, even when a newer draft version exists", async () => {
    const t = await newTemplate("published-source");
    await markPublished(app.db.templates, t.id, 1, "priya");
    expect((await rest("PATCH", "/templates/published-source", { body: { body: "# {{title}}\n\nv2" } })).body).toMatchObject({ headVersion: 2 });
    const p = await newProject("From published", t.id);
    expect(p).toMatchObject({ templateVersion: 1 });
  });

  it("refuses a missing template (404) and a deprecated one (400) with reasons, bad input (400) and viewers (403)", async () => {
    const missing = await rest("POST", "/projects", { body: { name: "Nothing", templateId: "no-such-template" } });
    expect(missing.status).toBe(404);
    expect(missing.body.error!.message).toBe('no template "no-such-template"');
    const missingId = randomUUID();
    expect((await rest("POST", "/projects", { body: { name: "Nothing", templateId: missingId } })).body.error!.message).toBe(`no template "${missingId}"`);

    const t = await newTemplate("retired-source");
    await markPublished(app.db.templates, t.id, 1, "priya");
    expect((await rest("POST", "/templates/retired-source/deprecate", { body: { reason: "Replaced by incident-review" } })).status).toBe(200);
    const deprecated = await rest("POST", "/projects", { body: { name: "Too late", templateId: t.id } });
    expect(deprecated.status).toBe(400);
    expect(deprecated.body.error).toMatchObject({
      code: "BAD_REQUEST",
      message: 'template "retired-source" is deprecated (Replaced by incident-review); create the project from another template',
    });

    const invalid = await rest("POST", "/projects", { body: { name: "  ", templateId: "" } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error!.issues!.map((i) => i.path).sort()).toEqual(["name", "templateId"]);
    expect((await rest("POST", "/projects", { body: { name: "Viewer's", templateId: "project-source" }, as: "jonas" })).status).toBe(403);
    expect((await rest("GET", "/projects", { as: null })).status).toBe(401);
    expect((await rest("GET", `/projects/${randomUUID()}`)).status).toBe(404);
    expect(await app.db.projects.project.count({ where: { name: { in: ["Nothing", "Too late", "Viewer's"] } } })).toBe(0);
  });
});

describe("members", () => {
  it("owners add and remove members with roles; the last owner cannot be removed; members may leave", async () => {
    const t = await newTemplate("team-source");
    const p = await newProject("Team project", t.id);
    const path = `/projects/${p.id}/members`;

    const added = await rest("POST", path, { body: { userId: ids.kenji, role: "editor" } });
    expect(added.status).toBe(201);
    expect((added.body.members as Member[]).map((m) => [m.name, m.role])).toEqual([
      ["Priya Raman", "owner"],
      ["Kenji Watanabe", "editor"],
    ]);
    expect(added.body).toMatchObject({ memberCount: 2, revision: 2 });

    const again = await rest("POST", path, { body: { userId: ids.kenji, role: "owner" } });
    expect(again.status).toBe(409);
    expect(again.body.error!.message).toBe('Kenji Watanabe is already a member of project "Team project" as editor');
    const nobody = randomUUID();
    const unknown = await rest("POST", path, { body: { userId: nobody, role: "viewer" } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error!.message).toBe(`no user "${nobody}"`);
    expect((await rest("POST", path, { body: { userId: ids.priya, role: "owner" }, as: "kenji" })).status).toBe(403); // an editor is not an owner
    expect((await rest("POST", path, { body: { userId: ids.noah, role: "viewer" }, as: "noah" })).status).toBe(403); // nor is a stranger
    expect((await rest("POST", path, { body: { userId: ids.noah, role: "boss" } })).status).toBe(400);

    const lastOwner = await rest("DELETE", `${path}/${ids.priya}`);
    expect(lastOwner.status).toBe(409);
    expect(lastOwner.body.error!.message).toBe('Priya Raman is the last owner of project "Team project" and cannot be removed; add another owner first');

    // An admin who is not a member may manage the project.
    expect((await rest("POST", path, { body: { userId: ids.noah, role: "owner" }, as: "amara" })).status).toBe(201);
    const handedOver = await rest("DELETE", `${path}/${ids.priya}`);
    expect(handedOver.status).toBe(200);
    expect((handedOver.body.members as Member[]).map((m) => m.name)).toEqual(["Kenji Watanabe", "Noah Berg"]);
    expect((await rest("DELETE", `${path}/${ids.noah}`, { as: "noah" })).body.error!.message).toMatch(/Noah Berg is the last owner/);
    const left = await rest("DELETE", `${path}/${ids.kenji}`, { as: "kenji" });
    expect(left.status).toBe(200);
    expect(left.body).toMatchObject({ memberCount: 1, revision: 5 });
    expect((await rest("DELETE", `${path}/${ids.kenji}`, { as: "noah" })).status).toBe(404);

    const viaTrpc = await trpcAs("noah").projects.get({ id: p.id });
    expect(viaTrpc.members.map((m) => [m.userId, m.role])).toEqual([[ids.noah, "owner"]]);

    const events = await app.db.projects.outboxEvent.findMany({ where: { aggregateId: p.id }, orderBy: { seq: "asc" } });
    expect(events.map((e) => [e.eventType.split(".").pop(), e.aggregateVersion, (e.payload as { userId?: string }).userId ?? null])).toEqual([
      ["ProjectCreated", 1, null],
      ["ProjectMemberAdded", 2, ids.kenji],
      ["ProjectMemberAdded", 3, ids.noah],
      ["ProjectMemberRemoved", 4, ids.priya],
      ["ProjectMemberRemoved", 5, ids.kenji],
    ]);
    expect(events[4]!.payload).toMatchObject({ role: "editor", removedBy: ids.kenji, memberCount: 1 });
  });

  it("two owners removed at once never leave a project without one", async () => {
    const t = await newTemplate("race-source");
    const p = await newProject("Race", t.id);
    expect((await rest("POST", `/projects/${p.id}/members`, { body: { userId: ids.kenji, role: "owner" } })).status).toBe(201);
    const [a, b] = await Promise.all([rest("DELETE", `/projects/${p.id}/members/${ids.priya}`, { as: "amara" }), rest("DELETE", `/projects/${p.id}/members/${ids.kenji}`, { as: "amara" })]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    expect(await app.db.projects.projectMember.count({ where: { projectId: p.id, role: "owner" } })).toBe(1);
  });
});

describe("archiving and listing", () => {
  it("an archived project is kept, read-only", async () => {
    const t = await newTemplate("archive-source");
    const p = await newProject("To archive", t.id);
    expect((await rest("POST", `/projects/${p.id}/archive`, { body: { reason: "done" }, as: "kenji" })).status).toBe(403);
    const archived = await rest("POST", `/projects/${p.id}/archive`, { body: { reason: "done" } });
    expect(archived.status).toBe(200);
    expect(archived.body).toMatchObject({ status: "archived", revision: 2 });
    expect(archived.body.archivedAt).toBeTruthy();
    expect((await rest("POST", `/projects/${p.id}/archive`, { body: {} })).status).toBe(409);
    const frozen = await rest("POST", `/projects/${p.id}/members`, { body: { userId: ids.kenji, role: "viewer" } });
    expect(frozen.body.error!.message).toBe('project "To archive" is archived and can no longer change');
    const list = await rest("GET", `/projects?status=archived&templateId=${t.id}`);
    expect((list.body.items as { id: string }[]).map((x) => x.id)).toEqual([p.id]);
    const last = await app.db.projects.outboxEvent.findFirst({ where: { aggregateId: p.id }, orderBy: { seq: "desc" } });
    expect(last).toMatchObject({ eventType: "templator.events.v1.projects.ProjectArchived", aggregateVersion: 2, payload: { projectId: p.id, archivedBy: ids.priya, reason: "done" } });
  });

  it("pages newest first, and filters by member and words", async () => {
    const t = await newTemplate("paging-source");
    const made = [];
    for (const name of ["Paging one", "Paging two", "Paging three"]) made.push(await newProject(name, t.id, name === "Paging two" ? "kenji" : "priya"));
    const first = await rest("GET", `/projects?templateId=${t.id}&limit=2`);
    expect((first.body.items as { name: string }[]).map((p) => p.name)).toEqual(["Paging three", "Paging two"]);
    const second = await rest("GET", `/projects?templateId=${t.id}&limit=2&cursor=${first.body.nextCursor as string}`);
    expect((second.body.items as { name: string }[]).map((p) => p.name)).toEqual(["Paging one"]);
    expect(second.body.nextCursor).toBeNull();
    const kenjis = await trpcAs("priya").projects.list({ templateId: t.id, memberId: ids.kenji });
    expect(kenjis.items.map((p) => p.name)).toEqual(["Paging two"]);
    expect((await trpcAs("priya").projects.list({ q: "PAGING TH" })).items.map((p) => p.id)).toEqual([made[2]!.id]);
  });
});

describe("the project-from-a-template saga, seen by analytics", () => {
  it("ProjectCreated carries the request's correlation id into the event feed and the metrics", async () => {
    const t = await newTemplate("saga-source");
    const correlationId = `corr-${randomUUID()}`;
    const p = await newProject("Saga project", t.id, "priya", { "x-correlation-id": correlationId });
    const outbox = await app.db.projects.outboxEvent.findFirstOrThrow({ where: { aggregateId: p.id } });
    expect(outbox).toMatchObject({ correlationId, payload: { projectId: p.id, templateId: t.id, templateVersion: 1, templateSlug: "saga-source", name: "Saga project" } });

    // The whole choreographed chain under one correlation id: projects emits, ai generates the starter, analytics records.
    const timeline = await eventually(async () => {
      const res = await rest("GET", `/events?correlationId=${correlationId}`);
      const items = res.body.items as { eventType: string; aggregateId: string; correlationId: string; payload: Record<string, unknown> }[];
      return items.some((e) => e.eventType.endsWith(".PromptRunRecorded")) ? items : undefined;
    }, 20_000, "ProjectCreated and the starter's PromptRunRecorded in the feed");
    expect(timeline.find((e) => e.eventType.endsWith(".ProjectCreated"))).toMatchObject({ aggregateId: p.id, correlationId });
    expect(timeline.find((e) => e.eventType.endsWith(".PromptRunRecorded"))).toMatchObject({ correlationId, payload: expect.objectContaining({ projectId: p.id, outcome: "success" }) });

    const metrics = await eventually(async () => {
      const res = await rest("GET", `/metrics?templateId=${t.id}`);
      const usage = (res.body.totals as { usage: { projectsCreated: number; generations: number } }).usage;
      return usage.projectsCreated === 1 && usage.generations === 1 ? res.body : undefined;
    }, 15_000, "the project and its starter generation in the metrics");
    expect(metrics.byProject).toEqual([
      expect.objectContaining({ projectId: p.id, name: "Saga project", templateId: t.id, status: "active", members: 1, total: 2, usage: expect.objectContaining({ projectsCreated: 1, generations: 1 }) }),
    ]);
    expect(metrics.byTemplate).toEqual([expect.objectContaining({ templateId: t.id, name: "Template saga-source", status: "draft" })]);
  });

  it("without a correlation header, the request id correlates the events", async () => {
    const t = await newTemplate("request-id-source");
    const res = await handleRestRequest(
      new Request("http://127.0.0.1/api/v1/projects", {
        method: "POST",
        headers: { cookie: cookies.priya, "content-type": "application/json", "x-request-id": "req-project-1" },
        body: JSON.stringify({ name: "By request id", templateId: t.id }),
      }),
      app,
    );
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    expect(await app.db.projects.outboxEvent.findFirst({ where: { aggregateId: id } })).toMatchObject({ correlationId: "req-project-1" });
  });
});
