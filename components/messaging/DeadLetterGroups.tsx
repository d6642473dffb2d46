"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/components/trpc/client";
import { QueryState } from "@/components/ui/QueryState";
import { timeAgo } from "@/components/ui/time";
import { type ConsoleFilter, toApiFilter } from "./filter";
import { formatTime, shortError, shortEventType } from "./format";

const TOP = 8;

/** Dead letters grouped by cause (error fingerprint); choosing a group filters the list to it. */
export function DeadLetterGroups({ filter, onSelect }: { filter: ConsoleFilter; onSelect: (fingerprint: string | undefined) => void }) {
  const trpc = useTRPC();
  // Every group under the other filters, so another group can be picked while one is chosen.
  const groups = useQuery({
    ...trpc.messaging.deadLetters.groups.queryOptions({ filter: toApiFilter({ ...filter, fingerprint: undefined }) }),
    refetchInterval: 10_000,
  });
  const [showAll, setShowAll] = useState(false);
  const all = groups.data ?? [];
  // The largest causes first; the rest on demand, so the list stays in reach (a chosen cause always shows).
  const shown = showAll ? all : all.filter((g, i) => i < TOP || g.fingerprint === filter.fingerprint);
  return (
    <section className="panel">
      <div className="panel-pad msg-panel-head">
        <h2>Causes</h2>
        <span className="muted small">
          {filter.fingerprint ? "Showing one cause — choose it again to see all" : "Same error, same group: choose one to list its dead letters"}
        </span>
      </div>
      <QueryState query={groups} what="the groups">
        {groups.data && groups.data.length === 0 ? (
          <div className="state">No dead letters match: nothing is waiting here.</div>
        ) : (
          <table className="data msg-table msg-groups" data-testid="dead-letter-groups">
            <thead>
              <tr>
                <th style={{ width: "44%" }}>Error</th>
                <th>Consumer</th>
                <th>Event types</th>
                <th className="msg-num">Count</th>
                <th>First seen</th>
                <th>Last seen</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((g) => {
                const active = filter.fingerprint === g.fingerprint;
                return (
                  <tr
                    key={`${g.fingerprint}|${g.consumer}|${g.errorType}`}
                    className={active ? "selected" : undefined}
                    data-fingerprint={g.fingerprint}
                    onClick={() => onSelect(active ? undefined : g.fingerprint)}
                  >
                    <td>
                      <button
                        type="button"
                        className="msg-group-pick"
                        aria-pressed={active}
                        onClick={(e) => {
                          e.stopPropagation();
                          onSelect(active ? undefined : g.fingerprint);
                        }}
                      >
                        <span className="msg-error-type">{g.errorType}</span>
                        <span className="msg-error-msg" title={g.sampleMessage}>
                          {shortError(g.sampleMessage)}
                        </span>
                      </button>
                    </td>
                    <td>
                      <span className="chip chip-api">{g.consumer}</span>
                    </td>
                    <td className="small">
                      {g.eventTypes.map((t) => (
                        <div key={t} className="mono" title={t}>
                          {shortEventType(t)}
                        </div>
                      ))}
                    </td>
                    <td className="msg-num">
                      <strong>{g.count}</strong>
                    </td>
                    <td className="small" title={formatTime(g.firstFailedAt)}>
                      {timeAgo(g.firstFailedAt)}
                    </td>
                    <td className="small" title={formatTime(g.lastFailedAt)}>
                      {timeAgo(g.lastFailedAt)}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        {all.length > TOP && (
          <div className="footer-note">
            <span>
              {showAll ? `All ${all.length} causes` : `The ${TOP} largest of ${all.length} causes`}
            </span>
            <button type="button" onClick={() => setShowAll(!showAll)}>
              {showAll ? `Show the ${TOP} largest` : `Show all ${all.length} causes`}
            </button>
          </div>
        )}
      </QueryState>
    </section>
  );
}
