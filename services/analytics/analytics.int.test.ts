import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDevSessionToken, DEV_SESSION_COOKIE } from "@/server/auth/dev-session";
import type { Envelope, NewEvent, ServiceName } from "@/server/messaging/envelope";
import { appendToOutbox } from "@/server/messaging/outbox";
import { consumerQueue } from "@/server/messaging/registry";
import { type MessagingRuntime, startMessaging } from "@/server/messaging/runtime";
import { handleRestRequest } from "@/server/rest/handler";
import { createTRPCContext } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { seedDemoIdentities } from "@/services/auth/seed";
import { createTestApp, eventually, type TestApp } from "@/tests/helpers/test-app";
import { messagingRegistry } from "@/workers/consumers";
import { handlers } from "@/workers/handlers";
import { enqueueJob, jobs } from "@/workers/jobs";
import { startWorkerRuntime, type WorkerRuntime } from "@/workers/runtime";
import { METRIC_EVENT_TYPES as E } from "./metrics/fold";
import { handleReportCsvRequest } from "./reports/download";
import { REPORT_CSV_HEADER } from "./reports/csv";
import { REPORT_METRICS } from "./reports/rows";
import { runScheduledReport } from "./reports/reports";

let app: TestApp;
let runtime: MessagingRuntime;
let worker: WorkerRuntime;
const cookies: Record<"yara" | "jonas", string> = { yara: "", jonas: "" };

type Body = Record<string, unknown> & { error?: { code: string; message: string } };

async function rest(method: string, path: string, opts: { body?: unknown; as?: "yara" | "jonas" | null; headers?: Record<string, string> } = {}) {
  const headers = new Headers(opts.headers);
  const who = opts.as === undefined ? "yara" : opts.as;
  if (who) headers.set("cookie", cookies[who]);
  if (opts.body !== undefined) headers.set("content-type", "application/json");
  const res = await handleRestRequest(
    new Request(`http://127.0.0.1/api/v1${path}`, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) }),
    app,
  );
  return { status: res.status, body: (await res.json()) as Body };
}

const trpc = () => createCaller(createTRPCContext({ app, headers: new Headers({ cookie: cookies.yara }), requestId: randomUUID() }));

// Two days of activity, written to the owning services' outboxes as they would emit it.
const D1 = "2026-10-05";
const D2 = "2026-10-06";
const T1 = randomUUID();
const T2 = randomUUID();
const P1 = randomUUID();
const P2 = randomUUID();
const T1_TITLE = 'Ops, "quick" review';
const T2_TITLE = "=Formula title";
let seconds = 0;
const at = (day: string) => new Date(`${day}T10:00:${String(seconds++ % 60).padStart(2, "0")}.000Z`);

const ref = (templateId: string, title: string, version = 1) => ({ templateId, version, title });
const run = (day: string, o: Record<string, unknown>) => ({
  service: "ai" as const,
  event: {
    eventType: E.promptRun,
    aggregateId: String(o.runId ?? randomUUID()),
    aggregateVersion: 1,
    occurredAt: at(day),
    payload: { runId: randomUUID(), promptTokens: 0, completionTokens: 0, latencyMs: 0, costUsd: 0, outcome: "success", ...o },
  },
});
const aiError = (day: string, model: string, errorCode: string) => ({
  service: "ai" as const,
  event: { eventType: E.aiError, aggregateId: randomUUID(), aggregateVersion: 1, occurredAt: at(day), payload: { model, errorCode, message: `${errorCode} from ${model}` } },
});
const of = (service: ServiceName, eventType: string, aggregateId: string, aggregateVersion: number, day: string, payload: Record<string, unknown>, correlationId?: string) => ({
  service,
  event: { eventType, aggregateId, aggregateVersion, occurredAt: at(day), payload, ...(correlationId ? { correlationId } : {}) },
});

const activity: { service: ServiceName; event: NewEvent }[] = [
  of("templates", E.templateUpdated, T1, 1, D1, { ...ref(T1, T1_TITLE), changedFields: ["created"] }),
  of("templates", E.templateUpdated, T1, 2, D1, { ...ref(T1, T1_TITLE, 2), changedFields: ["body"] }),
  of("templates", E.templatePublished, T1, 3, D1, { ...ref(T1, T1_TITLE, 2), publishedBy: "priya" }),
  of("templates", E.templateUpdated, T2, 1, D2, { ...ref(T2, T2_TITLE), changedFields: ["created"] }),
  of("templates", E.templateRejected, T2, 2, D2, { ...ref(T2, T2_TITLE), reason: "quality gate" }),
  of("templates", E.templateDeprecated, T1, 4, D2, { ...ref(T1, T1_TITLE, 2), reason: "replaced" }),
  of("projects", E.projectCreated, P1, 1, D1, { projectId: P1, templateId: T1, name: "Checkout review", createdBy: "priya" }, "corr-analytics"),
  of("projects", E.memberAdded, P1, 2, D1, { projectId: P1, userId: "kenji", role: "editor", addedBy: "priya", memberCount: 2 }),
  of("projects", E.memberRemoved, P1, 3, D2, { projectId: P1, userId: "kenji", role: "editor", removedBy: "priya", memberCount: 1 }),
  of("projects", E.projectCreated, P2, 1, D2, { projectId: P2, templateId: T1, name: "Search review", createdBy: "noah" }),
  of("projects", E.projectArchived, P2, 2, D2, { projectId: P2, archivedBy: "noah" }),
  run(D1, { model: "m-large", templateId: T1, projectId: P1, promptTokens: 100, completionTokens: 50, latencyMs: 200, costUsd: 0.01 }),
  run(D1, { model: "m-large", templateId: T1, promptTokens: 200, completionTokens: 100, latencyMs: 400, costUsd: 0.02, outcome: "error" }),
  run(D2, { model: "m-small", promptTokens: 10, completionTokens: 5, latencyMs: 50, costUsd: 0.001, outcome: "timeout" }),
  run(D2, { model: "m-small", projectId: P2, promptTokens: 20, completionTokens: 10, latencyMs: 150, costUsd: 0.002 }),
  aiError(D1, "m-large", "rate_limited"),
  aiError(D2, "m-large", "rate_limited"),
  aiError(D2, "m-small", "bad_request"),
  of("assets", "templator.events.v1.assets.AssetUploaded", "asset-1", 1, D2, { assetId: randomUUID(), fileName: "logo.png", contentType: "image/png", sizeBytes: 10, uploadedBy: "priya" }),
  of("analytics", E.reportReady, "old-report", 1, D2, { reportId: randomUUID(), from: `${D2}T00:00:00.000Z`, to: `${D2}T00:00:00.000Z`, rows: 0 }),
];

/** Writes events to their services' outboxes (one transaction each) and returns their envelopes. */
async function emit(events: { service: ServiceName; event: NewEvent }[]): Promise<Envelope[]> {
  const out: Envelope[] = [];
  for (const { service, event } of events) {
    const client = app.db[service] as unknown as { $transaction<T>(fn: (tx: never) => Promise<T>): Promise<T> };
    out.push(...(await client.$transaction((tx) => appendToOutbox(tx, service, [event]))));
  }
  return out;
}

async function applied(consumer: string): Promise<number> {
  const r = await app.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM analytics.inbox WHERE consumer = $1`, [consumer]);
  return r.rows[0]!.n;
}

let envelopes: Envelope[] = [];

beforeAll(async () => {
  app = await createTestApp({ env: { OUTBOX_POLL_MS: "100" } });
  await seedDemoIdentities(app.db.auth);
  const users = await app.db.auth.user.findMany();
  for (const [who, email] of [["yara", "yara.haddad@templator.dev"], ["jonas", "jonas.meyer@templator.dev"]] as const) {
    cookies[who] = `${DEV_SESSION_COOKIE}=${createDevSessionToken(users.find((u) => u.email === email)!.id, app.config.sessionSecret)}`;
  }
  runtime = await startMessaging(app, messagingRegistry, { sweep: false });
  const name = "analytics.usage-report" as const;
  worker = await startWorkerRuntime(app, { jobs: { jobs: { [name]: jobs[name] }, handlers: { [name]: handlers[name] } }, messaging: false });
  envelopes = await emit(activity);
  await eventually(async () => (await applied("analytics.metrics")) === activity.length && (await applied("analytics.event-feed")) === activity.length, 20_000, "every event applied");
});

afterAll(async () => {
  await worker?.stop();
  await runtime?.stop();
  await app.cleanup();
});

const range = `from=${D1}&to=${D2}`;

describe("metrics from every event type", () => {
  it("/metrics numbers match the events sent, overall and per day, template, project and model", async () => {
    const res = await rest("GET", `/metrics?${range}`);
    expect(res.status).toBe(200);
    const m = res.body as unknown as Awaited<ReturnType<ReturnType<typeof trpc>["analytics"]["metrics"]>>;
    expect(m.totals.usage).toEqual({
      templatesCreated: 2,
      templatesUpdated: 1,
      templatesPublished: 1,
      templatesRejected: 1,
      templatesDeprecated: 1,
      projectsCreated: 2,
      projectsArchived: 1,
      membersAdded: 1,
      membersRemoved: 1,
      generations: 3,
      assetsUploaded: 1,
      reportsReady: 1,
    });
    expect(m.totals.prompts).toEqual({
      runs: 4,
      succeeded: 2,
      failed: 2,
      failureRate: 0.5,
      promptTokens: 330,
      completionTokens: 165,
      costUsd: 0.033,
      avgLatencyMs: 200,
      maxLatencyMs: 400,
    });
    expect(m.totals.aiErrors).toBe(3);
    expect(m.daily.map((d) => d.day)).toEqual([D1, D2]);
    expect(m.daily[0]!.usage).toMatchObject({ templatesCreated: 1, templatesUpdated: 1, templatesPublished: 1, projectsCreated: 1, membersAdded: 1, generations: 2, assetsUploaded: 0 });
    expect(m.daily[0]!.prompts).toMatchObject({ runs: 2, failed: 1, promptTokens: 300, costUsd: 0.03, maxLatencyMs: 400 });
    expect(m.daily[1]).toMatchObject({ aiErrors: 2, prompts: { runs: 2, failed: 1, costUsd: 0.003 }, usage: { templatesDeprecated: 1, projectsCreated: 1, projectsArchived: 1, reportsReady: 1 } });

    expect(m.byTemplate).toEqual([
      {
        templateId: T1,
        name: T1_TITLE,
        status: "deprecated",
        total: 8,
        usage: expect.objectContaining({ templatesCreated: 1, templatesUpdated: 1, templatesPublished: 1, templatesDeprecated: 1, projectsCreated: 2, generations: 2 }),
      },
      { templateId: T2, name: T2_TITLE, status: "draft", total: 2, usage: expect.objectContaining({ templatesCreated: 1, templatesRejected: 1 }) },
    ]);
    expect(m.byProject).toEqual([
      { projectId: P1, name: "Checkout review", templateId: T1, status: "active", members: 1, total: 4, usage: expect.objectContaining({ membersAdded: 1, membersRemoved: 1, generations: 1 }) },
      { projectId: P2, name: "Search review", templateId: T1, status: "archived", members: 1, total: 3, usage: expect.objectContaining({ projectsArchived: 1 }) },
    ]);
    expect(m.byModel).toEqual([
      { model: "m-large", prompts: expect.objectContaining({ runs: 2, failed: 1, costUsd: 0.03 }), aiErrors: 2, errorsByCode: [{ errorCode: "rate_limited", count: 2 }] },
      { model: "m-small", prompts: expect.objectContaining({ runs: 2, failed: 1, avgLatencyMs: 100 }), aiErrors: 1, errorsByCode: [{ errorCode: "bad_request", count: 1 }] },
    ]);
    expect(res.body).toEqual(JSON.parse(JSON.stringify(await trpc().analytics.metrics({ from: D1, to: D2 }))));
  });

  it("narrows by template, project and model, and zero-fills quiet days", async () => {
    const byTemplate = (await rest("GET", `/metrics?${range}&templateId=${T1}`)).body as { totals: { usage: Record<string, number>; prompts: { runs: number }; aiErrors: number }; byProject: { projectId: string }[] };
    expect(byTemplate.totals.usage).toMatchObject({ templatesCreated: 1, projectsCreated: 2, generations: 2, assetsUploaded: 0 });
    expect(byTemplate.totals.prompts.runs).toBe(2);
    expect(byTemplate.totals.aiErrors).toBe(3); // AI errors name only a model
    expect(byTemplate.byProject.map((p) => p.projectId).sort()).toEqual([P1, P2].sort());

    const byProject = (await rest("GET", `/metrics?${range}&projectId=${P2}`)).body as { totals: { usage: Record<string, number>; prompts: { runs: number; promptTokens: number } }; byTemplate: unknown[] };
    expect(byProject.totals.usage).toMatchObject({ projectsCreated: 1, projectsArchived: 1, generations: 1, templatesCreated: 0 });
    expect(byProject.totals.prompts).toMatchObject({ runs: 1, promptTokens: 20 });
    expect(byProject.byTemplate).toEqual([]);

    const byModel = (await rest("GET", `/metrics?${range}&model=m-small`)).body as { totals: { prompts: { runs: number }; aiErrors: number }; byModel: { model: string }[] };
    expect(byModel.totals).toMatchObject({ prompts: { runs: 2 }, aiErrors: 1 });
    expect(byModel.byModel.map((x) => x.model)).toEqual(["m-small"]);

    const week = (await rest("GET", `/metrics?from=2026-10-01&to=2026-10-07`)).body as { daily: { day: string; usage: { templatesCreated: number } }[] };
    expect(week.daily.map((d) => d.usage.templatesCreated)).toEqual([0, 0, 0, 0, 1, 1, 0]);
    expect((await rest("GET", `/metrics?from=${D2}&to=${D1}`)).body.error!.message).toBe(`the range starts (${D2}) after it ends (${D1})`);
    expect((await rest("GET", `/metrics?from=2026-13-01`)).status).toBe(400);
    expect((await rest("GET", `/metrics?templateId=${T1}&projectId=${P1}`)).status).toBe(400);
    expect((await rest("GET", "/metrics", { as: null })).status).toBe(401);
  });

  it("a redelivered event changes nothing", async () => {
    const before = (await rest("GET", `/metrics?${range}`)).body;
    const queue = app.queues.queue(consumerQueue("analytics.metrics"), { traced: false });
    const again = await Promise.all(envelopes.map((env) => queue.add(env.eventType, { envelope: env, delivery: "" }, { jobId: `${env.eventId}-again` })));
    for (const job of again) {
      await eventually(async () => ["completed", "unknown"].includes(await queue.getJobState(job.id!)), 10_000, "the redelivery");
    }
    expect((await rest("GET", `/metrics?${range}`)).body).toEqual(before);
    expect(await applied("analytics.metrics")).toBe(activity.length);
  });

  it("names and states ignore an older event that arrives late", async () => {
    const T3 = randomUUID();
    const day = "2026-10-20";
    await emit([
      of("templates", E.templateUpdated, T3, 1, day, { ...ref(T3, "First"), changedFields: ["created"] }),
      of("templates", E.templateDeprecated, T3, 3, day, { ...ref(T3, "Third"), reason: "gone" }),
    ]);
    await eventually(async () => (await applied("analytics.metrics")) === activity.length + 2, 10_000, "the newer events");
    await emit([of("templates", E.templateUpdated, T3, 2, day, { ...ref(T3, "Second (late)"), changedFields: ["title"] })]);
    await eventually(async () => (await applied("analytics.metrics")) === activity.length + 3, 10_000, "the late event");
    const m = (await rest("GET", `/metrics?from=${day}&to=${day}`)).body as { byTemplate: { templateId: string; name: string; status: string; usage: { templatesUpdated: number } }[] };
    expect(m.byTemplate).toEqual([expect.objectContaining({ templateId: T3, name: "Third", status: "deprecated", usage: expect.objectContaining({ templatesUpdated: 1 }) })]);
  });
});

describe("the event feed", () => {
  const within = `from=${D1}T00:00:00Z&to=2026-10-07T00:00:00Z`;
  type Page = { items: { eventId: string; eventType: string; aggregateId: string; aggregateVersion: number; correlationId: string | null; payload: Record<string, unknown> }[]; nextCursor: string | null };
  const get = async (q: string) => (await rest("GET", `/events?${q}`)).body as unknown as Page;

  it("filters by type, service, aggregate, correlation id and time, newest first", async () => {
    expect((await get(within)).items).toHaveLength(activity.length);
    expect((await get(`${within}&type=ProjectCreated`)).items.map((e) => e.aggregateId)).toEqual([P2, P1]);
    expect((await get(`${within}&type=ProjectCreated,templator.events.v1.projects.ProjectArchived`)).items.map((e) => e.eventType.split(".").pop())).toEqual([
      "ProjectArchived",
      "ProjectCreated",
      "ProjectCreated",
    ]);
    expect((await get(`${within}&service=ai`)).items).toHaveLength(7);
    expect((await get(`aggregateId=${P1}`)).items.map((e) => e.aggregateVersion)).toEqual([3, 2, 1]);
    const corr = await get("correlationId=corr-analytics");
    expect(corr.items).toEqual([expect.objectContaining({ aggregateId: P1, correlationId: "corr-analytics", payload: expect.objectContaining({ name: "Checkout review" }) })]);
    expect((await get(`from=${D2}T00:00:00Z&to=2026-10-07T00:00:00Z&service=projects`)).items.map((e) => e.eventType.split(".").pop())).toEqual([
      "ProjectArchived",
      "ProjectCreated",
      "ProjectMemberRemoved",
    ]);
    const viaTrpc = await trpc().analytics.events({ service: "projects", from: new Date(`${D1}T00:00:00Z`), to: new Date("2026-10-07T00:00:00Z") });
    expect((await get(`${within}&service=projects`))).toEqual(JSON.parse(JSON.stringify(viaTrpc)));
  });

  it("pages with a cursor, and refuses one it did not give out", async () => {
    const all = await get(`${within}&service=templates`);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await get(`${within}&service=templates&limit=4${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.items.length).toBeLessThanOrEqual(4);
      seen.push(...page.items.map((e) => e.eventId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.items.map((e) => e.eventId));
    expect(seen).toHaveLength(6);
    const bad = await rest("GET", "/events?cursor=not-a-cursor");
    expect(bad.status).toBe(400);
    expect(bad.body.error!.message).toBe("the cursor is not one this API gave out");
  });
});

/** RFC 4180 parsing, for reading the downloaded CSV back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else field += c;
  }
  return rows;
}

describe("usage reports", () => {
  it("a report on demand is computed by a worker, announced with UsageReportReady and downloadable as CSV with the right rows", async () => {
    const created = await rest("POST", "/reports", { body: { from: D1, to: D2 }, headers: { "x-correlation-id": "corr-report" } });
    expect(created.status).toBe(202);
    expect(created.body).toMatchObject({ from: D1, to: D2, status: "pending", trigger: "manual", rowCount: 0 });
    const id = created.body.id as string;
    expect(created.body.csvPath).toBe(`/api/v1/reports/${id}/csv`);

    const ready = await eventually(async () => {
      const r = await rest("GET", `/reports/${id}`);
      return r.body.status === "ready" ? r.body : undefined;
    }, 20_000, "the report");
    type Row = { day: string; scope: string; subjectId: string; subjectName: string; metrics: Record<string, number> };
    const rows = ready.rows as Row[];
    expect(ready.rowCount).toBe(11);
    expect(rows.map((r) => `${r.day} ${r.scope} ${r.subjectId}`).sort()).toEqual(
      [
        `${D1} all `,
        `${D1} template ${T1}`,
        `${D1} project ${P1}`,
        `${D1} model m-large`,
        `${D2} all `,
        `${D2} template ${T1}`,
        `${D2} template ${T2}`,
        `${D2} project ${P1}`,
        `${D2} project ${P2}`,
        `${D2} model m-large`,
        `${D2} model m-small`,
      ].sort(),
    );
    const row = (day: string, scope: string, subjectId: string) => rows.find((r) => r.day === day && r.scope === scope && r.subjectId === subjectId)!;
    expect(row(D1, "all", "").metrics).toMatchObject({ templatesCreated: 1, projectsCreated: 1, promptRuns: 2, failedRuns: 1, promptTokens: 300, costUsd: 0.03, aiErrors: 1 });
    expect(row(D1, "template", T1)).toMatchObject({ subjectName: T1_TITLE, metrics: expect.objectContaining({ templatesPublished: 1, generations: 2, promptRuns: 2 }) });
    expect(row(D2, "model", "m-small").metrics).toMatchObject({ promptRuns: 2, failedRuns: 1, avgLatencyMs: 100, aiErrors: 1, projectsCreated: 0 });
    expect(ready).toEqual(JSON.parse(JSON.stringify(await trpc().analytics.reports.get({ id }))));
    expect((await rest("GET", `/reports/${id}?rowOffset=10&rowLimit=5`)).body.rows).toHaveLength(1);

    const announced = await eventually(async () => {
      const feed = await rest("GET", "/events?type=UsageReportReady&correlationId=corr-report");
      return (feed.body.items as unknown[]).length === 1 ? (feed.body.items as { aggregateId: string; payload: unknown }[])[0] : undefined;
    }, 15_000, "UsageReportReady in the feed");
    expect(announced).toMatchObject({ aggregateId: id, payload: { reportId: id, from: `${D1}T00:00:00.000Z`, to: "2026-10-07T00:00:00.000Z", rows: 11, trigger: "manual" } });

    const res = await handleReportCsvRequest(new Request(`http://127.0.0.1/api/v1/reports/${id}/csv`, { headers: { cookie: cookies.jonas } }), app, id);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="usage-report_${D1}_${D2}_${id.slice(0, 8)}.csv"`);
    const text = await res.text();
    expect(text).toContain(`"${T1_TITLE.replace(/"/g, '""')}"`);
    expect(text).toContain(`'${T2_TITLE}`);
    const [header, ...lines] = parseCsv(text);
    expect(header).toEqual(REPORT_CSV_HEADER);
    expect(lines).toEqual(
      rows.map((r) => [r.day, r.scope, r.subjectId, r.subjectName.startsWith("=") ? `'${r.subjectName}` : r.subjectName, ...REPORT_METRICS.map((m) => String(r.metrics[m]))]),
    );

    const list = await rest("GET", "/reports?status=ready");
    expect((list.body.items as { id: string }[]).map((r) => r.id)).toContain(id);
  });

  it("refuses what it cannot do, with reasons", async () => {
    expect((await rest("POST", "/reports", { body: { from: D1, to: D2 }, as: "jonas" })).status).toBe(403);
    expect((await rest("POST", "/reports", { body: { from: D2, to: D1 } })).status).toBe(400);
    expect((await rest("GET", `/reports/${randomUUID()}`)).status).toBe(404);
    const pending = await app.db.analytics.usageReport.create({ data: { fromDay: new Date(`${D1}T00:00:00Z`), toDay: new Date(`${D1}T00:00:00Z`), trigger: "manual", requestedBy: "test" } });
    const csv = (id: string, cookie?: string) => handleReportCsvRequest(new Request(`http://127.0.0.1/api/v1/reports/${id}/csv`, { headers: cookie ? { cookie } : {} }), app, id);
    const early = await csv(pending.id, cookies.yara);
    expect(early.status).toBe(409);
    expect(((await early.json()) as Body).error!.message).toBe(`usage report ${pending.id} is still being computed; try again shortly`);
    expect((await csv(randomUUID(), cookies.yara)).status).toBe(404);
    expect((await csv("not-a-uuid", cookies.yara)).status).toBe(400);
    expect((await csv(pending.id)).status).toBe(401);
  });

  it("the daily report covers yesterday, once however often the schedule fires", async () => {
    const first = await runScheduledReport(app.db.analytics, new Date("2026-10-07T00:10:00Z"));
    expect(first).toMatchObject({ from: D2, to: D2, trigger: "schedule", status: "ready", rowCount: 7 });
    const second = await runScheduledReport(app.db.analytics, new Date("2026-10-07T06:00:00Z"));
    expect(second.id).toBe(first.id);
    expect(await app.db.analytics.usageReport.count({ where: { scheduleKey: `daily:${D2}` } })).toBe(1);

    // The scheduled job itself (no report id) makes yesterday's report in the worker.
    await enqueueJob(app.queues, "analytics.usage-report", {});
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const made = await eventually(() => app.db.analytics.usageReport.findFirst({ where: { scheduleKey: `daily:${yesterday}`, status: "ready" } }), 20_000, "the scheduled report");
    expect(made.rowCount).toBe(1);
  });
});
