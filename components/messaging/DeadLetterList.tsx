"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useTRPC } from "@/components/trpc/client";
import { QueryState } from "@/components/ui/QueryState";
import { timeAgo } from "@/components/ui/time";
import { BulkActions } from "./BulkActions";
import { type ConsoleFilter, toApiFilter } from "./filter";
import { formatTime, shortError, shortEventType } from "./format";
import { StatusBadge } from "./StatusBadge";

const PAGE = 25;

type Props = {
  filter: ConsoleFilter;
  canOperate: boolean;
  matching: number | undefined;
  onReplayStarted: (operationId: string) => void;
};

/** Dead letters matching the filter, newest failure first, a page at a time; engineers select and act on them. */
export function DeadLetterList({ filter, canOperate, matching, onReplayStarted }: Props) {
  const trpc = useTRPC();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const list = useInfiniteQuery(
    trpc.messaging.deadLetters.list.infiniteQueryOptions({ filter: toApiFilter(filter), limit: PAGE }, { getNextPageParam: (last) => last.nextCursor }),
  );
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const selectable = items.filter((d) => d.status === "dead");
  const chosen = selectable.filter((d) => selected.has(d.id)).map((d) => d.id);
  const allChosen = selectable.length > 0 && chosen.length === selectable.length;
  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <>
      {canOperate && (
        <BulkActions filter={filter} selected={chosen} matching={matching} onReplayStarted={onReplayStarted} onDone={() => setSelected(new Set())} />
      )}
      <QueryState query={list} what="dead letters">
        {items.length === 0 ? (
          <div className="state">No dead letter matches these filters.</div>
        ) : (
          <table className="data msg-table msg-list" data-testid="dead-letter-list">
            <thead>
              <tr>
                {canOperate && (
                  <th className="msg-check">
                    <input
                      type="checkbox"
                      aria-label="Select every open dead letter shown"
                      checked={allChosen}
                      disabled={selectable.length === 0}
                      onChange={() => setSelected(allChosen ? new Set() : new Set(selectable.map((d) => d.id)))}
                    />
                  </th>
                )}
                <th>Event</th>
                <th>Consumer</th>
                <th style={{ width: "38%" }}>Error</th>
                <th className="msg-num">Attempts</th>
                <th>Last failure</th>
                <th>Status</th>
              </tr>
            </thead>
            <tbody>
              {items.map((d) => (
                <tr key={d.id} data-id={d.id} data-aggregate={d.aggregateId} className={selected.has(d.id) ? "selected" : undefined}>
                  {canOperate && (
                    <td className="msg-check">
                      <input
                        type="checkbox"
                        aria-label={`Select ${d.aggregateId}`}
                        checked={selected.has(d.id)}
                        disabled={d.status !== "dead"}
                        title={d.status !== "dead" ? `${d.status}: only open dead letters can be replayed or discarded` : undefined}
                        onChange={() => toggle(d.id)}
                      />
                    </td>
                  )}
                  <td>
                    <Link href={`/messaging/dead-letters/${d.id}`} className="svc-name" title={d.eventType}>
                      {shortEventType(d.eventType)}
                    </Link>
                    <div className="svc-ref" title="aggregate id">
                      {d.aggregateId}
                    </div>
                  </td>
                  <td>
                    <span className="chip chip-api">{d.consumer}</span>
                  </td>
                  <td>
                    <div className="msg-error-line" title={d.errorMessage}>
                      <span className="msg-error-type">{d.errorType}</span> {shortError(d.errorMessage)}
                    </div>
                  </td>
                  <td className="msg-num">{d.attempts}</td>
                  <td className="small" title={formatTime(d.lastFailedAt)}>
                    {timeAgo(d.lastFailedAt)}
                  </td>
                  <td>
                    <div className="row">
                      <StatusBadge status={d.status} />
                      {d.edited && <span className="badge badge-neutral">edited</span>}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </QueryState>
      <div className="footer-note">
        <span data-testid="list-footer">
          {list.data ? `Showing ${items.length} dead letter${items.length === 1 ? "" : "s"}${list.hasNextPage ? "; more match" : ""}` : ""}
          {canOperate && chosen.length > 0 && ` · ${chosen.length} selected`}
        </span>
        {list.hasNextPage && (
          <button type="button" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
            {list.isFetchingNextPage ? "Loading…" : "Load more"}
          </button>
        )}
      </div>
    </>
  );
}
