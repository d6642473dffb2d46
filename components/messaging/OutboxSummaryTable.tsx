"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc/client";
import { QueryState } from "@/components/ui/QueryState";
import { age, formatTime } from "./format";

/** Each service's outbox: pending, sent, failed, and how long the oldest pending event has waited. */
export function OutboxSummaryTable({ selected, onSelect }: { selected: string; onSelect: (service: string) => void }) {
  const trpc = useTRPC();
  const summary = useQuery({ ...trpc.messaging.outbox.summary.queryOptions(), refetchInterval: 5_000 });
  return (
    <section className="panel">
      <div className="panel-pad msg-panel-head">
        <h2>Outboxes</h2>
        <span className="muted small">Events each service wrote with its changes, on their way to the event store and consumers. Refreshes every 5 s.</span>
      </div>
      <QueryState query={summary} what="the outboxes">
        <table className="data msg-table" data-testid="outbox-summary">
          <thead>
            <tr>
              <th>Service</th>
              <th className="msg-num">Pending</th>
              <th className="msg-num">Sent</th>
              <th className="msg-num">Failed</th>
              <th>Oldest pending</th>
            </tr>
          </thead>
          <tbody>
            {summary.data?.map((s) => (
              <tr key={s.service} data-service={s.service} className={selected === s.service ? "selected" : undefined} onClick={() => onSelect(s.service)}>
                <td>
                  <button type="button" className="msg-group-pick svc-name" aria-pressed={selected === s.service} onClick={() => onSelect(s.service)}>
                    {s.service}
                  </button>
                </td>
                <td className="msg-num">{s.pending}</td>
                <td className="msg-num">{s.sent}</td>
                <td className="msg-num">{s.failed > 0 ? <span className="badge msg-status-dead">{s.failed}</span> : 0}</td>
                <td className="small" title={s.oldestPendingAt ? formatTime(s.oldestPendingAt) : undefined}>
                  {s.oldestPendingAt ? `${age(s.oldestPendingAt)} waiting` : <span className="muted">nothing pending</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </QueryState>
    </section>
  );
}
