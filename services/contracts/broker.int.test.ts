import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleRestRequest } from "@/server/rest/handler";
import { createTestApp, type TestApp } from "@/tests/helpers/test-app";

const CI_TOKEN = "ci-secret-0123456789abcdef";
const READ_TOKEN = "reader-secret-0123456789abcdef";
let app: TestApp;

type Answer = { status: number; body: Record<string, unknown> & { error?: { code: string; message: string } } };

/** One public REST call through the same handler /api/v1 uses, with a token unless told otherwise. */
async function rest(method: "GET" | "POST", path: string, body?: unknown, token: string | null = CI_TOKEN): Promise<Answer> {
  const headers = new Headers(token ? { authorization: `Bearer ${token}` } : {});
  if (body !== undefined) headers.set("content-type", "application/json");
  const res = await handleRestRequest(new Request(`http://127.0.0.1/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }), app);
  return { status: res.status, body: (await res.json()) as Answer["body"] };
}

const httpPact = (consumer: string, provider: string, description: string) => ({
  consumer: { name: consumer },
  provider: { name: provider },
  interactions: [{ type: "Synchronous/HTTP", description, request: { method: "GET", path: "/api/v1/templates/x" }, response: { status: 200 } }],
  metadata: { pactSpecification: { version: "4.0" }, "pact-js": { version: "16.5.0" } },
});

const PUBLISHED = "templator.events.v1.templates.TemplatePublished";
const writerSchema = (properties: Record<string, unknown>) => ({ type: "object", properties, required: Object.keys(properties), additionalProperties: false });
const readerSchema = (properties: Record<string, unknown>) => ({ type: "object", properties, required: Object.keys(properties) });
const str = { type: "string" };

async function publish(pacticipant: string, version: string, extra: Record<string, unknown> = {}) {
  const res = await rest("POST", "/contracts/publish", { pacticipant, version, ...extra });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { pacts: { provider: string; sha: string; verifiedBy: { providerVersion: string; success: boolean }[] }[] };
}
const verify = async (provider: string, providerVersion: string, consumer: string, consumerVersion: string, success: boolean, failing?: string) => {
  const res = await rest("POST", "/contracts/verifications", {
    provider,
    providerVersion,
    consumer,
    consumerVersion,
    success,
    results: [{ interaction: failing ?? "a request for a template", success, ...(success ? {} : { mismatches: [{ type: "BodyMismatch", path: "$.title" }] }) }],
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { alsoCovers: string[] };
};
const deploy = async (pacticipant: string, version: string, environment = "production") => {
  const res = await rest("POST", "/contracts/deployments", { pacticipant, version, environment });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { replaced: string | null };
};
type Verdict = { result: string; reasons: { check: string; outcome: string; message: string; changes?: { id: string; path: string }[] }[] };
const canIDeploy = async (pacticipant: string, version: string, environment = "production") => {
  const res = await rest("GET", `/contracts/can-i-deploy?pacticipant=${pacticipant}&version=${version}&environment=${environment}`, undefined, READ_TOKEN);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as unknown as Verdict;
};

beforeAll(async () => {
  app = await createTestApp({ env: { API_TOKENS: `ci:contracts:publish:${CI_TOKEN},reader:contracts:read:${READ_TOKEN}` } });
  expect((await rest("POST", "/contracts/environments", { name: "production", production: true })).status).toBe(200);
  await rest("POST", "/contracts/environments", { name: "staging" });
});

afterAll(async () => {
  await app.cleanup();
});

describe("the broker's API and its scoped tokens", () => {
  it("refuses a missing or wrong token with 401 and a token without the publish scope with 403", async () => {
    const body = { pacticipant: "projects", version: "0.0.1" };
    expect((await rest("POST", "/contracts/publish", body, null)).status).toBe(401);
    const wrong = await rest("POST", "/contracts/publish", body, "not-a-real-token-0000000000");
    expect(wrong.status).toBe(401);
    const reader = await rest("POST", "/contracts/publish", body, READ_TOKEN);
    expect(reader.status).toBe(403);
    expect(reader.body.error?.message).toBe("needs the contracts:publish scope (or the engineer role)");
    // Reading needs only a valid token.
    expect((await rest("GET", "/contracts/environments", undefined, READ_TOKEN)).body).toEqual([
      { name: "production", production: true },
      { name: "staging", production: false },
    ]);
  });

  it("refuses a pact published for another consumer, and a reader schema that is not a JSON Schema", async () => {
    const other = await rest("POST", "/contracts/publish", { pacticipant: "projects", version: "0.0.2", pacts: [{ provider: "templates", content: httpPact("ai", "templates", "x") }] });
    expect(other.status).toBe(400);
    expect(other.body.error?.message).toMatch(/names consumer "ai", not "projects"/);
    const schema = await rest("POST", "/contracts/publish", { pacticipant: "analytics", version: "0.0.1", eventReads: [{ eventType: PUBLISHED, readerSchema: { type: "strin" } }] });
    expect(schema.status).toBe(400);
    expect(schema.body.error?.message).toMatch(/reader schema for templator\.events\.v1\.templates\.TemplatePublished is not a valid JSON Schema/);
  });
});

describe("record-deployment", () => {
  it("a new deployment replaces the previous version in that environment only", async () => {
    expect(await deploy("templates", "1.0.0")).toMatchObject({ replaced: null });
    expect(await deploy("templates", "0.9.0", "staging")).toMatchObject({ replaced: null });
    expect(await deploy("templates", "2.0.0")).toMatchObject({ replaced: "1.0.0" });
    expect(await deploy("templates", "2.0.0")).toMatchObject({ replaced: null }); // already there: nothing changes
    expect(await deploy("templates", "1.0.0")).toMatchObject({ replaced: "2.0.0" }); // a rollback is a deployment too
    const current = await app.pool.query(
      `SELECT e.name, v.number FROM contracts.deployments d JOIN contracts.versions v ON v.id = d.version_id JOIN contracts.environments e ON e.id = d.environment_id
        WHERE d.undeployed_at IS NULL ORDER BY e.name`,
    );
    expect(current.rows).toEqual([
      { name: "production", number: "1.0.0" },
      { name: "staging", number: "0.9.0" },
    ]);
    const unknown = await rest("POST", "/contracts/deployments", { pacticipant: "templates", version: "1.0.0", environment: "prod" });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error?.message).toMatch(/no environment "prod"/);
  });
});

describe("can-i-deploy", () => {
  it("unknown while the deployed provider has not verified the pact; yes once it has", async () => {
    await publish("projects", "1.0.0", { branch: "main", pacts: [{ provider: "templates", content: httpPact("projects", "templates", "a request for a template") }] });
    const before = await canIDeploy("projects", "1.0.0");
    expect(before.result).toBe("unknown");
    expect(before.reasons).toContainEqual({ check: "pact-as-consumer", outcome: "unknown", message: "the pact with templates has not been verified by templates 1.0.0, deployed in production" });
    await verify("templates", "1.0.0", "projects", "1.0.0", true);
    const after = await canIDeploy("projects", "1.0.0");
    expect(after).toMatchObject({ result: "yes", reasons: [{ check: "pact-as-consumer", outcome: "yes", message: "the pact with templates was verified by templates 1.0.0, deployed in production" }] });
  });

  it("no when the deployed provider failed to verify the pact, naming the failing interaction", async () => {
    await publish("projects", "1.1.0", { pacts: [{ provider: "templates", content: httpPact("projects", "templates", "a request for an archived template") }] });
    await verify("templates", "1.0.0", "projects", "1.1.0", false, "a request for an archived template");
    const res = await canIDeploy("projects", "1.1.0");
    expect(res.result).toBe("no");
    expect(res.reasons[0]).toMatchObject({ outcome: "no", message: "templates 1.0.0, deployed in production, failed to verify the pact: a request for an archived template" });
  });

  it("the same pact content published by another consumer version is verified once", async () => {
    const published = await publish("projects", "1.2.0", { pacts: [{ provider: "templates", content: httpPact("projects", "templates", "a request for a template") }] });
    expect(published.pacts[0]!.verifiedBy).toEqual([{ providerVersion: "1.0.0", success: true }]);
    expect((await canIDeploy("projects", "1.2.0")).result).toBe("yes");
  });

  it("as a provider: the pacts of consumers deployed there must be verified by the new version", async () => {
    await deploy("projects", "1.0.0");
    await publish("templates", "2.1.0");
    const unverified = await canIDeploy("templates", "2.1.0");
    expect(unverified.result).toBe("unknown");
    expect(unverified.reasons).toContainEqual({ check: "pact-as-provider", outcome: "unknown", message: "templates 2.1.0 has not verified the pact of projects 1.0.0, deployed in production" });
    const { alsoCovers } = await verify("templates", "2.1.0", "projects", "1.0.0", true);
    expect(alsoCovers).toEqual(["projects 1.2.0"]);
    expect((await canIDeploy("templates", "2.1.0")).result).toBe("yes");
  });

  it("no when an event schema change breaks a consumer deployed there, with the change explained", async () => {
    await publish("templates", "1.0.0", { eventSchemas: [{ eventType: PUBLISHED, eventVersion: 1, schema: writerSchema({ templateId: str, title: str }) }] });
    await publish("analytics", "1.0.0", { eventReads: [{ eventType: PUBLISHED, readerSchema: readerSchema({ templateId: str, title: str }) }] });
    expect((await canIDeploy("analytics", "1.0.0")).reasons).toContainEqual({
      check: "event-read",
      outcome: "yes",
      message: `analytics 1.0.0 can read ${PUBLISHED} (v1) as written by templates 1.0.0`,
    });
    await deploy("analytics", "1.0.0");

    // templates 3.0.0 stops writing the title analytics requires (and still verifies projects' pact).
    await publish("templates", "3.0.0", { eventSchemas: [{ eventType: PUBLISHED, eventVersion: 1, schema: writerSchema({ templateId: str }) }] });
    await verify("templates", "3.0.0", "projects", "1.0.0", true);
    const res = await canIDeploy("templates", "3.0.0");
    expect(res.result).toBe("no");
    const reason = res.reasons.find((r) => r.check === "event-written")!;
    expect(reason).toMatchObject({ outcome: "no", message: expect.stringMatching(/^analytics 1\.0\.0 cannot read templator\.events\.v1\.templates\.TemplatePublished \(v1\) as written by templates 3\.0\.0: /) });
    expect(reason.changes).toContainEqual(expect.objectContaining({ path: "#/properties/title" }));
    // An added optional field breaks nobody: analytics reads tolerantly.
    await publish("templates", "3.1.0", { eventSchemas: [{ eventType: PUBLISHED, eventVersion: 1, schema: { ...writerSchema({ templateId: str, title: str }), properties: { templateId: str, title: str, tags: { type: "array" } } } }] });
    await verify("templates", "3.1.0", "projects", "1.0.0", true);
    expect((await canIDeploy("templates", "3.1.0")).result).toBe("yes");
  });

  it("no when a consumer's new reader schema needs what the deployed producer does not write", async () => {
    await publish("analytics", "2.0.0", { eventReads: [{ eventType: PUBLISHED, readerSchema: readerSchema({ templateId: str, title: str, publishedBy: str }) }] });
    const res = await canIDeploy("analytics", "2.0.0");
    expect(res.result).toBe("no");
    expect(res.reasons).toContainEqual(expect.objectContaining({ check: "event-read", outcome: "no", message: expect.stringMatching(/^analytics 2\.0\.0 cannot read .* as written by templates 1\.0\.0: .*#\/properties\/publishedBy/) }));
  });

  it("unknown for a version or an environment the broker has never heard of", async () => {
    expect(await canIDeploy("projects", "9.9.9")).toMatchObject({ result: "unknown", reasons: [{ check: "setup", message: expect.stringMatching(/projects 9\.9\.9 is unknown to the broker/) }] });
    expect(await canIDeploy("projects", "1.0.0", "moon")).toMatchObject({ result: "unknown", reasons: [{ message: 'no environment "moon" in the broker' }] });
  });
});

describe("the matrix", () => {
  it("lists each pact with every provider version's verification and where both sides run", async () => {
    const res = await rest("GET", "/contracts/matrix?pacticipant=projects", undefined, READ_TOKEN);
    expect(res.status).toBe(200);
    const rows = (res.body as unknown as { rows: Record<string, unknown>[] }).rows.map((r) => ({
      c: `${r.consumerVersion as string}`,
      p: r.providerVersion,
      ok: r.success,
      cIn: r.consumerDeployedIn,
      pIn: r.providerDeployedIn,
    }));
    expect(rows).toEqual(
      expect.arrayContaining([
        { c: "1.0.0", p: "1.0.0", ok: true, cIn: ["production"], pIn: ["production"] },
        { c: "1.0.0", p: "2.1.0", ok: true, cIn: ["production"], pIn: [] },
        { c: "1.0.0", p: "3.0.0", ok: true, cIn: ["production"], pIn: [] },
        { c: "1.1.0", p: "1.0.0", ok: false, cIn: [], pIn: ["production"] },
        { c: "1.2.0", p: "1.0.0", ok: true, cIn: [], pIn: ["production"] },
      ]),
    );
    const one = await rest("GET", "/contracts/matrix?pacticipant=templates&version=2.1.0", undefined, READ_TOKEN);
    const oneRows = (one.body as unknown as { rows: { consumerVersion: string; providerVersion: string | null; success: boolean | null; kind: string }[] }).rows;
    expect(oneRows.filter((r) => r.providerVersion === "2.1.0").map((r) => r.consumerVersion).sort()).toEqual(["1.0.0", "1.2.0"]);
    expect(oneRows.find((r) => r.consumerVersion === "1.1.0")).toMatchObject({ providerVersion: null, success: null, kind: "http" });
  });
});
