import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { providerWithMetadata, Verifier } from "@pact-foundation/pact";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateTemplateInput } from "@/services/templates/schemas";
import { templateEvents } from "@/services/templates/events";
import { createTemplate, getTemplate, markPublished } from "@/services/templates/templates";
import { createTestApp, ROOT, type TestApp } from "@/tests/helpers/test-app";
import { PACTS_DIR, startRestServer } from "./support";

// Pact's native core may otherwise report usage over the network (docs: PACT_DO_NOT_TRACK).
process.env.PACT_DO_NOT_TRACK = "true";

/**
 * The whole flow, as CI would run it, against Switchyard's own broker on a real database:
 * provider verification of the committed pacts (HTTP: the real REST handler over real HTTP, with
 * provider states that create the data; message: the real producer code and event definition) ->
 * `switchyard contracts publish` -> verification results recorded -> `switchyard record-deployment`
 * -> `switchyard can-i-deploy` says yes (and unknown for a pact nobody verified).
 */
const CI_TOKEN = "ci-publisher-secret-0123456789";
const PROJECTS_TOKEN = "projects-service-secret-0123456789";
const BIN = path.join(ROOT, "scripts/cli/bin.mjs");
const PUBLISHED = templateEvents.TemplatePublished;

let app: TestApp;
let server: { url: string; close(): Promise<void> };
let scratch: string;

type Run = { code: number | null; stdout: string; stderr: string };

/** Runs the real `switchyard` executable against the broker, as a CI job would. */
function switchyard(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, SWITCHYARD_URL: server.url, SWITCHYARD_TOKEN: CI_TOKEN },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** A published template (idempotent by slug): what the provider states and the message producer need. */
async function publishedTemplate(slug: string): Promise<{ id: string; version: number }> {
  const existing = await getTemplate(app.db.templates, slug).catch(() => undefined);
  if (existing?.status === "published") return { id: existing.id, version: existing.publishedVersion! };
  const t = existing ?? (await createTemplate(app.db.templates, CreateTemplateInput.parse({ slug, title: "Incident postmortem", body: "# {{title}}", variables: [{ name: "title", type: "string", required: true }] }), "user-7"));
  await markPublished(app.db.templates, t.id, t.headVersion, "user-7");
  return { id: t.id, version: t.headVersion };
}

type Results = { interaction: string; success: boolean; mismatches?: unknown[] }[];

/**
 * Per-interaction results from the Pact verifier's JSON report (what `verifyProvider` resolves with,
 * or its error's message when verification fails): `interactionResults` with the mismatches of `errors`.
 */
function interactionResults(report: string): { success: boolean; results: Results } {
  const parsed = JSON.parse(report) as {
    result: boolean;
    interactionResults?: { description: string; result: string }[];
    errors?: { interaction: string; mismatch?: { mismatches?: unknown[] } }[];
  };
  const results = (parsed.interactionResults ?? []).map((r) => {
    const error = parsed.errors?.find((e) => e.interaction.endsWith(` - ${r.description}`));
    return { interaction: r.description, success: !error && r.result !== "Error", ...(error ? { mismatches: error.mismatch?.mismatches ?? [error.mismatch] } : {}) };
  });
  return { success: parsed.result, results };
}

async function verify(opts: ConstructorParameters<typeof Verifier>[0]): Promise<{ success: boolean; results: Results }> {
  try {
    return interactionResults(String(await new Verifier({ logLevel: "warn", ...opts }).verifyProvider()));
  } catch (error) {
    return interactionResults((error as Error).message);
  }
}

async function recordVerification(consumer: string, consumerVersion: string, providerVersion: string, outcome: { success: boolean; results: Results }) {
  const res = await fetch(`${server.url}/api/v1/contracts/verifications`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${CI_TOKEN}` },
    body: JSON.stringify({ provider: "templates", providerVersion, consumer, consumerVersion, ...outcome }),
  });
  expect(res.status, await res.clone().text()).toBe(201);
}

beforeAll(async () => {
  app = await createTestApp({ env: { API_TOKENS: `ci:contracts:publish:${CI_TOKEN},projects-service:templates:read:${PROJECTS_TOKEN}` } });
  server = await startRestServer(app);
  scratch = mkdtempSync(path.join(os.tmpdir(), "switchyard-flow-"));
});

afterAll(async () => {
  await server?.close();
  await app?.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

describe("contracts from pact to deployment", { timeout: 120_000 }, () => {
  let http: { success: boolean; results: Results };
  let message: { success: boolean; results: Results };

  it("templates verifies projects' HTTP pact against its real REST API on a real database", async () => {
    http = await verify(
      {
        provider: "templates",
        providerBaseUrl: server.url,
        pactUrls: [path.join(PACTS_DIR, "projects-templates.json")],
        stateHandlers: {
          "a published template": async (params?: unknown) => ({ id: (await publishedTemplate(String((params as { slug?: string } | undefined)?.slug ?? "incident-postmortem"))).id }),
          "no template with this id": async () => undefined,
        },
        // The consumer's token is its own; the provider swaps in one this portal accepts (API_TOKENS).
        requestFilter: (req: { headers: Record<string, unknown> }, _res: unknown, next: () => void) => {
          req.headers.authorization = `Bearer ${PROJECTS_TOKEN}`;
          next();
        },
      },
    );
    expect(http).toEqual({
      success: true,
      results: [
        { interaction: "a request for a published template", success: true },
        { interaction: "a request for a template that does not exist", success: true },
      ],
    });
  });

  it("templates verifies analytics' message pact with its real producer code and event definition", async () => {
    let produced = 0;
    message = await verify(
      {
        provider: "templates",
        pactUrls: [path.join(PACTS_DIR, "analytics-templates.json")],
        // The message provider publishes its own template: the state needs no setup.
        stateHandlers: { "a template was published": async () => undefined },
        messageProviders: {
          // Publishing a template writes TemplatePublished through the outbox, which checks it against the
          // event's definition; the message is what landed there.
          "a TemplatePublished event": providerWithMetadata(async () => {
            const { id } = await publishedTemplate(`flow-message-${++produced}`);
            const row = await app.pool.query<{ payload: Record<string, unknown> }>(
              `SELECT payload FROM templates.outbox WHERE aggregate_id = $1 AND event_type = $2 ORDER BY seq DESC LIMIT 1`,
              [id, PUBLISHED.type],
            );
            return row.rows[0]!.payload;
          }, { eventType: PUBLISHED.type, version: String(PUBLISHED.version) }),
        },
      },
    );
    expect(produced).toBeGreaterThan(0);
    expect(message).toEqual({ success: true, results: [{ interaction: "a TemplatePublished event", success: true }] });
  });

  it("publishes, records the verifications and deployments, and can-i-deploy says yes", async () => {
    expect((await switchyard("create-environment", "--name", "production", "--production")).code).toBe(0);

    const projects = await switchyard("contracts", "publish", "--service", "projects", "--version", "p-1", "--branch", "main");
    expect(projects.stderr).toBe("");
    expect(projects.code).toBe(0);
    expect(projects.stdout).toMatch(/pact with templates: http, 2 interaction\(s\)/);
    const analytics = await switchyard("contracts", "publish", "--service", "analytics", "--version", "a-1");
    expect(analytics.code).toBe(0);
    expect(analytics.stdout).toMatch(/pact with templates: message, 1 interaction\(s\)/);
    expect(analytics.stdout).toMatch(/reads templator\.events\.v1\.templates\.TemplatePublished \(consumer analytics\.event-feed, consumer analytics\.metrics\)/);
    const templates = await switchyard("contracts", "publish", "--service", "templates", "--version", "t-1");
    expect(templates.code).toBe(0);
    expect(templates.stdout).toMatch(/event schema\(s\) written, \d+ event type\(s\) read, OpenAPI document/);
    // The HTTP API's document travels with the version: the contract browser lists and compares it.
    const stored = await app.db.contracts.pacticipantVersion.findFirst({ where: { number: "t-1", pacticipant: { name: "templates" } }, select: { openapi: true } });
    expect((stored?.openapi as { info?: { title?: string } } | null)?.info?.title).toMatch(/templates/i);

    await recordVerification("projects", "p-1", "t-1", http);
    await recordVerification("analytics", "a-1", "t-1", message);

    // templates first: nothing it provides to is deployed yet.
    const first = await switchyard("can-i-deploy", "--service", "templates", "--version", "t-1", "--to-environment", "production");
    expect(first.code).toBe(0);
    expect((await switchyard("record-deployment", "--service", "templates", "--version", "t-1", "--environment", "production")).stdout).toMatch(/recorded: templates t-1 runs in production/);

    for (const [service, version] of [["projects", "p-1"], ["analytics", "a-1"]] as const) {
      const answer = await switchyard("can-i-deploy", "--service", service, "--version", version, "--to-environment", "production");
      expect(answer.stdout, answer.stderr).toMatch(new RegExp(`^yes: ${service} ${version} can be deployed to production`));
      expect(answer.code).toBe(0);
      expect((await switchyard("record-deployment", "--service", service, "--version", version, "--environment", "production")).code).toBe(0);
    }
    const analyticsAnswer = await switchyard("can-i-deploy", "--service", "analytics", "--version", "a-1", "--to-environment", "production", "--format", "json");
    expect(JSON.parse(analyticsAnswer.stdout).reasons).toEqual(
      expect.arrayContaining([
        { check: "pact-as-consumer", outcome: "yes", message: "the pact with templates was verified by templates t-1, deployed in production" },
        { check: "event-read", outcome: "yes", message: `analytics a-1 can read ${PUBLISHED.type} (v1) as written by templates t-1` },
      ]),
    );

    // And the provider's next version, against both deployed consumers (pacts and event readers).
    const again = await switchyard("can-i-deploy", "--service", "templates", "--version", "t-1", "--to-environment", "production", "--format", "json");
    expect(JSON.parse(again.stdout)).toMatchObject({ result: "yes" });
    expect(JSON.parse(again.stdout).reasons).toContainEqual({ check: "event-written", outcome: "yes", message: `analytics a-1 can read ${PUBLISHED.type} (v1) as written by templates t-1` });
  });

  it("a new consumer version with a changed pact is unknown (exit 2) until the provider verifies it", async () => {
    const pacts = path.join(scratch, "pacts");
    cpSync(PACTS_DIR, pacts, { recursive: true });
    const file = path.join(pacts, "projects-templates.json");
    const pact = JSON.parse(readFileSync(file, "utf8")) as { interactions: { description: string }[] };
    pact.interactions[1]!.description = "a request for a template that was deleted";
    writeFileSync(file, JSON.stringify(pact));
    expect((await switchyard("contracts", "publish", "--service", "projects", "--version", "p-2", "--pacts", pacts, "--no-events")).code).toBe(0);
    const answer = await switchyard("can-i-deploy", "--service", "projects", "--version", "p-2", "--to-environment", "production");
    expect(answer.code).toBe(2);
    expect(answer.stdout).toMatch(/^unknown: projects p-2 may not \(unknown\) be deployed to production/);
    expect(answer.stdout).toMatch(/unknown +pact-as-consumer: the pact with templates has not been verified by templates t-1, deployed in production/);
  });

  it("a provider version that fails a deployed consumer's pact cannot be deployed (exit 1), naming the interactions", async () => {
    // Without the request filter the consumer's own token reaches the provider, which refuses it: 401.
    const broken = await verify({ provider: "templates", providerBaseUrl: server.url, pactUrls: [path.join(PACTS_DIR, "projects-templates.json")], stateHandlers: { "a published template": async () => ({ id: "x" }), "no template with this id": async () => undefined } });
    expect(broken.success).toBe(false);
    expect(broken.results).toEqual([
      expect.objectContaining({ interaction: "a request for a published template", success: false, mismatches: expect.arrayContaining([expect.objectContaining({ type: "StatusMismatch", actual: 401 })]) }),
      expect.objectContaining({ interaction: "a request for a template that does not exist", success: false }),
    ]);
    expect((await switchyard("contracts", "publish", "--service", "templates", "--version", "t-broken")).code).toBe(0);
    await recordVerification("projects", "p-1", "t-broken", broken);
    const answer = await switchyard("can-i-deploy", "--service", "templates", "--version", "t-broken", "--to-environment", "production");
    expect(answer.code).toBe(1);
    expect(answer.stdout).toMatch(/^no: templates t-broken cannot be deployed to production/);
    expect(answer.stdout).toMatch(/no +pact-as-provider: templates t-broken failed to verify the pact of projects p-1, deployed in production: a request for a published template; a request for a template that does not exist/);
  });

  it("the CLI refuses without a token that may publish", async () => {
    const denied = await new Promise<Run>((resolve) => {
      const child = spawn(process.execPath, [BIN, "record-deployment", "--service", "projects", "--version", "p-1", "--environment", "production", "--broker", server.url, "--token", "wrong-token-0123456789abcdef"], {
        cwd: ROOT,
        env: { ...process.env, SWITCHYARD_TOKEN: "" },
      });
      let stderr = "";
      child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("close", (code) => resolve({ code, stdout: "", stderr }));
    });
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(/the broker refused \(HTTP 401\)/);
  });
});
