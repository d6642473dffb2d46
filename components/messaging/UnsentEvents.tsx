"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/components/trpc/client";
import { QueryState } from "@/components/ui/QueryState";
import { timeAgo } from "@/components/ui/time";
import { DOMAIN_SCHEMAS } from "@/server/db/schemas";
import { errorText, formatTime, shortEventType } from "./format";

export const SERVICES = DOMAIN_SCHEMAS;
type Service = (typeof SERVICES)[number];

/** A service's events not yet sent (FAILED first, then PENDING); engineers send FAILED ones back to pending. */
export function UnsentEvents({ service, onService, canOperate }: { service: Service; onService: (s: Service) => void; canOperate: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState<string>();
  const unsent = useQuery({ ...trpc.messaging.outbox.unsent.queryOptions({ service }), refetchInterval: 5_000 });
  const retry = useMutation(
    trpc.messaging.outbox.retry.mutationOptions({
      onSuccess: async (r) => {
        setNotice(r.retried === 0 ? "Nothing was FAILED any more." : `${r.retried} event${r.retried === 1 ? "" : "s"} sent back to pending.`);
        await queryClient.invalidateQueries({ queryKey: trpc.messaging.outbox.pathKey() });
      },
    }),
  );
  const failed = unsent.data?.filter((e) => e.status === "FAILED").length ?? 0;
  return (
    <section className="panel" data-testid="unsent-events">
      <div className="panel-pad msg-panel-head">
        <h2>Unsent events</h2>
        <select aria-label="Service" value={service} onChange={(e) => onService(e.target.value as Service)}>
          {SERVICES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <span className="msg-spacer" />
        {canOperate && (
          <button type="button" disabled={failed === 0 || retry.isPending} onClick={() => retry.mutate({ service })}>
            Retry all failed{failed ? ` (${failed})` : ""}
          </button>
        )}
      </div>
      {notice && (
        <div className="msg-notice small msg-pad-x" role="status">
          {notice}
        </div>
      )}
      {retry.error && (
        <div className="msg-error-text small msg-pad-x" role="alert">
          Retry refused: {errorText(retry.error)}
        </div>
      )}
      <QueryState query={unsent} what={`the ${service} outbox`}>
        {unsent.data?.length === 0 ? (
          <div className="state">Nothing waiting: every {service} event has been sent.</div>
        ) : (
          <table className="data msg-table">
            <thead>
              <tr>
                <th>Status</th>
                <th>Event</th>
                <th className="msg-num">Retries</th>
                <th style={{ width: "34%" }}>Last error</th>
                <th>Occurred</th>
                {canOperate && <th />}
              </tr>
            </thead>
            <tbody>
              {unsent.data?.map((e) => (
                <tr key={e.id}>
                  <td>
                    <span className={`badge ${e.status === "FAILED" ? "msg-status-dead" : "msg-status-replaying"}`}>{e.status}</span>
                  </td>
                  <td>
                    <span className="mono" title={e.eventType}>
                      {shortEventType(e.eventType)}
                    </span>
                    <div className="svc-ref">
                      {e.aggregateId} · v{e.aggregateVersion}
                    </div>
                  </td>
                  <td className="msg-num">{e.retryCount}</td>
                  <td className="small">{e.lastError ?? <span className="muted">—</span>}</td>
                  <td className="small" title={formatTime(e.occurredAt)}>
                    {timeAgo(e.occurredAt)}
                  </td>
                  {canOperate && (
                    <td>
                      {e.status === "FAILED" && (
                        <button type="button" disabled={retry.isPending} onClick={() => retry.mutate({ service, ids: [e.id] })}>
                          Retry
                        </button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </QueryState>
    </section>
  );
}
