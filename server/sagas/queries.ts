import type { MessagingDb } from "../db/messaging";

export type SagaFilter = { saga?: string; status?: string; subject?: string; correlationId?: string };

/** Saga runs, newest first, with where each stands; cursor = the last id of the previous page. */
export async function listSagas(db: MessagingDb, filter: SagaFilter, page: { limit: number; cursor?: string }) {
  const rows = await db.sagaInstance.findMany({
    where: {
      ...(filter.saga ? { saga: filter.saga } : {}),
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.subject ? { subject: filter.subject } : {}),
      ...(filter.correlationId ? { correlationId: filter.correlationId } : {}),
    },
    orderBy: [{ startedAt: "desc" }, { id: "desc" }],
    take: page.limit + 1,
    ...(page.cursor ? { cursor: { id: page.cursor }, skip: 1 } : {}),
    include: { steps: { select: { name: true, phase: true, status: true }, orderBy: { startedAt: "asc" } } },
  });
  const items = rows.slice(0, page.limit);
  return { items, nextCursor: rows.length > page.limit ? items[items.length - 1]!.id : null };
}

/**
 * One saga run as a timeline: every step try and compensation in the order it started, with the
 * declared steps it never reached, so the page can show the whole plan.
 */
export async function getSagaTimeline(db: MessagingDb, id: string, declared: { name: string; service: string; compensable: boolean }[] | undefined) {
  const instance = await db.sagaInstance.findUnique({ where: { id }, include: { steps: { orderBy: [{ startedAt: "asc" }, { index: "asc" }] } } });
  if (!instance) return undefined;
  const reached = new Set(instance.steps.filter((s) => s.phase === "forward").map((s) => s.index));
  const plan = (declared ?? []).map((s, index) => ({ index, ...s, reached: reached.has(index) }));
  return { ...instance, plan };
}
