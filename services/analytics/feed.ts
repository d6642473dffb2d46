import type { z } from "zod";
import { DomainError } from "@/server/errors";
import type { AnalyticsDb } from "./db";
import type { ListEventsInput } from "./schemas";

type Cursor = { at: Date; id: string };

/** An opaque page cursor: the last event's time and id (the feed is ordered by both, newest first). */
export function encodeCursor(c: Cursor): string {
  return Buffer.from(`${c.at.toISOString()}|${c.id}`).toString("base64url");
}

/** Reads a cursor back; a malformed one is the caller's mistake (400). */
export function decodeCursor(s: string): Cursor {
  const [at, id] = Buffer.from(s, "base64url").toString("utf8").split("|");
  const time = at ? new Date(at) : undefined;
  if (!time || Number.isNaN(time.getTime()) || !id || !/^[0-9a-f-]{36}$/i.test(id)) throw new DomainError("BAD_REQUEST", "the cursor is not one this API gave out");
  return { at: time, id };
}

/**
 * The event feed (/events): every domain event analytics received, newest first, filtered by type
 * (full, or just the event name), service, aggregate, correlation id and time; keyset-paged.
 */
export async function listEvents(db: AnalyticsDb, input: z.output<typeof ListEventsInput>) {
  const cursor = input.cursor ? decodeCursor(input.cursor) : undefined;
  const types = input.type?.flatMap((t) => t.split(",")).filter(Boolean);
  const rows = await db.eventFeedEntry.findMany({
    where: {
      AND: [
        types?.length ? { OR: types.map((t) => (t.includes(".") ? { eventType: t } : { eventType: { endsWith: `.${t}` } })) } : {},
        input.service ? { service: input.service } : {},
        input.aggregateId ? { aggregateId: input.aggregateId } : {},
        input.correlationId ? { correlationId: input.correlationId } : {},
        input.from || input.to ? { occurredAt: { ...(input.from ? { gte: input.from } : {}), ...(input.to ? { lt: input.to } : {}) } } : {},
        cursor ? { OR: [{ occurredAt: { lt: cursor.at } }, { occurredAt: cursor.at, eventId: { lt: cursor.id } }] } : {},
      ],
    },
    orderBy: [{ occurredAt: "desc" }, { eventId: "desc" }],
    take: input.limit + 1,
  });
  const page = rows.slice(0, input.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => ({
      eventId: r.eventId,
      eventType: r.eventType,
      service: r.service,
      aggregateId: r.aggregateId,
      aggregateVersion: r.aggregateVersion,
      occurredAt: r.occurredAt,
      correlationId: r.correlationId,
      traceId: r.traceId,
      payload: r.payload as Record<string, unknown>,
      receivedAt: r.receivedAt,
    })),
    nextCursor: rows.length > input.limit && last ? encodeCursor({ at: last.occurredAt, id: last.eventId }) : null,
  };
}
