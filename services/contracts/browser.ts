/**
 * The contract browser's reads (docs/decisions/013-contract-browser.md): every service with a summary of
 * its contracts, and one service's REST operations, events with all their schema versions, deprecations
 * and published versions. Contracts come from the checkout (`contracts/`) and from the broker.
 */
import { consumersOf, declaredConsumers, observedConsumers, type TObservedEdges } from "./browser-consumers";
import { eventDeprecations, openApiDeprecations, operationsOf, type TDeprecation, type TOperationView } from "./browser-openapi";
import { assertService, eventTypesOf, eventVersions, openApiVersions, servicesWithContracts, type TContractVersion } from "./browser-sources";
import { contractMatrix, providerVerification, type TCheckStatus } from "./browser-matrix";
import { canonicalJson } from "./compat/refs";
import type { ContractsDb } from "./db";

type JsonObject = Record<string, unknown>;
const HOUR = 3_600_000;

/** The traces window consumers are observed over: the last `hours` hours. */
export function observationWindow(hours: number, now = new Date()): { from: Date; to: Date } {
  return { from: new Date(now.getTime() - hours * HOUR), to: now };
}

/** The version a page shows by default: the code's, else the newest published. */
const shown = <T extends { source: string }>(versions: T[]): T | undefined => versions.find((v) => v.source === "code") ?? versions.at(-1);

function dedupe(items: TDeprecation[]): TDeprecation[] {
  const seen = new Set<string>();
  return items.filter((d) => {
    const key = `${d.kind} ${d.subject}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Deprecations in force: what the code's contracts and the newest published ones declare. */
function deprecationsOf(api: TContractVersion[], events: { eventType: string; versions: TContractVersion[] }[]): TDeprecation[] {
  const inForce = <T extends { source: string }>(versions: T[]) => [versions.find((v) => v.source === "code"), versions.filter((v) => v.source === "broker").at(-1)].filter((v): v is T => Boolean(v));
  return dedupe([
    ...inForce(api).flatMap((v) => openApiDeprecations(v.document, v.label)),
    ...events.flatMap((e) => inForce(e.versions).flatMap((v) => eventDeprecations(e.eventType, v.document, v.label))),
  ]);
}

export type TServiceSummary = {
  service: string;
  title: string | null;
  apiVersion: string | null;
  operations: number;
  events: number;
  consumers: number;
  deprecations: number;
  versions: { number: string; branch: string | null; createdAt: Date }[];
  deployed: { environment: string; version: string }[];
  verification: { status: TCheckStatus | "none"; providerVersion: string | null; at: Date | null };
};

/** Every service with contracts, with counts of operations, events, consumers (declared and observed) and deprecations. */
export async function listContractServices(root: string, db: ContractsDb, observe: TObservedEdges, window: { from: Date; to: Date }): Promise<TServiceSummary[]> {
  const services = await servicesWithContracts(root, db);
  const declared = await declaredConsumers(db);
  const observed = await observedConsumers(observe, window);
  const matrix = await contractMatrix(db);
  const versions = await db.pacticipantVersion.findMany({ orderBy: { createdAt: "asc" }, select: { number: true, branch: true, createdAt: true, pacticipant: { select: { name: true } } } });
  const deployments = await db.deployment.findMany({ where: { undeployedAt: null }, orderBy: { environment: { name: "asc" } }, select: { pacticipant: { select: { name: true } }, environment: { select: { name: true } }, version: { select: { number: true } } } });
  const out: TServiceSummary[] = [];
  for (const service of services) {
    const api = await openApiVersions(root, db, service);
    const doc = shown(api)?.document;
    const eventTypes = await eventTypesOf(root, db, service);
    const events = await Promise.all(eventTypes.map(async (eventType) => ({ eventType, versions: await eventVersions(root, db, eventType) })));
    const consumers = new Set([
      ...(declared.api.get(service)?.keys() ?? []),
      ...(declared.events.get(service)?.keys() ?? []),
      ...(observed.api.get(service)?.keys() ?? []),
      ...(observed.events.get(service)?.keys() ?? []),
    ]);
    const info = (doc?.info ?? {}) as JsonObject;
    out.push({
      service,
      title: typeof info.title === "string" ? info.title : null,
      apiVersion: typeof info.version === "string" ? info.version : null,
      operations: doc ? operationsOf(doc).length : 0,
      events: eventTypes.length,
      consumers: consumers.size,
      deprecations: deprecationsOf(api, events).length,
      versions: versions.filter((v) => v.pacticipant.name === service).map(({ pacticipant: _p, ...v }) => v),
      deployed: deployments.filter((d) => d.pacticipant.name === service).map((d) => ({ environment: d.environment.name, version: d.version.number })),
      verification: providerVerification(matrix, service),
    });
  }
  return out;
}

type TVersionRef = Omit<TContractVersion, "document">;
const ref = ({ document: _d, ...v }: TContractVersion): TVersionRef => v;

export type TServiceContracts = {
  service: string;
  api: { versions: TVersionRef[]; shownVersion: string | null; title: string | null; description: string | null; operations: TOperationView[] } | null;
  events: { eventType: string; name: string; description: string | null; versions: (TVersionRef & { schema: JsonObject; sameAs: string | null })[] }[];
  deprecations: TDeprecation[];
  versions: { number: string; branch: string | null; createdAt: Date; deployedIn: string[] }[];
};

/** One service's contracts: its REST operations (of the code's document, else the newest published), events with every schema version, deprecations, published versions. */
export async function getServiceContracts(root: string, db: ContractsDb, service: string): Promise<TServiceContracts> {
  await assertService(root, db, service);
  const api = await openApiVersions(root, db, service);
  const doc = shown(api);
  const eventTypes = await eventTypesOf(root, db, service);
  const events = await Promise.all(eventTypes.map(async (eventType) => ({ eventType, versions: await eventVersions(root, db, eventType) })));
  const versions = await db.pacticipantVersion.findMany({
    where: { pacticipant: { name: service } },
    orderBy: { createdAt: "asc" },
    select: { number: true, branch: true, createdAt: true, deployments: { where: { undeployedAt: null }, select: { environment: { select: { name: true } } } } },
  });
  const info = (doc?.document.info ?? {}) as JsonObject;
  return {
    service,
    api: doc
      ? {
          versions: api.map(ref),
          shownVersion: doc.id,
          title: typeof info.title === "string" ? info.title : null,
          description: typeof info.description === "string" ? info.description : null,
          operations: operationsOf(doc.document),
        }
      : null,
    events: events.map((e) => {
      const current = shown(e.versions)?.document;
      return {
        eventType: e.eventType,
        name: e.eventType.split(".").at(-1) ?? e.eventType,
        description: typeof current?.description === "string" ? current.description : null,
        // Identical schemas published by several versions are marked, so the page can tell real changes apart.
        versions: e.versions.map((v, i) => {
          const text = canonicalJson(v.document);
          const same = e.versions.slice(0, i).find((o) => canonicalJson(o.document) === text);
          return { ...ref(v), schema: v.document, sameAs: same?.id ?? null };
        }),
      };
    }),
    deprecations: deprecationsOf(api, events),
    versions: versions.map((v) => ({ number: v.number, branch: v.branch, createdAt: v.createdAt, deployedIn: v.deployments.map((d) => d.environment.name).sort() })),
  };
}

/** Who consumes `service`'s API and events, declared and observed over the window. */
export async function getServiceConsumers(root: string, db: ContractsDb, observe: TObservedEdges, service: string, window: { from: Date; to: Date }) {
  await assertService(root, db, service);
  return consumersOf(db, observe, service, await eventTypesOf(root, db, service), window);
}
