"use client";

import Link from "next/link";
import { useState } from "react";
import type { TServiceContracts } from "@/services/contracts/browser";
import styles from "./contracts.module.css";
import { diffHref } from "./diff-href";
import { SchemaTable } from "./SchemaTable";

type Event = TServiceContracts["events"][number];

/** One event type: every schema version known (released, published, the code's), the chosen one rendered. */
function EventCard({ service, event }: { service: string; event: Event }) {
  const distinct = event.versions.filter((v) => !v.sameAs);
  const [selected, setSelected] = useState(event.versions.find((v) => v.source === "code")?.id ?? event.versions.at(-1)?.id);
  const [raw, setRaw] = useState(false);
  const shown = event.versions.find((v) => v.id === selected);
  const base = shown?.sameAs ?? shown?.id;
  // Compare the shown version with the previous distinct one, or the first distinct with the last.
  const index = distinct.findIndex((v) => v.id === base);
  const [from, to] = index > 0 ? [distinct[index - 1]!, distinct[index]!] : distinct.length > 1 ? [distinct[0]!, distinct.at(-1)!] : [];
  const versionsOfSchema = [...new Set(distinct.map((v) => v.contractVersion))];
  return (
    <div className="panel panel-pad" data-event={event.eventType}>
      <div className="row" style={{ justifyContent: "space-between" }}>
        <div>
          <h2 style={{ marginBottom: 2 }}>{event.name}</h2>
          <span className="svc-ref">{event.eventType}</span>
        </div>
        <span className="row">
          <span className="muted small">schema versions {versionsOfSchema.map((v) => `v${v}`).join(", ")}</span>
          {from && to && (
            <Link className="button" href={diffHref(service, "event", event.eventType, from.id, to.id)}>
              Compare {from.label} → {to.label}
            </Link>
          )}
        </span>
      </div>
      {event.description && <p className="small">{event.description}</p>}
      <div className={styles.versionChips} data-testid="event-versions">
        {event.versions.map((v) => (
          <button
            key={v.id}
            type="button"
            className={`${styles.versionChip} ${v.id === selected ? styles.selected : ""}`}
            onClick={() => setSelected(v.id)}
            title={v.sameAs ? `identical to ${v.sameAs}` : v.branch ? `branch ${v.branch}` : undefined}
            data-version={v.id}
          >
            {v.label}
            {v.sameAs && <span className={styles.dup}> =</span>}
          </button>
        ))}
      </div>
      {shown && (
        <div style={{ marginTop: 12 }}>
          <div className="row" style={{ justifyContent: "space-between", marginBottom: 6 }}>
            <span className="small">
              <strong>{shown.label}</strong> · schema version v{shown.contractVersion}
              {shown.sameAs && <span className="muted"> · identical to {shown.sameAs}</span>}
            </span>
            <button type="button" onClick={() => setRaw(!raw)}>
              {raw ? "Show as table" : "Show JSON Schema"}
            </button>
          </div>
          {raw ? <pre className={styles.code}>{JSON.stringify(shown.schema, null, 2)}</pre> : <SchemaTable schema={shown.schema} testId="event-schema" />}
        </div>
      )}
    </div>
  );
}

/** The events a service writes, each with all its schema versions. */
export function EventsSection({ service, events }: { service: string; events: Event[] }) {
  if (events.length === 0) return <div className="panel state">{service} writes no events.</div>;
  return (
    <div className={styles.events} data-testid="events">
      {events.map((e) => (
        <EventCard key={e.eventType} service={service} event={e} />
      ))}
    </div>
  );
}
