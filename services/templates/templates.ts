import type { z } from "zod";
import { DomainError } from "@/server/errors";
import { transactWithEvents } from "@/server/messaging/outbox";
import type { TemplatesDb } from "./db";
import { templateEvents } from "./events";
import { scanBody } from "./placeholders";
import type { CreateTemplateInput, DeprecateTemplateInput, ListTemplatesInput, UpdateTemplateInput, Variable } from "./schemas";

type Tx = Parameters<Parameters<TemplatesDb["$transaction"]>[0]>[0];
type Row = NonNullable<Awaited<ReturnType<TemplatesDb["template"]["findUnique"]>>>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `id` may be the template's id or its slug. */
export const byIdOrSlug = (id: string) => (UUID.test(id) ? { id } : { slug: id });

function summary(t: Row) {
  return {
    id: t.id,
    slug: t.slug,
    title: t.title,
    description: t.description,
    status: t.status as "draft" | "in_review" | "published" | "deprecated",
    headVersion: t.headVersion,
    publishedVersion: t.publishedVersion,
    revision: t.revision,
    updatedAt: t.updatedAt,
    deprecatedAt: t.deprecatedAt,
    sunsetAt: t.sunsetAt,
  };
}

/**
 * Checks a body against its declared variables and the modules it includes: every `{{name}}` must be
 * declared by the template or by an included module, every `{{> slug}}` must be an existing module.
 * Returns the module slugs, in order of use.
 */
async function checkContent(tx: Tx, body: string, variables: Variable[]): Promise<string[]> {
  const names = variables.map((v) => v.name);
  const dupes = names.filter((n, i) => names.indexOf(n) !== i);
  if (dupes.length) throw new DomainError("BAD_REQUEST", `variables declared twice: ${[...new Set(dupes)].join(", ")}`);
  for (const v of variables) {
    if (v.type === "enum" && !v.options?.length) throw new DomainError("BAD_REQUEST", `variable "${v.name}" is an enum without options`);
  }
  const used = scanBody(body);
  const modules = used.modules.length ? await tx.module.findMany({ where: { slug: { in: used.modules } }, select: { slug: true, variables: true } }) : [];
  const missing = used.modules.filter((m) => !modules.some((x) => x.slug === m));
  if (missing.length) throw new DomainError("BAD_REQUEST", `the body includes modules that do not exist: ${missing.join(", ")}`);
  const declared = new Set([...names, ...modules.flatMap((m) => (m.variables as Variable[]).map((v) => v.name))]);
  const undeclared = used.variables.filter((v) => !declared.has(v));
  if (undeclared.length) throw new DomainError("BAD_REQUEST", `the body uses variables that are not declared: ${undeclared.join(", ")}`);
  return used.modules;
}

/** Lists templates by slug, optionally by status and words; cursor-paged. */
export async function listTemplates(db: TemplatesDb, input: z.output<typeof ListTemplatesInput>) {
  const rows = await db.template.findMany({
    where: {
      ...(input.status ? { status: input.status } : {}),
      ...(input.q
        ? { OR: ["slug", "title", "description"].map((f) => ({ [f]: { contains: input.q, mode: "insensitive" as const } })) }
        : {}),
      ...(input.cursor ? { slug: { gt: input.cursor } } : {}),
    },
    orderBy: { slug: "asc" },
    take: input.limit + 1,
  });
  const page = rows.slice(0, input.limit);
  return { items: page.map(summary), nextCursor: rows.length > input.limit ? page[page.length - 1]!.slug : null };
}

/** One template with its current (or a chosen) version and its version history. */
export async function getTemplate(db: TemplatesDb | Tx, id: string, version?: number) {
  const t = await db.template.findUnique({ where: byIdOrSlug(id), include: { versions: { orderBy: { version: "desc" } } } });
  if (!t) throw new DomainError("NOT_FOUND", `no template "${id}"`);
  const v = t.versions.find((x) => x.version === (version ?? t.headVersion));
  if (!v) throw new DomainError("NOT_FOUND", `template "${t.slug}" has no version ${version}`);
  return {
    ...summary(t),
    createdBy: t.createdBy,
    createdAt: t.createdAt,
    deprecationReason: t.deprecationReason,
    current: {
      version: v.version,
      body: v.body,
      variables: v.variables as Variable[],
      modules: v.modules,
      assetIds: v.assetIds,
      changelog: v.changelog,
      createdBy: v.createdBy,
      createdAt: v.createdAt,
    },
    versions: t.versions.map((x) => ({ version: x.version, changelog: x.changelog, createdBy: x.createdBy, createdAt: x.createdAt })),
  };
}

/** Creates a draft template (version 1) and emits TemplateUpdated, in one transaction. */
export async function createTemplate(db: TemplatesDb, input: z.output<typeof CreateTemplateInput>, actor: string, correlationId?: string) {
  const { result } = await transactWithEvents(db, "templates", async (tx: Tx, emit) => {
    if (await tx.template.findUnique({ where: { slug: input.slug }, select: { id: true } })) {
      throw new DomainError("CONFLICT", `a template with slug "${input.slug}" already exists`);
    }
    const modules = await checkContent(tx, input.body, input.variables);
    const t = await tx.template.create({
      data: {
        slug: input.slug,
        title: input.title,
        description: input.description,
        createdBy: actor,
        versions: { create: { version: 1, body: input.body, variables: input.variables, modules, assetIds: input.assetIds, changelog: "Created", createdBy: actor } },
      },
    });
    emit({
      eventType: templateEvents.TemplateUpdated.type,
      aggregateId: t.id,
      aggregateVersion: t.revision,
      correlationId,
      payload: templateEvents.TemplateUpdated.payload.parse({ templateId: t.id, version: 1, title: t.title, changedFields: ["created"] }),
    });
    return getTemplate(tx, t.id);
  });
  return result;
}

/**
 * Changes a template. Metadata (title, description) changes in place; content (body, variables,
 * assets) makes a new head version. Emits TemplateUpdated naming the changed fields.
 */
export async function updateTemplate(db: TemplatesDb, input: z.output<typeof UpdateTemplateInput>, actor: string, correlationId?: string) {
  const { result } = await transactWithEvents(db, "templates", async (tx: Tx, emit) => {
    // Row lock: concurrent updates of one template serialize, so versions and revisions never collide.
    const found = await tx.template.findUnique({ where: byIdOrSlug(input.id), select: { id: true } });
    if (!found) throw new DomainError("NOT_FOUND", `no template "${input.id}"`);
    await tx.$executeRawUnsafe(`SELECT 1 FROM templates.templates WHERE id = $1::uuid FOR UPDATE`, found.id);
    const t = await getTemplate(tx, found.id);
    if (input.expectedRevision !== undefined && input.expectedRevision !== t.revision) {
      throw new DomainError("CONFLICT", `template "${t.slug}" is at revision ${t.revision}, not ${input.expectedRevision}; reload and retry`);
    }
    if (t.status === "deprecated") throw new DomainError("CONFLICT", `template "${t.slug}" is deprecated and can no longer change`);
    if (t.status === "in_review") throw new DomainError("CONFLICT", `template "${t.slug}" is being reviewed for publication; wait for the outcome`);
    const changed: string[] = [];
    if (input.title !== undefined && input.title !== t.title) changed.push("title");
    if (input.description !== undefined && input.description !== t.description) changed.push("description");
    const body = input.body ?? t.current.body;
    const variables = input.variables ?? t.current.variables;
    const assetIds = input.assetIds ?? t.current.assetIds;
    if (body !== t.current.body) changed.push("body");
    if (JSON.stringify(variables) !== JSON.stringify(t.current.variables)) changed.push("variables");
    if (JSON.stringify(assetIds) !== JSON.stringify(t.current.assetIds)) changed.push("assetIds");
    if (changed.length === 0) return t;
    const newVersion = changed.some((f) => f === "body" || f === "variables" || f === "assetIds");
    const head = newVersion ? t.headVersion + 1 : t.headVersion;
    if (newVersion) {
      const modules = await checkContent(tx, body, variables);
      await tx.templateVersion.create({
        data: { templateId: t.id, version: head, body, variables, modules, assetIds, changelog: input.changelog || `Changed ${changed.join(", ")}`, createdBy: actor },
      });
    }
    const updated = await tx.template.update({
      where: { id: t.id },
      data: { ...(input.title !== undefined ? { title: input.title } : {}), ...(input.description !== undefined ? { description: input.description } : {}), headVersion: head, revision: { increment: 1 } },
    });
    emit({
      eventType: templateEvents.TemplateUpdated.type,
      aggregateId: t.id,
      aggregateVersion: updated.revision,
      correlationId,
      payload: templateEvents.TemplateUpdated.payload.parse({ templateId: t.id, version: head, title: updated.title, changedFields: changed }),
    });
    return getTemplate(tx, t.id);
  });
  return result;
}

/** Deprecates a published template (with a sunset date, if given) and emits TemplateDeprecated. */
export async function deprecateTemplate(db: TemplatesDb, input: z.output<typeof DeprecateTemplateInput>, correlationId?: string) {
  const { result } = await transactWithEvents(db, "templates", async (tx: Tx, emit) => {
    const t = await tx.template.findUnique({ where: byIdOrSlug(input.id) });
    if (!t) throw new DomainError("NOT_FOUND", `no template "${input.id}"`);
    if (t.status !== "published") throw new DomainError("CONFLICT", `only a published template can be deprecated; "${t.slug}" is ${t.status}`);
    if (input.sunsetAt && input.sunsetAt.getTime() <= Date.now()) throw new DomainError("BAD_REQUEST", "the sunset date must be in the future");
    const updated = await tx.template.update({
      where: { id: t.id, revision: t.revision },
      data: { status: "deprecated", deprecatedAt: new Date(), sunsetAt: input.sunsetAt ?? null, deprecationReason: input.reason, revision: { increment: 1 } },
    });
    emit({
      eventType: templateEvents.TemplateDeprecated.type,
      aggregateId: t.id,
      aggregateVersion: updated.revision,
      correlationId,
      payload: templateEvents.TemplateDeprecated.payload.parse({
        templateId: t.id,
        version: t.publishedVersion ?? t.headVersion,
        title: t.title,
        reason: input.reason,
        ...(input.sunsetAt ? { sunsetAt: input.sunsetAt.toISOString() } : {}),
      }),
    });
    return getTemplate(tx, t.id);
  });
  return result;
}

/**
 * Publishes `version` of a template — the last step of the publication saga, which has checked its
 * quality and assets by then — and emits TemplatePublished.
 */
export async function markPublished(db: TemplatesDb, id: string, version: number, publishedBy: string, correlationId?: string) {
  const { result } = await transactWithEvents(db, "templates", async (tx: Tx, emit) => {
    const t = await tx.template.findUnique({ where: byIdOrSlug(id) });
    if (!t) throw new DomainError("NOT_FOUND", `no template "${id}"`);
    if (t.status === "deprecated") throw new DomainError("CONFLICT", `template "${t.slug}" is deprecated`);
    if (version > t.headVersion || version < 1) throw new DomainError("NOT_FOUND", `template "${t.slug}" has no version ${version}`);
    if (t.status === "published" && t.publishedVersion === version) return getTemplate(tx, t.id); // a repeated saga step
    const updated = await tx.template.update({
      where: { id: t.id, revision: t.revision },
      data: { status: "published", publishedVersion: version, revision: { increment: 1 } },
    });
    emit({
      eventType: templateEvents.TemplatePublished.type,
      aggregateId: t.id,
      aggregateVersion: updated.revision,
      correlationId,
      payload: templateEvents.TemplatePublished.payload.parse({ templateId: t.id, version, title: t.title, publishedBy }),
    });
    return getTemplate(tx, t.id);
  });
  return result;
}
