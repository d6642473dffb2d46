import { DomainError } from "@/server/errors";
import { transactWithEvents } from "@/server/messaging/outbox";
import type { TemplatesDb } from "./db";
import { templateEvents } from "./events";
import { byIdOrSlug, getTemplate } from "./templates";

type Tx = Parameters<Parameters<TemplatesDb["$transaction"]>[0]>[0];

/** What can be published now: the head version of a draft, or of a published template that has a newer head. */
export async function publishableVersion(db: TemplatesDb, id: string): Promise<{ templateId: string; version: number }> {
  const t = await db.template.findUnique({ where: byIdOrSlug(id) });
  if (!t) throw new DomainError("NOT_FOUND", `no template "${id}"`);
  if (t.status === "deprecated") throw new DomainError("CONFLICT", `template "${t.slug}" is deprecated`);
  if (t.status === "in_review") throw new DomainError("CONFLICT", `template "${t.slug}" is already being reviewed for publication`);
  if (t.status === "published" && t.publishedVersion === t.headVersion) {
    throw new DomainError("CONFLICT", `version ${t.headVersion} of "${t.slug}" is already published; change it first`);
  }
  return { templateId: t.id, version: t.headVersion };
}

async function locked(tx: Tx, id: string) {
  await tx.$executeRawUnsafe(`SELECT 1 FROM templates.templates WHERE id = $1::uuid FOR UPDATE`, id);
  const t = await tx.template.findUnique({ where: { id } });
  if (!t) throw new DomainError("NOT_FOUND", `no template "${id}"`);
  return t;
}

/** Saga step 1: the template goes into review (no edits meanwhile). Repeating it is harmless. */
export async function beginPublication(db: TemplatesDb, id: string, version: number) {
  return db.$transaction(async (tx) => {
    const t = await locked(tx, id);
    if (t.status === "in_review") return getTemplate(tx, id);
    if (t.status === "deprecated") throw new DomainError("CONFLICT", `template "${t.slug}" is deprecated`);
    if (version > t.headVersion) throw new DomainError("NOT_FOUND", `template "${t.slug}" has no version ${version}`);
    await tx.template.update({ where: { id }, data: { status: "in_review", revision: { increment: 1 } } });
    return getTemplate(tx, id);
  });
}

/** Compensation of step 1: back to where it was, with a TemplatePublicationRejected event. Repeating it is harmless. */
export async function rejectPublication(db: TemplatesDb, id: string, version: number, reason: string, correlationId?: string) {
  const { result } = await transactWithEvents(db, "templates", async (tx: Tx, emit) => {
    const t = await locked(tx, id);
    if (t.status !== "in_review") return getTemplate(tx, id);
    const updated = await tx.template.update({ where: { id }, data: { status: t.publishedVersion ? "published" : "draft", revision: { increment: 1 } } });
    emit({
      eventType: templateEvents.TemplatePublicationRejected.type,
      aggregateId: id,
      aggregateVersion: updated.revision,
      correlationId,
      payload: templateEvents.TemplatePublicationRejected.payload.parse({ templateId: id, version, title: t.title, reason: reason.slice(0, 2000) }),
    });
    return getTemplate(tx, id);
  });
  return result;
}
