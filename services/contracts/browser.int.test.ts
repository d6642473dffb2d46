import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDevSessionToken, DEV_SESSION_COOKIE } from "@/server/auth/dev-session";
import { createTRPCContext } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { seedDemoIdentities } from "@/services/auth/seed";
import { newSpanId, newTraceId, sendSpans } from "@/services/telemetry/query-fixtures";
import { createTraceReceiver } from "@/services/telemetry/receiver";
import { createTestApp, type TestApp } from "@/tests/helpers/test-app";
import { seedDemoContracts } from "./demo";

/**
 * The contract browser's procedures on the demo contract history (services/contracts/demo.ts) and the
 * committed contracts/: versions, operations, deprecations, diffs with explained changes, consumers
 * declared (pacts, code, broker) and observed (spans through the real OTLP receiver), the matrix.
 */

let app: TestApp;
let cookie = "";
const trpc = (c = cookie) => createCaller(createTRPCContext({ app, headers: new Headers(c ? { cookie: c } : {}), requestId: randomUUID() }));
const PUBLISHED = "templator.events.v1.templates.TemplatePublished";

beforeAll(async () => {
  app = await createTestApp();
  await seedDemoIdentities(app.db.auth);
  const user = (await app.db.auth.user.findMany())[0]!;
  cookie = `${DEV_SESSION_COOKIE}=${createDevSessionToken(user.id, app.config.sessionSecret)}`;
  await seedDemoContracts(app.db.contracts, app.config.rootDir);

  // Traces: web-app calls templates over HTTP; templates' messages reach analytics and (undeclared) reporting.
  const receiver = createTraceReceiver({ pool: app.pool, settings: app.config.telemetry });
  const now = Date.now() - 60_000;
  const [t1, t2, t3] = [newTraceId(), newTraceId(), newTraceId()];
  const [client, producer, producer2] = [newSpanId(), newSpanId(), newSpanId()];
  try {
    await sendSpans(receiver, [
      { service: "web-app", name: "GET templates", kind: 3, startMs: now, durationMs: 20, traceId: t1, spanId: client },
      { service: "templates", name: "GET /api/v1/templates", kind: 2, startMs: now + 1, durationMs: 15, traceId: t1, parentSpanId: client },
      { service: "templates", name: `create ${PUBLISHED}`, kind: 4, startMs: now, durationMs: 2, traceId: t2, spanId: producer },
      { service: "analytics", name: `process ${PUBLISHED}`, kind: 5, startMs: now + 10, durationMs: 5, traceId: t2, parentSpanId: producer },
      { service: "templates", name: `create ${PUBLISHED}`, kind: 4, startMs: now, durationMs: 2, traceId: t3, spanId: producer2 },
      { service: "reporting", name: `process ${PUBLISHED}`, kind: 5, startMs: now + 10, durationMs: 5, traceId: t3, parentSpanId: producer2, status: 2 },
    ]);
  } finally {
    await receiver.close();
  }
});

afterAll(async () => {
  await app?.cleanup();
});

describe("contract browser", () => {
  it("refuses callers who are not signed in", async () => {
    await expect(trpc("").contracts.browser.services()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("lists the services with their counts, versions and verification status", async () => {
    const services = await trpc().contracts.browser.services({ hours: 24 });
    const templates = services.find((s) => s.service === "templates")!;
    expect(templates).toMatchObject({ title: "Templator Templates API", operations: 10, events: 4 });
    expect(templates.versions.map((v) => v.number)).toEqual(["0.9.0", "1.0.0", "2.0.0-beta.1"]);
    expect(templates.consumers).toBeGreaterThanOrEqual(4); // projects, analytics, ai (declared), web-app and reporting (observed)
    expect(templates.deprecations).toBe(3);
    expect(templates.verification).toMatchObject({ status: "failed", providerVersion: "2.0.0-beta.1" });
    expect(templates.deployed).toEqual([
      { environment: "production", version: "1.0.0" },
      { environment: "staging", version: "1.0.0" },
    ]);
    expect(services.map((s) => s.service)).toEqual(expect.arrayContaining(["ai", "analytics", "assets", "projects", "templates"]));
  });

  it("shows a service's operations with parameters, bodies, responses and examples, every version, and its deprecations", async () => {
    const t = await trpc().contracts.browser.service({ service: "templates" });
    expect(t.api!.versions.map((v) => v.id)).toEqual(["released:1.0.0", "broker:0.9.0", "broker:1.0.0", "broker:2.0.0-beta.1", "code"]);
    expect(t.api!.shownVersion).toBe("code");
    const create = t.api!.operations.find((o) => o.key === "POST /templates")!;
    expect(create.requestBody).toMatchObject({ contentType: "application/json", required: true, exampleSource: "document" });
    expect(create.requestBody!.example).toMatchObject({ slug: expect.any(String), title: expect.any(String) });
    // No example in the document: one is made from the schema.
    const getModule = t.api!.operations.find((o) => o.key === "GET /modules/{id}")!;
    expect(getModule.responses[0]).toMatchObject({ status: "200", exampleSource: "generated", example: { id: "3fa85f64-5717-4562-b3fc-2c963f66afa6", slug: expect.any(String) } });
    expect(create.responses.map((r) => r.status)).toContain("201");
    expect(JSON.stringify(create.responses[0]!.schema)).not.toContain("$ref"); // refs inlined
    const list = t.api!.operations.find((o) => o.key === "GET /templates")!;
    expect(list.parameters.map((p) => `${p.in}:${p.name}`)).toEqual(["query:status", "query:q", "query:limit", "query:cursor"]);

    const published = t.events.find((e) => e.eventType === PUBLISHED)!;
    expect(published.versions.map((v) => `${v.id}=v${v.contractVersion}`)).toEqual([
      "released:v1=v1",
      "broker:0.9.0=v1",
      "broker:1.0.0=v1",
      "broker:2.0.0-beta.1=v2",
      "code=v1",
    ]);
    expect(published.versions.find((v) => v.id === "broker:1.0.0")!.sameAs).toBe("released:v1");

    expect(t.deprecations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: "operation", subject: "GET /modules/{id}", sunset: "2027-03-31", since: "2026-11-01", replacement: "GET /modules?slug=<slug>" }),
        expect.objectContaining({ kind: "property", subject: "TemplateSummary.revision", sunset: "2027-03-31" }),
        expect.objectContaining({ kind: "event-property", subject: "TemplatePublished.publishedBy", sunset: "2027-03-31" }),
      ]),
    );
    expect(t.versions.map((v) => [v.number, v.branch, v.deployedIn])).toEqual([
      ["0.9.0", "main", []],
      ["1.0.0", "main", ["production", "staging"]],
      ["2.0.0-beta.1", "next", []],
    ]);
  });

  it("diffs two OpenAPI versions: breaking, with each change explained and located in both documents", async () => {
    const d = await trpc().contracts.browser.diff({ service: "templates", kind: "openapi", subject: "templates", from: "broker:1.0.0", to: "broker:2.0.0-beta.1" });
    expect(d).toMatchObject({ compatible: false, mode: "BACKWARD", from: { id: "broker:1.0.0" }, to: { id: "broker:2.0.0-beta.1" } });
    const required = d.changes.find((c) => c.id === "new-required-request-property")!;
    expect(required).toMatchObject({ level: "ERR", operation: "POST /templates", explanation: expect.stringContaining("rejected"), fix: expect.stringContaining("optional") });
    expect(required.toLocation).toBe("#/paths/~1templates/post/requestBody/content/application~1json/schema/properties/ownerTeam");
    const removed = d.changes.find((c) => c.id === "response-property-removed")!;
    expect(removed.level).toBe("ERR");
    expect(removed.fromLocation).toBe("#/components/schemas/TemplateDetail/properties/deprecationReason");
    expect(removed.toLocation).toBe("#/components/schemas/TemplateDetail/properties");
    expect(d.changes.some((c) => c.level === "INFO")).toBe(true);
    expect(d.counts.ERR).toBeGreaterThanOrEqual(2);
    expect(d.changes[0]!.level).toBe("ERR");
  });

  it("diffs an additive OpenAPI release as compatible", async () => {
    const d = await trpc().contracts.browser.diff({ service: "templates", kind: "openapi", subject: "templates", from: "broker:0.9.0", to: "broker:1.0.0" });
    expect(d.compatible).toBe(true);
    expect(d.changes.map((c) => c.id)).toEqual(expect.arrayContaining(["endpoint-added", "new-optional-request-parameter"]));
    expect(d.counts.ERR).toBe(0);
  });

  it("diffs two event schema versions with Confluent's semantics", async () => {
    const d = await trpc().contracts.browser.diff({ service: "templates", kind: "event", subject: PUBLISHED, from: "released:v1", to: "broker:2.0.0-beta.1", mode: "FULL" });
    expect(d).toMatchObject({ kind: "event", mode: "FULL", compatible: false });
    const ids = d.changes.filter((c) => c.level === "ERR").map((c) => `${c.id} ${c.path}`);
    expect(ids.some((i) => i.includes("#/properties/publishedAt"))).toBe(true);
    expect(ids.some((i) => i.includes("#/properties/title"))).toBe(true);
    expect(d.changes.every((c) => c.level !== "ERR" || (c.explanation && c.fix))).toBe(true);
  });

  it("lists consumers declared (pacts, code, broker) and observed (traces)", async () => {
    const c = await trpc().contracts.browser.consumers({ service: "templates", hours: 24 });
    expect(c.tracesSeen).toBe(true);
    const api = Object.fromEntries(c.api.map((r) => [r.service, r]));
    expect(api.projects).toMatchObject({ declared: true, observed: null, sources: [expect.objectContaining({ source: "pact" })] });
    expect(api["web-app"]).toMatchObject({ declared: false, observed: { calls: 1, errors: 0 }, sources: [expect.objectContaining({ source: "traces" })] });
    const events = Object.fromEntries(c.events.map((r) => [r.service, r]));
    expect(events.analytics!.declared).toBe(true);
    expect(events.analytics!.observed).toEqual({ calls: 1, errors: 0 });
    expect([...new Set(events.analytics!.sources.map((s) => s.source))].sort()).toEqual(["broker", "code", "pact", "traces"]);
    expect(events.reporting).toMatchObject({ declared: false, observed: { calls: 1, errors: 1 } });
    const published = c.byEventType.find((e) => e.eventType === PUBLISHED)!;
    expect(published.consumers.map((r) => r.service)).toEqual(expect.arrayContaining(["ai", "analytics"]));
    expect(published.consumers.find((r) => r.service === "analytics")!.observed).not.toBeNull();
    expect(published.consumers.find((r) => r.service === "ai")!.observed).toBeNull();
  });

  it("builds the consumers x providers matrix with verification status and deployments", async () => {
    const m = await trpc().contracts.browser.matrix();
    const cell = (consumer: string, provider: string) => m.cells.find((c) => c.consumer === consumer && c.provider === provider)!;
    const projects = cell("projects", "templates");
    expect(projects.status).toBe("failed");
    expect(projects.interactions.map((i) => i.kind)).toEqual(["http"]);
    expect(projects.checks.map((k) => `${k.providerVersion}:${k.status}`)).toEqual(["2.0.0-beta.1:failed", "1.0.0:ok"]);
    expect(projects.providerDeployed).toContainEqual({ environment: "production", version: "1.0.0" });
    const analytics = cell("analytics", "templates");
    expect(analytics.interactions.map((i) => i.kind)).toEqual(["message", "event"]);
    expect(analytics.checks.find((k) => k.kind === "events")).toMatchObject({ status: "failed", providerVersion: "2.0.0-beta.1", consumerVersion: "1.0.0" });
    expect(cell("ai", "assets").status).toBe("ok");
    expect(m.consumers).toEqual(expect.arrayContaining(["ai", "analytics", "projects"]));
    expect(m.environments).toEqual(["production", "staging"]);
  });

  it("answers unknown services, versions and subjects with a clear 4xx", async () => {
    await expect(trpc().contracts.browser.service({ service: "nope" })).rejects.toMatchObject({ code: "NOT_FOUND", message: expect.stringContaining('no service "nope"') });
    await expect(trpc().contracts.browser.diff({ service: "templates", kind: "openapi", subject: "templates", from: "broker:9.9.9", to: "code" })).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: expect.stringMatching(/no version "broker:9.9.9" as from \(known: .*broker:1.0.0/),
    });
    await expect(trpc().contracts.browser.diff({ service: "templates", kind: "event", subject: "templator.events.v1.ai.PromptRunRecorded", from: "code", to: "code" })).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: expect.stringContaining("not an event type of templates"),
    });
    await expect(trpc().contracts.browser.diff({ service: "templates", kind: "yaml" as "event", subject: "x", from: "code", to: "code" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(trpc().contracts.browser.consumers({ service: "templates", hours: 1000 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("seeding the demo history again changes nothing", async () => {
    const before = await app.db.contracts.verification.count();
    const deployments = await app.db.contracts.deployment.count();
    await seedDemoContracts(app.db.contracts, app.config.rootDir);
    expect(await app.db.contracts.verification.count()).toBe(before);
    expect(await app.db.contracts.deployment.count()).toBe(deployments);
  });
});
