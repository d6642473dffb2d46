"use client";

import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useTRPC } from "@/components/trpc/client";
import { QueryState } from "@/components/ui/QueryState";
import { timeAgo } from "@/components/ui/time";
import { SagaStatus } from "./SagaStatus";

const STATUSES = ["running", "completed", "compensating", "compensated", "failed"] as const;
type Status = (typeof STATUSES)[number];

function duration(from: Date, to: Date | null): string {
  const ms = (to ?? new Date()).getTime() - new Date(from).getTime();
  return ms < 1000 ? `${ms} ms` : ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 60_000)} min`;
}

/** Saga runs, newest first, filterable by saga and status, with each run's step trail. */
export function SagaList() {
  const trpc = useTRPC();
  const [saga, setSaga] = useState("");
  const [status, setStatus] = useState<Status | "">("");
  const defs = useQuery(trpc.sagas.definitions.queryOptions());
  const runs = useInfiniteQuery(
    trpc.sagas.list.infiniteQueryOptions(
      { saga: saga || undefined, status: status || undefined, limit: 25 },
      { getNextPageParam: (last) => last.nextCursor ?? undefined, refetchInterval: 3000 },
    ),
  );
  const items = runs.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <div className="panel">
      <div className="filters">
        <label>
          Saga{" "}
          <select aria-label="Saga" value={saga} onChange={(e) => setSaga(e.target.value)}>
            <option value="">all</option>
            {defs.data?.map((d) => (
              <option key={d.name} value={d.name}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Status{" "}
          <select aria-label="Status" value={status} onChange={(e) => setStatus(e.target.value as Status | "")}>
            <option value="">all</option>
            {STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
      </div>
      <QueryState query={runs} what="saga runs">
        {items.length === 0 ? (
          <div className="state">No saga run matches these filters.</div>
        ) : (
          <table className="data" data-testid="saga-table">
            <thead>
              <tr>
                <th>Saga</th>
                <th>Status</th>
                <th>Steps</th>
                <th>Subject</th>
                <th>Correlation</th>
                <th>Started</th>
                <th>Took</th>
              </tr>
            </thead>
            <tbody>
              {items.map((r) => (
                <tr key={r.id} data-saga={r.id}>
                  <td>
                    <Link href={`/sagas/${r.id}`}>{r.saga}</Link>
                  </td>
                  <td>
                    <SagaStatus status={r.status} />
                  </td>
                  <td>
                    <span className="saga-trail">
                      {r.steps.map((s, i) => (
                        <span key={i} className={`saga-dot saga-dot-${s.status}${s.phase === "compensate" ? " saga-dot-back" : ""}`} title={`${s.phase === "compensate" ? "undo " : ""}${s.name}: ${s.status}`} />
                      ))}
                    </span>
                  </td>
                  <td className="mono small">{r.subject}</td>
                  <td className="mono small">{r.correlationId}</td>
                  <td title={new Date(r.startedAt).toISOString()}>{timeAgo(r.startedAt)}</td>
                  <td>{duration(r.startedAt, r.finishedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {runs.hasNextPage && (
          <div className="panel-pad">
            <button type="button" onClick={() => void runs.fetchNextPage()} disabled={runs.isFetchingNextPage}>
              Load more
            </button>
          </div>
        )}
      </QueryState>
    </div>
  );
}
