"use client";

import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "@/components/trpc/client";
import { SagaStatus } from "@/components/sagas/SagaStatus";
import { QueryState } from "@/components/ui/QueryState";

const SERVICES = ["templates", "ai", "assets", "projects", "analytics"];
const short = (type: string) => type.split(".").slice(-2).join(".");
const at = (d: Date | string) => new Date(d).toISOString().replace("T", " ").slice(0, 23);

/** A short, readable line for an event's payload (the full payload is one click away). */
function gist(payload: Record<string, unknown>): string {
  const keys = ["title", "name", "fileName", "model", "outcome", "reason", "changedFields", "errorCode", "rows"];
  return keys
    .filter((k) => payload[k] !== undefined)
    .map((k) => `${k}: ${Array.isArray(payload[k]) ? (payload[k] as unknown[]).join(", ") : String(payload[k])}`)
    .join(" · ");
}

/**
 * The event feed. With a correlation id it becomes one chain's timeline, oldest first — e.g. a
 * project created from a template, the ai starter it caused and what analytics recorded — together
 * with the saga runs of that chain.
 */
export function EventFeed() {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const correlationId = params.get("correlation") ?? "";
  const service = params.get("service") ?? "";
  const [draft, setDraft] = useState(correlationId);
  const setParam = (key: string, value: string) => {
    const next = new URLSearchParams(params.toString());
    if (value) next.set(key, value);
    else next.delete(key);
    router.replace(`${pathname}${next.size ? `?${next}` : ""}`);
  };

  const feed = useInfiniteQuery(
    trpc.analytics.events.infiniteQueryOptions(
      { correlationId: correlationId || undefined, service: service || undefined, limit: 50 },
      { getNextPageParam: (last) => last.nextCursor ?? undefined, refetchInterval: 5000 },
    ),
  );
  const sagas = useQuery({ ...trpc.sagas.list.queryOptions({ correlationId, limit: 10 }), enabled: Boolean(correlationId) });
  const items = feed.data?.pages.flatMap((p) => p.items) ?? [];
  // A chain reads in the order it happened; the feed in general, newest first.
  const shown = correlationId ? [...items].sort((a, b) => new Date(a.occurredAt).getTime() - new Date(b.occurredAt).getTime()) : items;

  return (
    <div className="stack">
      <div className="panel">
        <form
          className="filters"
          onSubmit={(e) => {
            e.preventDefault();
            setParam("correlation", draft.trim());
          }}
        >
          <input aria-label="Correlation id" placeholder="Correlation id (x-correlation-id or request id)" value={draft} onChange={(e) => setDraft(e.target.value)} />
          <button type="submit">Follow</button>
          {correlationId && (
            <button
              type="button"
              onClick={() => {
                setDraft("");
                setParam("correlation", "");
              }}
            >
              Clear
            </button>
          )}
          <label>
            Service{" "}
            <select aria-label="Service" value={service} onChange={(e) => setParam("service", e.target.value)}>
              <option value="">all</option>
              {SERVICES.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          </label>
        </form>
      </div>
      {correlationId && (sagas.data?.items.length ?? 0) > 0 && (
        <div className="panel panel-pad" data-testid="chain-sagas">
          <h2>Saga runs in this chain</h2>
          <ul className="list-plain">
            {sagas.data!.items.map((s) => (
              <li key={s.id}>
                <Link href={`/sagas/${s.id}`}>{s.saga}</Link> <SagaStatus status={s.status} /> <span className="muted small">{at(s.startedAt)}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      <div className="panel">
        <QueryState query={feed} what="events">
          {shown.length === 0 ? (
            <div className="state">{correlationId ? `No event carries the correlation id "${correlationId}".` : "No events yet."}</div>
          ) : (
            <table className="data" data-testid="event-feed">
              <thead>
                <tr>
                  <th>Occurred</th>
                  <th>Event</th>
                  <th>Service</th>
                  <th>Aggregate</th>
                  <th>What</th>
                  {!correlationId && <th>Correlation</th>}
                </tr>
              </thead>
              <tbody>
                {shown.map((e) => (
                  <tr key={e.eventId} data-event={short(e.eventType)}>
                    <td className="mono small">{at(e.occurredAt)}</td>
                    <td>
                      <strong>{short(e.eventType)}</strong>
                    </td>
                    <td>
                      <span className="chip">{e.service}</span>
                    </td>
                    <td className="mono small">
                      {e.aggregateId.slice(0, 13)} <span className="muted">v{e.aggregateVersion}</span>
                    </td>
                    <td className="small">{gist(e.payload)}</td>
                    {!correlationId && (
                      <td className="mono small">
                        {e.correlationId ? (
                          <a
                            href={`?correlation=${encodeURIComponent(e.correlationId)}`}
                            onClick={(ev) => {
                              ev.preventDefault();
                              setDraft(e.correlationId!);
                              setParam("correlation", e.correlationId!);
                            }}
                          >
                            {e.correlationId.slice(0, 28)}
                          </a>
                        ) : (
                          <span className="muted">—</span>
                        )}
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {feed.hasNextPage && (
            <div className="panel-pad">
              <button type="button" onClick={() => void feed.fetchNextPage()} disabled={feed.isFetchingNextPage}>
                Load more
              </button>
            </div>
          )}
        </QueryState>
      </div>
    </div>
  );
}
