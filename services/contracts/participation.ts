/**
 * What a service takes part in, read from the code and the checkout — what `switchyard contracts
 * publish` sends to the broker: the pacts it holds as a consumer, the event schemas it writes, and the
 * event types it reads with its reader schemas. (Loads the consumer registry: CLI use, not the web.)
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import type { z } from "zod";
import { serviceOfEventType } from "@/server/messaging/envelope";
import { eventDefinition } from "@/server/messaging/registry";
import { toJsonSchema } from "@/server/rest/json-schema";
import "@/services/events";
import { messagingRegistry } from "@/workers/consumers";
import { openContentModels } from "./event-compat";

export type EventWrite = { eventType: string; eventVersion: number; schema: Record<string, unknown> };
export type EventRead = { eventType: string; readerSchema: Record<string, unknown>; source: string };
export type PactFile = { file: string; provider: string; content: Record<string, unknown> };

const DIALECT = "https://json-schema.org/draft/2020-12/schema";

function readJson(file: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
}

function jsonFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => n.endsWith(".json"))
    .sort()
    .map((n) => path.join(dir, n));
}

/** The pact files in `dir` whose consumer is `service`. */
export function pactsOf(service: string, dir: string): PactFile[] {
  return jsonFiles(dir).flatMap((file) => {
    const content = readJson(file);
    const consumer = (content.consumer as { name?: string } | undefined)?.name;
    const provider = (content.provider as { name?: string } | undefined)?.name;
    return consumer === service && typeof provider === "string" ? [{ file, provider, content }] : [];
  });
}

/** The event schemas `service` writes: its files under contracts/events/, with their versions. */
export function eventWritesOf(service: string, root: string): EventWrite[] {
  return jsonFiles(path.join(root, "contracts", "events")).flatMap((file) => {
    const eventType = path.basename(file, ".json");
    if (serviceOfEventType(eventType) !== service) return [];
    const schema = readJson(file);
    const eventVersion = schema["x-event-version"];
    if (typeof eventVersion !== "number") throw new Error(`${file}: no x-event-version`);
    return [{ eventType, eventVersion, schema }];
  });
}

/** A reader schema: what a zod payload schema accepts when it parses (its input form; unknown keys ignored). */
function readerSchemaOf(schema: z.ZodType): Record<string, unknown> {
  return { $schema: DIALECT, ...toJsonSchema(schema, "input") };
}

/** The event types of `<service>-events` APIs a service's catalog entry lists in consumesApis. */
function catalogEventApis(service: string, root: string): string[] {
  const file = path.join(root, "services", service, "catalog-info.yaml");
  if (!existsSync(file)) return [];
  const docs = parseAllDocuments(readFileSync(file, "utf8")).map((d) => d.toJS() as { kind?: string; metadata?: { name?: string }; spec?: { consumesApis?: unknown } });
  const component = docs.find((d) => d?.kind === "Component" && d.metadata?.name === service);
  const apis = Array.isArray(component?.spec?.consumesApis) ? (component.spec.consumesApis as unknown[]) : [];
  return apis.filter((a): a is string => typeof a === "string" && a.endsWith("-events")).map((a) => a.replace(/^api:(default\/)?/, "").slice(0, -"-events".length));
}

/**
 * The event types `service` reads, with its reader schemas:
 * - from its consumers in workers/consumers.ts: the consumer's own payload schema for the type, else
 *   the type's published definition — as zod parses it (the consumer runtime validates with the
 *   published definition for every consumer); two consumers of the service reading one type with
 *   different schemas must both be satisfied (`allOf`);
 * - from its catalog entry's consumesApis (`<producer>-events`), for the types no consumer covers
 *   yet: the type's current published schema as a tolerant reader applies it (closed models opened).
 */
export function eventReadsOf(service: string, root: string): EventRead[] {
  const bySchema = new Map<string, { schemas: Map<string, Record<string, unknown>>; sources: string[] }>();
  for (const consumer of messagingRegistry.consumers.filter((c) => c.service === service)) {
    for (const eventType of consumer.eventTypes) {
      const schema = consumer.payloads?.[eventType] ?? eventDefinition(eventType)?.payload;
      const reader = schema ? readerSchemaOf(schema) : { $schema: DIALECT };
      const entry = bySchema.get(eventType) ?? { schemas: new Map<string, Record<string, unknown>>(), sources: [] as string[] };
      entry.schemas.set(JSON.stringify(reader), reader);
      entry.sources.push(`consumer ${consumer.name}`);
      bySchema.set(eventType, entry);
    }
  }
  const reads: EventRead[] = [...bySchema].map(([eventType, { schemas, sources }]) => {
    const all = [...schemas.values()];
    return { eventType, readerSchema: all.length === 1 ? all[0]! : { $schema: DIALECT, allOf: all.map(({ $schema: _d, ...s }) => s) }, source: sources.join(", ") };
  });
  for (const producer of catalogEventApis(service, root)) {
    for (const w of eventWritesOf(producer, root)) {
      if (bySchema.has(w.eventType)) continue;
      reads.push({ eventType: w.eventType, readerSchema: openContentModels(w.schema) as Record<string, unknown>, source: `catalog consumesApis ${producer}-events` });
    }
  }
  return reads.sort((a, b) => a.eventType.localeCompare(b.eventType));
}
