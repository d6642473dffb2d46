import type { CatalogDb } from "./db";
import { parseEntityRef } from "./entity";

/** A service (Component) as the catalog list shows it. */
export type ServiceSummary = {
  ref: string;
  name: string;
  title: string | null;
  description: string | null;
  owner: string | null;
  ownerName: string | null;
  lifecycle: string | null;
  system: string | null;
  type: string | null;
  tags: string[];
  providesApis: string[];
  consumesApis: string[];
  dependsOn: string[];
  updatedAt: Date;
};

/** A linked entity on a service page. */
export type EntityLink = { ref: string; kind: string; name: string; title: string | null; exists: boolean };

export type ServiceDetail = ServiceSummary & {
  sourcePath: string;
  links: { url: string; title?: string }[];
  annotations: Record<string, string>;
  apis: { provided: ApiSummary[]; consumed: ApiSummary[] };
  dependencies: EntityLink[];
  dependents: EntityLink[];
};

export type ApiSummary = {
  ref: string;
  name: string;
  type: string | null;
  lifecycle: string | null;
  description: string | null;
  exists: boolean;
  providers: EntityLink[];
  consumers: EntityLink[];
};

/** The name part of an entity ref (`group:default/team-ai` -> `team-ai`). */
export function refName(ref: string | null): string | null {
  return ref ? parseEntityRef(ref).name : null;
}

const summarySelect = {
  ref: true,
  name: true,
  title: true,
  description: true,
  owner: true,
  lifecycle: true,
  system: true,
  type: true,
  tags: true,
  updatedAt: true,
  relations: { select: { type: true, targetRef: true } },
} as const;

type SummaryRow = {
  ref: string;
  name: string;
  title: string | null;
  description: string | null;
  owner: string | null;
  lifecycle: string | null;
  system: string | null;
  type: string | null;
  tags: string[];
  updatedAt: Date;
  relations: { type: string; targetRef: string }[];
};

function toSummary(row: SummaryRow): ServiceSummary {
  const targets = (type: string) => row.relations.filter((r) => r.type === type).map((r) => r.targetRef).sort();
  return {
    ref: row.ref,
    name: row.name,
    title: row.title,
    description: row.description,
    owner: row.owner,
    ownerName: refName(row.owner),
    lifecycle: row.lifecycle,
    system: row.system,
    type: row.type,
    tags: row.tags,
    providesApis: targets("providesApi"),
    consumesApis: targets("consumesApi"),
    dependsOn: targets("dependsOn"),
    updatedAt: row.updatedAt,
  };
}

export type ServiceFilter = { owner?: string; lifecycle?: string; search?: string };

/** Every Component in the catalog, by name, optionally filtered by owner name, lifecycle or a search term. */
export async function listServices(db: CatalogDb, filter: ServiceFilter = {}): Promise<ServiceSummary[]> {
  const search = filter.search?.trim();
  const rows = await db.entity.findMany({
    where: {
      kind: "Component",
      ...(filter.owner ? { owner: `group:default/${filter.owner.toLowerCase()}` } : {}),
      ...(filter.lifecycle ? { lifecycle: filter.lifecycle } : {}),
      ...(search
        ? {
            OR: [
              { name: { contains: search, mode: "insensitive" as const } },
              { title: { contains: search, mode: "insensitive" as const } },
              { description: { contains: search, mode: "insensitive" as const } },
              { tags: { has: search.toLowerCase() } },
            ],
          }
        : {}),
    },
    select: summarySelect,
    orderBy: { name: "asc" },
  });
  return rows.map(toSummary);
}

async function describe(db: CatalogDb, refs: string[]): Promise<Map<string, EntityLink>> {
  const unique = [...new Set(refs)];
  const found = await db.entity.findMany({
    where: { ref: { in: unique } },
    select: { ref: true, kind: true, name: true, title: true },
  });
  const byRef = new Map(found.map((e) => [e.ref, { ...e, kind: e.kind.toLowerCase(), exists: true }]));
  return new Map(
    unique.map((ref) => {
      const p = parseEntityRef(ref);
      return [ref, byRef.get(ref) ?? { ref, kind: p.kind, name: p.name, title: null, exists: false }];
    }),
  );
}

/** One Component with its APIs (and who provides/consumes each), dependencies and dependents. */
export async function getService(db: CatalogDb, name: string): Promise<ServiceDetail | undefined> {
  const ref = `component:default/${name.toLowerCase()}`;
  const row = await db.entity.findUnique({
    where: { ref },
    select: { ...summarySelect, sourcePath: true, metadata: true },
  });
  if (!row) return undefined;
  const summary = toSummary(row);
  const apiRefs = [...summary.providesApis, ...summary.consumesApis];
  const [apis, apiRelations, dependents] = await Promise.all([
    db.entity.findMany({
      where: { ref: { in: apiRefs } },
      select: { ref: true, name: true, type: true, lifecycle: true, description: true },
    }),
    db.relation.findMany({
      where: { targetRef: { in: apiRefs }, type: { in: ["providesApi", "consumesApi"] } },
      select: { sourceRef: true, type: true, targetRef: true },
    }),
    db.relation.findMany({ where: { targetRef: ref, type: "dependsOn" }, select: { sourceRef: true } }),
  ]);
  const links = await describe(db, [
    ...summary.dependsOn,
    ...dependents.map((d) => d.sourceRef),
    ...apiRelations.map((r) => r.sourceRef),
  ]);
  const apiByRef = new Map(apis.map((a) => [a.ref, a]));
  const apiSummary = (apiRef: string): ApiSummary => {
    const a = apiByRef.get(apiRef);
    const linked = (type: string) =>
      apiRelations.filter((r) => r.targetRef === apiRef && r.type === type).map((r) => links.get(r.sourceRef)!);
    return {
      ref: apiRef,
      name: a?.name ?? parseEntityRef(apiRef).name,
      type: a?.type ?? null,
      lifecycle: a?.lifecycle ?? null,
      description: a?.description ?? null,
      exists: Boolean(a),
      providers: linked("providesApi"),
      consumers: linked("consumesApi"),
    };
  };
  const metadata = row.metadata as { links?: { url: string; title?: string }[]; annotations?: Record<string, string> };
  return {
    ...summary,
    sourcePath: row.sourcePath,
    links: metadata.links ?? [],
    annotations: metadata.annotations ?? {},
    apis: { provided: summary.providesApis.map(apiSummary), consumed: summary.consumesApis.map(apiSummary) },
    dependencies: summary.dependsOn.map((r) => links.get(r)!),
    dependents: dependents.map((d) => links.get(d.sourceRef)!),
  };
}

/** The most recent catalog sync runs, newest first. */
export async function listSyncRuns(db: CatalogDb, limit = 10) {
  return db.syncRun.findMany({ orderBy: { startedAt: "desc" }, take: limit });
}
