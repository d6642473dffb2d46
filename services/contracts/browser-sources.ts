/**
 * Where the contract browser finds the versions of a contract: the committed files the code generates
 * (`contracts/openapi`, `contracts/events`), the released baselines (`contracts/released`), and what CI
 * published to the broker per pacticipant version. Every version gets a stable id for URLs:
 * `code`, `released:<version>`, `broker:<pacticipant version>`.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { DomainError } from "@/server/errors";
import { serviceOfEventType } from "@/server/messaging/envelope";
import { Prisma } from "@/prisma/contracts/client/client.ts";
import type { ContractsDb } from "./db";

export type TContractKind = "openapi" | "event";
export type TVersionSource = "code" | "released" | "broker";
type JsonObject = Record<string, unknown>;

/** One version of one contract (an OpenAPI document or an event's JSON Schema). */
export type TContractVersion = {
  id: string;
  label: string;
  source: TVersionSource;
  /** The contract's own version: `info.version`, or the event's `x-event-version`. */
  contractVersion: string;
  branch: string | null;
  publishedAt: Date | null;
  document: JsonObject;
};

/** Keys shown first, in this order; the rest alphabetically (PostgreSQL's jsonb does not keep key order). */
const KEY_ORDER = ["openapi", "$schema", "$id", "$ref", "title", "summary", "description", "x-event-version", "info", "servers", "tags", "paths", "components", "operationId", "deprecated", "type", "format", "enum", "const", "properties", "items", "required", "additionalProperties"];
const rank = (k: string) => {
  const i = KEY_ORDER.indexOf(k);
  return i === -1 ? KEY_ORDER.length : i;
};
const PRESERVED = new Set(["properties", "paths", "responses", "schemas", "content", "examples", "example", "default", "const", "enum"]);

/**
 * The document with its keys in a stable order, so versions from files and from the broker line up
 * in a side-by-side view. Maps whose keys are names (`properties`, `paths`, ...) are sorted by name.
 */
export function orderKeys(value: unknown, parentKey = ""): unknown {
  if (Array.isArray(value)) return value.map((v) => orderKeys(v));
  if (!value || typeof value !== "object") return value;
  const entries = Object.entries(value as JsonObject);
  const keep = PRESERVED.has(parentKey);
  if (parentKey === "example" || parentKey === "default" || parentKey === "const") return value;
  const sortedEntries = keep ? [...entries].sort(([a], [b]) => a.localeCompare(b)) : [...entries].sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
  return Object.fromEntries(sortedEntries.map(([k, v]) => [k, orderKeys(v, keep ? "" : k)]));
}

function readJson(file: string): JsonObject | undefined {
  try {
    const value = JSON.parse(readFileSync(file, "utf8")) as unknown;
    return value && typeof value === "object" && !Array.isArray(value) ? (orderKeys(value) as JsonObject) : undefined;
  } catch {
    return undefined;
  }
}

function jsonFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => n.endsWith(".json"))
    .sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
}

const openApiVersion = (doc: JsonObject) => String((doc.info as JsonObject | undefined)?.version ?? "?");
const eventVersion = (doc: JsonObject) => String(doc["x-event-version"] ?? "?");

/** The services with a committed OpenAPI document, committed event schemas, or a broker record. */
export async function servicesWithContracts(root: string, db: ContractsDb): Promise<string[]> {
  const names = new Set<string>();
  for (const f of jsonFiles(path.join(root, "contracts", "openapi"))) names.add(path.basename(f, ".json"));
  for (const f of jsonFiles(path.join(root, "contracts", "events"))) {
    const owner = serviceOfEventType(path.basename(f, ".json"));
    if (owner) names.add(owner);
  }
  for (const p of await db.pacticipant.findMany({ select: { name: true } })) names.add(p.name);
  return [...names].sort();
}

/** Throws NOT_FOUND unless `service` has contracts (files or broker). */
export async function assertService(root: string, db: ContractsDb, service: string): Promise<void> {
  const known = await servicesWithContracts(root, db);
  if (!known.includes(service)) throw new DomainError("NOT_FOUND", `no service "${service}" with contracts (known: ${known.join(", ")})`);
}

/** Every version of `service`'s OpenAPI document: the code's, the released ones, the broker's (oldest first). */
export async function openApiVersions(root: string, db: ContractsDb, service: string): Promise<TContractVersion[]> {
  const out: TContractVersion[] = [];
  const releasedDir = path.join(root, "contracts", "released", "openapi", service);
  for (const f of jsonFiles(releasedDir)) {
    const doc = readJson(path.join(releasedDir, f));
    if (doc) out.push({ id: `released:${openApiVersion(doc)}`, label: `released ${openApiVersion(doc)}`, source: "released", contractVersion: openApiVersion(doc), branch: null, publishedAt: null, document: doc });
  }
  const versions = await db.pacticipantVersion.findMany({
    where: { pacticipant: { name: service }, openapi: { not: Prisma.DbNull } },
    orderBy: { createdAt: "asc" },
    select: { number: true, branch: true, createdAt: true, openapi: true },
  });
  for (const v of versions) {
    const doc = v.openapi ? (orderKeys(v.openapi) as JsonObject) : null;
    if (!doc) continue;
    out.push({ id: `broker:${v.number}`, label: `${service} ${v.number}`, source: "broker", contractVersion: openApiVersion(doc), branch: v.branch, publishedAt: v.createdAt, document: doc });
  }
  const current = readJson(path.join(root, "contracts", "openapi", `${service}.json`));
  if (current) out.push({ id: "code", label: "code (contracts/openapi)", source: "code", contractVersion: openApiVersion(current), branch: null, publishedAt: null, document: current });
  return out;
}

/** The event types `service` writes: its committed event schemas and what its versions published to the broker. */
export async function eventTypesOf(root: string, db: ContractsDb, service: string): Promise<string[]> {
  const types = new Set<string>();
  for (const f of jsonFiles(path.join(root, "contracts", "events"))) {
    const t = path.basename(f, ".json");
    if (serviceOfEventType(t) === service) types.add(t);
  }
  const published = await db.eventSchema.findMany({ where: { version: { pacticipant: { name: service } } }, distinct: ["eventType"], select: { eventType: true } });
  for (const p of published) types.add(p.eventType);
  return [...types].sort();
}

/** Every version of an event type's schema: released baselines, the broker's, the code's (oldest first). */
export async function eventVersions(root: string, db: ContractsDb, eventType: string): Promise<TContractVersion[]> {
  const out: TContractVersion[] = [];
  const releasedDir = path.join(root, "contracts", "released", "events", eventType);
  for (const f of jsonFiles(releasedDir)) {
    const doc = readJson(path.join(releasedDir, f));
    if (doc) out.push({ id: `released:v${eventVersion(doc)}`, label: `released v${eventVersion(doc)}`, source: "released", contractVersion: eventVersion(doc), branch: null, publishedAt: null, document: doc });
  }
  const published = await db.eventSchema.findMany({
    where: { eventType },
    orderBy: { version: { createdAt: "asc" } },
    select: { eventVersion: true, schema: true, version: { select: { number: true, branch: true, createdAt: true, pacticipant: { select: { name: true } } } } },
  });
  for (const p of published) {
    out.push({
      id: `broker:${p.version.number}`,
      label: `${p.version.pacticipant.name} ${p.version.number} (v${p.eventVersion})`,
      source: "broker",
      contractVersion: String(p.eventVersion),
      branch: p.version.branch,
      publishedAt: p.version.createdAt,
      document: orderKeys(p.schema) as JsonObject,
    });
  }
  const current = readJson(path.join(root, "contracts", "events", `${eventType}.json`));
  if (current) out.push({ id: "code", label: `code (v${eventVersion(current)})`, source: "code", contractVersion: eventVersion(current), branch: null, publishedAt: null, document: current });
  return out;
}

/** The versions of one contract of `service`, or NOT_FOUND (unknown service, or an event type of another service). */
export async function contractVersions(root: string, db: ContractsDb, service: string, kind: TContractKind, subject: string): Promise<TContractVersion[]> {
  await assertService(root, db, service);
  if (kind === "openapi") {
    if (subject !== service) throw new DomainError("NOT_FOUND", `the OpenAPI contract of ${service} is named "${service}", not "${subject}"`);
    return openApiVersions(root, db, service);
  }
  if (serviceOfEventType(subject) !== service) throw new DomainError("NOT_FOUND", `"${subject}" is not an event type of ${service}`);
  const versions = await eventVersions(root, db, subject);
  if (versions.length === 0) throw new DomainError("NOT_FOUND", `no schema of event type "${subject}" is known`);
  return versions;
}
