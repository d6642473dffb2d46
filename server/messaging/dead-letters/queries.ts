import { z } from "zod";
import type { MessagingDb } from "../../db/messaging";

/** Filters the DLQ console and bulk actions share. */
export const DeadLetterFilter = z.object({
  status: z.enum(["dead", "replaying", "replayed", "discarded"]).optional(),
  consumer: z.string().max(100).optional(),
  eventType: z.string().max(200).optional(),
  fingerprint: z.string().regex(/^[0-9a-f]{16}$/).optional(),
  aggregateId: z.string().max(200).optional(),
  search: z.string().max(200).optional(),
  since: z.coerce.date().optional(),
  until: z.coerce.date().optional(),
});
export type DeadLetterFilter = z.infer<typeof DeadLetterFilter>;

/** The Prisma `where` for a filter. */
export function whereOf(f: DeadLetterFilter) {
  return {
    ...(f.status ? { status: f.status } : {}),
    ...(f.consumer ? { consumer: f.consumer } : {}),
    ...(f.eventType ? { eventType: f.eventType } : {}),
    ...(f.fingerprint ? { fingerprint: f.fingerprint } : {}),
    ...(f.aggregateId ? { aggregateId: f.aggregateId } : {}),
    ...(f.search ? { errorMessage: { contains: f.search, mode: "insensitive" as const } } : {}),
    ...(f.since || f.until ? { lastFailedAt: { ...(f.since ? { gte: f.since } : {}), ...(f.until ? { lte: f.until } : {}) } } : {}),
  };
}

const summarySelect = {
  id: true,
  consumer: true,
  eventId: true,
  eventType: true,
  aggregateId: true,
  errorType: true,
  errorMessage: true,
  fingerprint: true,
  unrecoverable: true,
  attempts: true,
  firstFailedAt: true,
  lastFailedAt: true,
  traceId: true,
  status: true,
  replayCount: true,
  editedPayload: true,
} as const;

/** Dead letters matching a filter, newest failure first, a page at a time (cursor = last id seen). */
export async function listDeadLetters(db: MessagingDb, filter: DeadLetterFilter, page: { limit: number; cursor?: string }) {
  const rows = await db.deadLetter.findMany({
    where: whereOf(filter),
    select: summarySelect,
    orderBy: [{ lastFailedAt: "desc" }, { id: "desc" }],
    take: page.limit + 1,
    ...(page.cursor ? { cursor: { id: page.cursor }, skip: 1 } : {}),
  });
  const items = rows.slice(0, page.limit).map(({ editedPayload, ...r }) => ({ ...r, edited: editedPayload !== null }));
  return { items, nextCursor: rows.length > page.limit ? items[items.length - 1]?.id : undefined };
}

export type DeadLetterGroup = {
  fingerprint: string;
  consumer: string;
  errorType: string;
  sampleMessage: string;
  count: number;
  eventTypes: string[];
  firstFailedAt: Date;
  lastFailedAt: Date;
};

/** Dead letters grouped by cause (error fingerprint), largest group first. */
export async function groupDeadLetters(db: MessagingDb, filter: DeadLetterFilter): Promise<DeadLetterGroup[]> {
  const groups = await db.deadLetter.groupBy({
    by: ["fingerprint", "consumer", "errorType"],
    where: whereOf(filter),
    _count: { _all: true },
    _min: { firstFailedAt: true },
    _max: { lastFailedAt: true, errorMessage: true },
    orderBy: { _count: { fingerprint: "desc" } },
    take: 100,
  });
  const types = await db.deadLetter.groupBy({
    by: ["fingerprint", "eventType"],
    where: { ...whereOf(filter), fingerprint: { in: groups.map((g) => g.fingerprint) } },
  });
  return groups.map((g) => ({
    fingerprint: g.fingerprint,
    consumer: g.consumer,
    errorType: g.errorType,
    sampleMessage: g._max.errorMessage ?? "",
    count: g._count._all,
    eventTypes: types.filter((t) => t.fingerprint === g.fingerprint).map((t) => t.eventType).sort(),
    firstFailedAt: g._min.firstFailedAt!,
    lastFailedAt: g._max.lastFailedAt!,
  }));
}

/** One dead letter in full: envelope, edited payload, error, stack and its audit trail. */
export async function getDeadLetter(db: MessagingDb, id: string) {
  return db.deadLetter.findUnique({
    where: { id },
    include: { actions: { orderBy: { at: "asc" } } },
  });
}

/** Counts by status, for the console's header. */
export async function deadLetterCounts(db: MessagingDb): Promise<Record<string, number>> {
  const rows = await db.deadLetter.groupBy({ by: ["status"], _count: { _all: true } });
  return Object.fromEntries(rows.map((r) => [r.status, r._count._all]));
}
