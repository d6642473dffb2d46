"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc/client";
import { QueryState } from "@/components/ui/QueryState";

const day = (d: Date) => d.toISOString().slice(0, 10);

/** `event_store_y2025m03` covers March 2025 (UTC): its lower bound, from the name. */
function fromOf(name: string, to: Date): Date {
  const m = /_y(\d{4})m(\d{2})$/.exec(name);
  return m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1)) : new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth() - 1, 1));
}

/** The event store's month partitions: name, time range and (estimated) row count. */
export function PartitionsTable() {
  const trpc = useTRPC();
  const parts = useQuery(trpc.messaging.eventStore.partitions.queryOptions());
  return (
    <section className="panel">
      <div className="panel-pad msg-panel-head">
        <h2>Event store partitions</h2>
      </div>
      <QueryState query={parts} what="the partitions">
        {parts.data?.length === 0 ? (
          <div className="state">No partition yet: nothing has been published.</div>
        ) : (
          <div className="msg-scroll">
            <table className="data msg-table" data-testid="partitions">
              <thead>
                <tr>
                  <th>Partition</th>
                  <th>Range (UTC)</th>
                  <th className="msg-num">Rows ≈</th>
                </tr>
              </thead>
              <tbody>
                {parts.data?.map((p) => {
                  const to = new Date(p.to);
                  return (
                    <tr key={p.name} data-partition={p.name}>
                      <td className="mono">{p.name}</td>
                      <td className="small msg-nowrap">
                        {day(fromOf(p.name, to))} → {day(to)}
                      </td>
                      <td className="msg-num">
                        {p.rows === null ? (
                          <span className="muted" title="Not analyzed yet: PostgreSQL has no estimate">
                            —
                          </span>
                        ) : (
                          p.rows.toLocaleString("en")
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </QueryState>
      <div className="footer-note">Rows are PostgreSQL&apos;s planner estimates (— until a partition is first analyzed).</div>
    </section>
  );
}
