"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "@/components/trpc/client";
import { clockTime, formatMs, serviceColor, SPAN_KINDS, STATUS } from "./format";
import { isCritical, kindOf, type TraceData } from "./trace-data";
import styles from "./traces.module.css";

type Props = { data: TraceData; index: number; onSelect: (index: number) => void; onClose: () => void };

function show(v: unknown): string {
  if (typeof v === "string") return v;
  return JSON.stringify(v);
}

function Attributes({ attrs, testId }: { attrs: Record<string, unknown>; testId: string }) {
  const keys = Object.keys(attrs).sort();
  if (keys.length === 0) return <p className="muted small">none</p>;
  return (
    <table className={styles.attrs} data-testid={testId}>
      <tbody>
        {keys.map((k) => (
          <tr key={k}>
            <th className="mono">{k}</th>
            <td className="mono">{show(attrs[k])}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A span opened from the waterfall: what the waterfall knows at once, then its attributes, events, links and resource. */
export function SpanDetails({ data, index, onSelect, onClose }: Props) {
  const trpc = useTRPC();
  const spanId = data.spanId(index);
  const span = useQuery({ ...trpc.telemetry.traces.span.queryOptions({ traceId: data.view.traceId, spanId }), staleTime: Infinity });
  const service = data.view.services[data.service[index]!]!;
  const name = data.view.names[data.name[index]!]!;
  const flags = data.flags[index]!;
  const parent = data.parent[index]!;
  const s = span.data;
  const critical = data.critical.get(index) ?? [];
  const criticalUs = critical.reduce((sum, [a, b]) => sum + (b - a), 0);

  return (
    <aside className={styles.details} data-testid="span-details" aria-label="Span details">
      <div className={styles.detailsHead}>
        <div>
          <span className={styles.serviceTag} style={{ borderColor: serviceColor(service), color: serviceColor(service) }}>
            {service}
          </span>
          <h2 className={styles.detailsTitle}>{name}</h2>
        </div>
        <button type="button" onClick={onClose} aria-label="Close span details">
          ✕
        </button>
      </div>
      <dl className={styles.kv}>
        <dt>Span</dt>
        <dd className="mono">{spanId}</dd>
        <dt>Parent</dt>
        <dd>
          {parent >= 0 ? (
            <button type="button" className={styles.linkButton} onClick={() => onSelect(parent)}>
              {data.view.names[data.name[parent]!]}
            </button>
          ) : s?.parentSpanId ? (
            <span className="mono" title="not in this trace">
              {s.parentSpanId} (missing)
            </span>
          ) : (
            <span className="muted">root</span>
          )}
        </dd>
        <dt>Kind</dt>
        <dd>{SPAN_KINDS[kindOf(flags)]}</dd>
        <dt>Status</dt>
        <dd data-testid="span-status">
          {s ? (
            <span className={s.statusCode === 2 ? styles.errorText : undefined}>
              {STATUS[s.statusCode] ?? s.statusCode}
              {s.statusMessage ? `: ${s.statusMessage}` : ""}
            </span>
          ) : (
            "…"
          )}
        </dd>
        <dt>Start</dt>
        <dd>
          +{formatMs(data.start[index]! / 1000)} <span className="muted small">({clockTime(data.view.startMs + data.start[index]! / 1000)})</span>
        </dd>
        <dt>Duration</dt>
        <dd>{formatMs(data.duration[index]! / 1000)}</dd>
        <dt>Critical path</dt>
        <dd>{isCritical(flags) ? `${formatMs(criticalUs / 1000)} of it` : <span className="muted">no</span>}</dd>
        {s && (
          <>
            <dt>Process</dt>
            <dd className="mono">{s.serviceName}</dd>
            {s.scopeName && (
              <>
                <dt>Scope</dt>
                <dd className="mono">
                  {s.scopeName}
                  {s.scopeVersion ? ` ${s.scopeVersion}` : ""}
                </dd>
              </>
            )}
          </>
        )}
      </dl>
      {span.isLoading && <p className="muted">Loading attributes…</p>}
      {span.error && (
        <p className={styles.errorText} role="alert">
          Could not load the span: {span.error.message}
        </p>
      )}
      {s && (
        <>
          <h3>Attributes</h3>
          <Attributes attrs={s.attributes} testId="span-attributes" />
          <h3>Events ({s.events?.length ?? 0})</h3>
          {s.events && s.events.length > 0 ? (
            <ol className={styles.events} data-testid="span-events">
              {s.events.map((e, k) => (
                <li key={k}>
                  <div>
                    <span className="mono small">+{formatMs(Number(e.timeUnixNano) / 1e6 - s.startUs / 1000)}</span> <strong>{e.name}</strong>
                  </div>
                  {Object.keys(e.attributes).length > 0 && <Attributes attrs={e.attributes} testId="event-attributes" />}
                </li>
              ))}
            </ol>
          ) : (
            <p className="muted small">none</p>
          )}
          <h3>Links ({s.links?.length ?? 0})</h3>
          {s.links && s.links.length > 0 ? (
            <ul className={styles.links} data-testid="span-links">
              {s.links.map((l, k) => {
                const here = l.traceId === data.view.traceId ? data.indexOf.get(l.spanId) : undefined;
                return (
                  <li key={k}>
                    {here !== undefined ? (
                      <button type="button" className={styles.linkButton} onClick={() => onSelect(here)}>
                        {data.view.names[data.name[here]!]} <span className="mono small">({l.spanId})</span>
                      </button>
                    ) : (
                      <Link href={`/traces/${l.traceId}?span=${l.spanId}`} className="mono small">
                        trace {l.traceId.slice(0, 12)}… span {l.spanId}
                      </Link>
                    )}
                    {Object.keys(l.attributes).length > 0 && <Attributes attrs={l.attributes} testId="link-attributes" />}
                  </li>
                );
              })}
            </ul>
          ) : (
            <p className="muted small">none</p>
          )}
          <details>
            <summary>
              <h3 className={styles.inlineH3}>Resource</h3>
            </summary>
            <Attributes attrs={s.resourceAttributes} testId="span-resource" />
          </details>
        </>
      )}
    </aside>
  );
}
