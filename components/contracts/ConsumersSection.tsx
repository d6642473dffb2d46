"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/components/trpc/client";
import { QueryState } from "@/components/ui/QueryState";
import type { TConsumerRef } from "@/services/contracts/browser-consumers";
import styles from "./contracts.module.css";
import { SourceBadge } from "./StatusBadge";

function ConsumerRows({ refs, empty }: { refs: TConsumerRef[]; empty: string }) {
  if (refs.length === 0) {
    return (
      <tr>
        <td colSpan={3} className="muted small">
          {empty}
        </td>
      </tr>
    );
  }
  return (
    <>
      {refs.map((r) => (
        <tr key={r.service} data-consumer={r.service}>
          <td className="svc-name">{r.service}</td>
          <td>
            <span className="row">
              {r.sources.map((s, i) => (
                <span key={i} className="row" style={{ gap: 4 }}>
                  <SourceBadge source={s.source} detail={s.detail} />
                  <span className="small muted">{s.detail}</span>
                </span>
              ))}
            </span>
          </td>
          <td className={styles.nowrap}>
            {r.declared ? <span className="badge badge-production">declared</span> : <span className="badge badge-beta">undeclared</span>}{" "}
            {r.observed ? (
              <span className="badge badge-production" title={`${r.observed.calls} in the window, ${r.observed.errors} failed`}>
                observed · {r.observed.calls}
                {r.observed.errors ? ` (${r.observed.errors} failed)` : ""}
              </span>
            ) : (
              <span className="badge badge-neutral">not observed</span>
            )}
          </td>
        </tr>
      ))}
    </>
  );
}

const HOURS = [1, 24, 168] as const;

/** Who consumes the service's HTTP API and its events: declared (pacts, code, broker) and observed in traces. */
export function ConsumersSection({ service }: { service: string }) {
  const trpc = useTRPC();
  const [hours, setHours] = useState<number>(24);
  const q = useQuery(trpc.contracts.browser.consumers.queryOptions({ service, hours }));
  const c = q.data;
  return (
    <div className="panel" data-testid="consumers">
      <div className="filters" style={{ alignItems: "center" }}>
        <label>
          Observed over{" "}
          <select aria-label="Observed over" value={hours} onChange={(e) => setHours(Number(e.target.value))}>
            {HOURS.map((h) => (
              <option key={h} value={h}>
                {h === 1 ? "the last hour" : h === 24 ? "the last 24 hours" : "the last 7 days"}
              </option>
            ))}
          </select>
        </label>
        <span className="small muted">
          Declared: <SourceBadge source="pact" /> pacts in the broker, <SourceBadge source="code" /> consumers in code, <SourceBadge source="broker" /> event reads published by CI. Observed:{" "}
          <SourceBadge source="traces" /> the telemetry service graph.
          {c && !c.tracesSeen && " No traces between services in this window."}
        </span>
      </div>
      <QueryState query={q} what="consumers">
        {c && (
          <table className="data">
            <thead>
              <tr>
                <th style={{ width: "18%" }}>Consumer</th>
                <th>Known from</th>
                <th style={{ width: "26%" }}>Status</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <td colSpan={3}>
                  <h3 style={{ margin: 0 }}>HTTP API</h3>
                </td>
              </tr>
              <ConsumerRows refs={c.api} empty="Nobody declares or was seen calling the HTTP API." />
              <tr>
                <td colSpan={3}>
                  <h3 style={{ margin: 0 }}>Events (any type)</h3>
                </td>
              </tr>
              <ConsumerRows refs={c.events} empty="Nobody declares or was seen consuming these events." />
              {c.byEventType.map((e) => (
                <ByEvent key={e.eventType} eventType={e.eventType} refs={e.consumers} />
              ))}
            </tbody>
          </table>
        )}
      </QueryState>
    </div>
  );
}

function ByEvent({ eventType, refs }: { eventType: string; refs: TConsumerRef[] }) {
  return (
    <>
      <tr data-event={eventType}>
        <td colSpan={3}>
          <span className="mono small">{eventType.split(".").at(-1)}</span> <span className="svc-ref">{eventType}</span>
        </td>
      </tr>
      <ConsumerRows refs={refs} empty="No consumer subscribes to this event type." />
    </>
  );
}
