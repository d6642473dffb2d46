import { TRPCError } from "@trpc/server";
import type { z } from "zod";
import type { AppContext } from "@/server/app";
import { DomainError } from "@/server/errors";
import { transactWithEvents } from "@/server/messaging/outbox";
import { serviceCaller } from "@/server/service-calls";
import type { ProjectsDb } from "./db";
import { projectEvents } from "./events";
import type { ArchiveProjectInput, CreateProjectInput, ListProjectsInput, ProjectRole } from "./schemas";

export type Tx = Parameters<Parameters<ProjectsDb["$transaction"]>[0]>[0];

/** Who is acting: the signed-in person (or service), and whether they may act on any project. */
export type Actor = { userId: string; name: string; email: string | null; admin: boolean };

const memberOrder = [{ addedAt: "asc" as const }, { userId: "asc" as const }];
const withMembers = { members: { orderBy: memberOrder } } as const;

type Row = NonNullable<Awaited<ReturnType<ProjectsDb["project"]["findUnique"]>>>;
type MemberRow = { userId: string; name: string; email: string | null; role: string; addedBy: string; addedAt: Date };

function summary(p: Row, memberCount: number) {
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    templateId: p.templateId,
    templateSlug: p.templateSlug,
    templateVersion: p.templateVersion,
    status: p.status as "active" | "archived",
    revision: p.revision,
    memberCount,
    createdBy: p.createdBy,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
    archivedAt: p.archivedAt,
  };
}

function detail(p: Row & { members: MemberRow[] }) {
  return {
    ...summary(p, p.members.length),
    members: p.members.map((m) => ({ userId: m.userId, name: m.name, email: m.email, role: m.role as ProjectRole, addedBy: m.addedBy, addedAt: m.addedAt })),
  };
}

/** Lists projects, newest first, optionally by status, template, member and words; cursor-paged. */
export async function listProjects(db: ProjectsDb, input: z.output<typeof ListProjectsInput>) {
  const rows = await db.project.findMany({
    where: {
      ...(input.status ? { status: input.status } : {}),
      ...(input.templateId ? { templateId: input.templateId } : {}),
      ...(input.memberId ? { members: { some: { userId: input.memberId } } } : {}),
      ...(input.q ? { OR: (["name", "description"] as const).map((f) => ({ [f]: { contains: input.q, mode: "insensitive" as const } })) } : {}),
    },
    include: { _count: { select: { members: true } } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: input.limit + 1,
    ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
  });
  const page = rows.slice(0, input.limit);
  return { items: page.map((p) => summary(p, p._count.members)), nextCursor: rows.length > input.limit ? page[page.length - 1]!.id : null };
}

/** One project with its members. */
export async function getProject(db: ProjectsDb | Tx, id: string) {
  const p = await db.project.findUnique({ where: { id }, include: withMembers });
  if (!p) throw new DomainError("NOT_FOUND", `no project "${id}"`);
  return detail(p);
}

/**
 * Locks a project for a change (concurrent changes of one project serialize, so the last-owner rule and
 * revisions hold), and checks it is active and that `actor` may change it: a project owner, or an admin.
 */
export async function lockForChange(tx: Tx, id: string, actor: Actor, opts: { allowSelf?: string } = {}) {
  const locked = await tx.$queryRawUnsafe<{ id: string }[]>(`SELECT id FROM projects.projects WHERE id = $1::uuid FOR UPDATE`, id);
  if (locked.length === 0) throw new DomainError("NOT_FOUND", `no project "${id}"`);
  const p = await getProject(tx, id);
  if (p.status === "archived") throw new DomainError("CONFLICT", `project "${p.name}" is archived and can no longer change`);
  const isOwner = p.members.some((m) => m.userId === actor.userId && m.role === "owner");
  if (!actor.admin && !isOwner && opts.allowSelf !== actor.userId) {
    throw new DomainError("FORBIDDEN", `only an owner of project "${p.name}" (or an admin) may change it`);
  }
  return p;
}

type TemplateRef = { id: string; slug: string; status: string; version: number };

/**
 * The template a project is created from, read through the templates service's public `templates.get`.
 * Drafts (and templates in review) are allowed, at their newest version — authors try a template out
 * in a project before they publish it; published templates are used at their published version.
 * Deprecated templates are refused: they are on their way out.
 */
async function templateForProject(app: AppContext, id: string, correlationId: string | undefined): Promise<TemplateRef> {
  let t;
  try {
    t = await serviceCaller(app, "projects", { correlationId }).templates.get({ id });
  } catch (err) {
    if (err instanceof TRPCError && err.code === "NOT_FOUND") throw new DomainError("NOT_FOUND", `no template "${id}"`);
    throw err;
  }
  if (t.status === "deprecated") {
    const why = t.deprecationReason ? ` (${t.deprecationReason})` : "";
    throw new DomainError("BAD_REQUEST", `template "${t.slug}" is deprecated${why}; create the project from another template`);
  }
  return { id: t.id, slug: t.slug, status: t.status, version: t.status === "published" && t.publishedVersion ? t.publishedVersion : t.headVersion };
}

/**
 * Creates a project from a template, with its creator as its owner, and emits ProjectCreated — carrying
 * the correlation id that ties the "project from a template" saga together — in one transaction.
 */
export async function createProject(app: AppContext, input: z.output<typeof CreateProjectInput>, actor: Actor, correlationId?: string) {
  const template = await templateForProject(app, input.templateId, correlationId);
  const { result } = await transactWithEvents(app.db.projects, "projects", async (tx: Tx, emit) => {
    const p = await tx.project.create({
      data: {
        name: input.name,
        description: input.description,
        templateId: template.id,
        templateSlug: template.slug,
        templateVersion: template.version,
        createdBy: actor.userId,
        members: { create: { userId: actor.userId, role: "owner", name: actor.name, email: actor.email, addedBy: actor.userId } },
      },
    });
    emit({
      eventType: projectEvents.ProjectCreated.type,
      aggregateId: p.id,
      aggregateVersion: p.revision,
      correlationId,
      payload: projectEvents.ProjectCreated.payload.parse({
        projectId: p.id,
        templateId: template.id,
        name: p.name,
        createdBy: actor.userId,
        templateVersion: template.version,
        templateSlug: template.slug,
        ...(p.description ? { description: p.description } : {}),
      }),
    });
    return getProject(tx, p.id);
  });
  return result;
}

/** Archives a project (kept, read-only) and emits ProjectArchived. Owners and admins only. */
export async function archiveProject(db: ProjectsDb, input: z.output<typeof ArchiveProjectInput>, actor: Actor, correlationId?: string) {
  const { result } = await transactWithEvents(db, "projects", async (tx: Tx, emit) => {
    await lockForChange(tx, input.id, actor);
    const updated = await tx.project.update({ where: { id: input.id }, data: { status: "archived", archivedAt: new Date(), revision: { increment: 1 } } });
    emit({
      eventType: projectEvents.ProjectArchived.type,
      aggregateId: updated.id,
      aggregateVersion: updated.revision,
      correlationId,
      payload: projectEvents.ProjectArchived.payload.parse({ projectId: updated.id, archivedBy: actor.userId, ...(input.reason ? { reason: input.reason } : {}) }),
    });
    return getProject(tx, updated.id);
  });
  return result;
}
