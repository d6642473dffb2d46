/**
 * Demo contract history for a fresh portal (scripts/lib/seed.ts): what CI would have published to the
 * broker over a few releases, so the contract browser has real versions to diff.
 *
 * - Every Templator service publishes version 1.0.0: its OpenAPI document, the event schemas it writes
 *   and reads, and its pacts — exactly what `contracts/` holds now — and is deployed to staging and production.
 * - templates also has 0.9.0 (before the deprecate operation, the `q` filter and the deprecation fields:
 *   1.0.0 only added things) and 2.0.0-beta.1 on branch `next`, which breaks clients: a response
 *   property removed, a new required request property, and TemplatePublished v2 (a property removed,
 *   a new required one), while deprecating `GET /modules/{id}` with a sunset date.
 * - templates 1.0.0 verified the projects and analytics pacts; 2.0.0-beta.1 failed both.
 *
 * Idempotent: publishing replaces a version's record, and verifications and deployments are recorded
 * only when missing.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { z } from "zod";
import type { ContractsDb } from "./db";
import { recordDeployment, saveEnvironment } from "./deployments";
import { getMatrix } from "./matrix";
import { eventReadsOf, eventWritesOf, pactsOf } from "./participation";
import { publishContracts } from "./publish";
import { PublishInput, VerificationInput } from "./schemas";
import { recordVerification } from "./verifications";

type Json = Record<string, unknown>;
const SERVICES = ["templates", "ai", "assets", "projects", "analytics"] as const;
const PUBLISHED = "templator.events.v1.templates.TemplatePublished";
const SUNSET = "2027-03-31";

const clone = <T>(v: T): T => structuredClone(v);
const at = (doc: Json, ...keys: string[]): Json => keys.reduce((n, k) => (n as Json)[k] as Json, doc);

function withoutProperty(schema: Json, name: string): void {
  delete (schema.properties as Json)[name];
  if (Array.isArray(schema.required)) schema.required = (schema.required as string[]).filter((r) => r !== name);
}

/** templates 0.9.0: before the deprecation feature and the `q` filter. */
export function templatesV090(current: Json): Json {
  const doc = clone(current);
  (doc.info as Json).version = "0.9.0";
  delete (doc.paths as Json)["/templates/{id}/deprecate"];
  const list = at(doc, "paths", "/templates", "get");
  list.parameters = (list.parameters as Json[]).filter((p) => p.name !== "q");
  for (const name of ["TemplateSummary", "TemplateDetail"]) {
    const schema = at(doc, "components", "schemas", name);
    for (const p of ["deprecatedAt", "sunsetAt", "deprecationReason"]) if ((schema.properties as Json)[p]) withoutProperty(schema, p);
  }
  return doc;
}

/** templates 2.0.0-beta.1: breaking changes, an additive one, and two deprecations with a sunset date. */
export function templatesV200(current: Json): Json {
  const doc = clone(current);
  (doc.info as Json).version = "2.0.0-beta.1";
  withoutProperty(at(doc, "components", "schemas", "TemplateDetail"), "deprecationReason");
  const create = at(doc, "paths", "/templates", "post", "requestBody", "content", "application/json", "schema");
  (create.properties as Json).ownerTeam = { type: "string", minLength: 1, maxLength: 100, description: "The team that owns the template (its catalog owner)" };
  (create.required as string[]).push("ownerTeam");
  const summary = at(doc, "components", "schemas", "TemplateSummary");
  (summary.properties as Json).tags = { type: "array", items: { type: "string" }, description: "Free-form labels" };
  (summary.properties as Json).revision = { ...((summary.properties as Json).revision as Json), deprecated: true, description: "Use headVersion; revision goes away in 3.0.0", "x-sunset": SUNSET };
  Object.assign(at(doc, "paths", "/modules/{id}", "get"), { deprecated: true, "x-deprecated-since": "2026-11-01", "x-sunset": SUNSET, "x-replacement": "GET /modules?slug=<slug>" });
  return doc;
}

/** TemplatePublished v2: `title` removed, `publishedAt` required, `publishedBy` deprecated for `publishedById`. */
export function templatePublishedV2(v1: Json): Json {
  const doc = clone(v1);
  doc["x-event-version"] = 2;
  withoutProperty(doc, "title");
  const props = doc.properties as Json;
  props.publishedAt = { type: "string", format: "date-time", description: "When the saga published the version" };
  props.publishedById = { type: "string", minLength: 1, description: "The publishing user's id" };
  props.publishedBy = { ...(props.publishedBy as Json), deprecated: true, description: "Use publishedById", "x-sunset": SUNSET };
  (doc.required as string[]).push("publishedAt");
  return doc;
}

function readJson(file: string): Json | undefined {
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Json) : undefined;
}

type TPublish = z.input<typeof PublishInput>;

async function publish(db: ContractsDb, input: TPublish): Promise<void> {
  await publishContracts(db, PublishInput.parse(input));
}

async function verifyOnce(db: ContractsDb, input: z.input<typeof VerificationInput>): Promise<void> {
  const rows = await getMatrix(db, { pacticipant: input.consumer, version: input.consumerVersion, limit: 200 });
  if (rows.rows.some((r) => r.provider === input.provider && r.providerVersion === input.providerVersion)) return;
  await recordVerification(db, VerificationInput.parse(input));
}

/** Loads the demo contract history (idempotent). Returns a one-line summary. */
export async function seedDemoContracts(db: ContractsDb, root: string): Promise<string> {
  const pactDir = path.join(root, "contracts", "pacts");
  const currentApi = (service: string) => readJson(path.join(root, "contracts", "openapi", `${service}.json`));
  const reads = (service: string) => eventReadsOf(service, root).map((r) => ({ eventType: r.eventType, readerSchema: r.readerSchema }));
  const templatesApi = currentApi("templates");
  const writes = eventWritesOf("templates", root);
  if (!templatesApi) return "no contracts/ to publish";

  await publish(db, { pacticipant: "templates", version: "0.9.0", branch: "main", openapi: templatesV090(templatesApi), eventSchemas: writes, eventReads: reads("templates") });
  for (const service of SERVICES) {
    await publish(db, {
      pacticipant: service,
      version: "1.0.0",
      branch: "main",
      openapi: currentApi(service),
      pacts: pactsOf(service, pactDir).map((p) => ({ provider: p.provider, content: p.content })),
      eventSchemas: eventWritesOf(service, root),
      eventReads: reads(service),
    });
  }
  const v2Writes = writes.map((w) => (w.eventType === PUBLISHED ? { eventType: w.eventType, eventVersion: 2, schema: templatePublishedV2(w.schema) } : w));
  await publish(db, { pacticipant: "templates", version: "2.0.0-beta.1", branch: "next", openapi: templatesV200(templatesApi), eventSchemas: v2Writes, eventReads: reads("templates") });

  const ok = (interaction: string) => ({ interaction, success: true });
  await verifyOnce(db, { provider: "templates", providerVersion: "1.0.0", consumer: "projects", consumerVersion: "1.0.0", success: true, results: [ok("a request for a published template"), ok("a request for a template that does not exist")] });
  await verifyOnce(db, { provider: "templates", providerVersion: "1.0.0", consumer: "analytics", consumerVersion: "1.0.0", success: true, results: [ok("a TemplatePublished event")] });
  await verifyOnce(db, {
    provider: "templates",
    providerVersion: "2.0.0-beta.1",
    consumer: "projects",
    consumerVersion: "1.0.0",
    success: false,
    results: [{ interaction: "a request for a published template", success: false, mismatches: [{ type: "BodyMismatch", path: "$.deprecationReason", mismatch: "Expected deprecationReason but it was missing" }] }, ok("a request for a template that does not exist")],
  });
  await verifyOnce(db, {
    provider: "templates",
    providerVersion: "2.0.0-beta.1",
    consumer: "analytics",
    consumerVersion: "1.0.0",
    success: false,
    results: [{ interaction: "a TemplatePublished event", success: false, mismatches: [{ type: "BodyMismatch", path: "$.title", mismatch: "Expected title but it was missing" }] }],
  });

  await saveEnvironment(db, { name: "staging", production: false });
  await saveEnvironment(db, { name: "production", production: true });
  for (const service of SERVICES) {
    for (const environment of ["staging", "production"]) await recordDeployment(db, { pacticipant: service, version: "1.0.0", environment });
  }
  return `${SERVICES.length} services at 1.0.0, templates 0.9.0 and 2.0.0-beta.1`;
}
