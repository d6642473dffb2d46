"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useState } from "react";
import type { OperationRed } from "@/services/telemetry/dashboards";
import { useTRPC } from "@/components/trpc/client";
import { QueryState } from "@/components/ui/QueryState";
import { errorLevel, fmtCount, fmtMs, fmtPct, fmtRate, fmtTime, fmtWindow } from "./format";
import { tracesHref } from "./links";
import obs from "./observability.module.css";
import { type ChartMark, RedCharts } from "./RedCharts";
import { parseTime } from "./time-range";
import { TimeRangePicker } from "./TimeRangePicker";
import { useTimeRange } from "./useTimeRange";

const levelClass = { ok: obs.ok, warn: obs.warn, bad: obs.bad };
const opKey = (o: { operation: string; spanKind: number }) => `${o.spanKind}|${o.operation}`;

function readMark(params: URLSearchParams | { get(k: string): string | null }): ChartMark | null {
  const at = parseTime(params.get("alert"));
  if (!at) return null;
  const minutes = (k: string) => {
    const n = Number(params.get(k));
    return Number.isFinite(n) && n > 0 ? n : null;
  };
  return { at: at.getTime(), longMinutes: minutes("long"), shortMinutes: minutes("short") };
}

/** One service's RED dashboard: charts over the URL's range, the operations table, links to its traces. */
export function RedDashboard({ service }: { service: string }) {
  const trpc = useTRPC();
  const params = useSearchParams();
  const time = useTimeRange();
  const range = time.range;
  const operation = params.get("operation") ?? undefined;
  const kindParam = params.get("kind");
  const spanKind = kindParam !== null && /^[0-5]$/.test(kindParam) ? Number(kindParam) : undefined;
  const mark = readMark(params);
  const dash = useQuery({
    ...trpc.telemetry.dashboards.service.queryOptions(range ? { service, from: range.from, to: range.to, operation, spanKind } : { service, from: new Date(0), to: new Date(1) }),
    enabled: range !== null,
    placeholderData: (prev) => prev,
  });
  const d = dash.data;
  const narrow = (o: { operation: string; spanKind: number } | null) => time.setParams({ operation: o?.operation ?? null, kind: o ? String(o.spanKind) : null });
  const scopeText =
    d?.scope === "filtered"
      ? `operation ${operation ?? "(any)"}${spanKind !== undefined ? ` (${d.operations.find((o) => o.spanKind === spanKind)?.spanKindName ?? `kind ${spanKind}`})` : ""}`
      : d?.scope === "inbound"
        ? "the calls it answers (server and consumer spans)"
        : "all of its spans (it has no server or consumer spans in this range)";

  return (
    <div className="stack">
      <div className="page-head" style={{ marginBottom: 0 }}>
        <div>
          <div className="small">
            <Link href="/red">RED metrics</Link> /
          </div>
          <h1>{service}</h1>
          <p>Rate, errors and latency of {scopeText}.</p>
        </div>
        {range && d && (
          <div className={obs.links} data-testid="trace-links">
            <Link href={tracesHref({ service, operation, ...range })}>Traces in range</Link>
            <Link href={tracesHref({ service, operation, ...range, errorsOnly: true })}>Failing traces</Link>
            {d.totals.p95 !== null && <Link href={tracesHref({ service, operation, ...range, minDurationMs: d.totals.p95 })}>Slow traces (over p95 {fmtMs(d.totals.p95)})</Link>}
          </div>
        )}
      </div>
      <div className={`panel ${obs.toolbar}`}>
        <TimeRangePicker state={time} />
        {d && (
          <label className="small muted">
            Operation{" "}
            <select aria-label="Operation" value={operation !== undefined ? `${spanKind ?? ""}|${operation}` : ""} onChange={(e) => {
              const v = e.target.value;
              const o = d.operations.find((op) => opKey(op) === v);
              narrow(o ?? null);
            }}>
              <option value="">all operations</option>
              {d.operations.map((o) => (
                <option key={opKey(o)} value={opKey(o)}>
                  {o.operation} · {o.spanKindName}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      {mark && (
        <div className={obs.markNote} data-testid="alert-mark">
          Burn-rate alert at {fmtTime(mark.at, true)}
          {mark.longMinutes && mark.shortMinutes ? ` — its long window (${fmtWindow(mark.longMinutes)}) is shaded, the short window (${fmtWindow(mark.shortMinutes)}) darker.` : "."}
        </div>
      )}
      <QueryState query={{ isLoading: dash.isLoading || !range, error: dash.error }} what={`the RED dashboard of ${service}`}>
        {d && range && (
          <>
            <div className={obs.kpis} data-testid="red-kpis">
              <Kpi label="Calls" value={fmtCount(d.totals.calls)} />
              <Kpi label="Rate" value={fmtRate(d.totals.rate)} />
              <Kpi label="Errors" value={fmtPct(d.totals.errorPct)} level={errorLevel(d.totals.errorPct)} />
              <Kpi label="p95" value={fmtMs(d.totals.p95)} />
              <Kpi label="p99" value={fmtMs(d.totals.p99)} />
            </div>
            {d.totals.calls === 0 && <div className="panel state">No calls of {service} in this range{operation ? " for this operation" : ""}.</div>}
            <RedCharts series={d.series} stepSeconds={d.stepSeconds} from={range.from.getTime()} to={range.to.getTime()} mark={mark} />
            <Operations operations={d.operations} service={service} range={range} selected={operation !== undefined ? { operation, spanKind } : null} onSelect={narrow} />
          </>
        )}
      </QueryState>
    </div>
  );
}

function Kpi({ label, value, level }: { label: string; value: string; level?: "ok" | "warn" | "bad" }) {
  return (
    <div className={`panel ${obs.kpi}`}>
      <div className={obs.kpiLabel}>{label}</div>
      <div className={`${obs.kpiValue} ${level ? levelClass[level] : ""}`}>{value}</div>
    </div>
  );
}

function Operations({
  operations,
  service,
  range,
  selected,
  onSelect,
}: {
  operations: OperationRed[];
  service: string;
  range: { from: Date; to: Date };
  selected: { operation: string; spanKind: number | undefined } | null;
  onSelect(o: OperationRed | null): void;
}) {
  const [filter, setFilter] = useState("");
  const f = filter.trim().toLowerCase();
  const rows = operations.filter((o) => !f || o.operation.toLowerCase().includes(f) || o.spanKindName.includes(f));
  const isSelected = (o: OperationRed) => selected !== null && selected.operation === o.operation && (selected.spanKind === undefined || selected.spanKind === o.spanKind);
  return (
    <div className="panel">
      <div className="filters" style={{ alignItems: "center" }}>
        <h3 style={{ margin: 0 }}>Operations</h3>
        <input type="search" placeholder="Filter operations" aria-label="Filter operations" value={filter} onChange={(e) => setFilter(e.target.value)} />
        <span className="small muted">Click an operation to chart it alone.</span>
        {selected && (
          <button type="button" onClick={() => onSelect(null)}>
            Show all operations
          </button>
        )}
      </div>
      {rows.length === 0 ? (
        <div className="state">{operations.length === 0 ? "No operations in this range." : "No operation matches this filter."}</div>
      ) : (
        <table className="data" data-testid="operations">
          <thead>
            <tr>
              <th>Operation</th>
              <th>Kind</th>
              <th className={obs.num}>Rate</th>
              <th className={obs.num}>Calls</th>
              <th className={obs.num}>Errors</th>
              <th className={obs.num}>p50</th>
              <th className={obs.num}>p95</th>
              <th className={obs.num}>p99</th>
              <th>Traces</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((o) => (
              <tr key={opKey(o)} data-operation={o.operation} data-kind={o.spanKindName} className={`${obs.opRow} ${isSelected(o) ? obs.opSelected : ""}`} onClick={() => onSelect(o)}>
                <td className={obs.opName}>{o.operation}</td>
                <td>
                  <span className="badge badge-neutral">{o.spanKindName}</span>
                </td>
                <td className={obs.num}>{fmtRate(o.rate)}</td>
                <td className={obs.num}>{fmtCount(o.calls)}</td>
                <td className={`${obs.num} ${levelClass[errorLevel(o.errorPct)]}`}>
                  {fmtCount(o.errors)} ({fmtPct(o.errorPct)})
                </td>
                <td className={obs.num}>{fmtMs(o.p50)}</td>
                <td className={obs.num}>{fmtMs(o.p95)}</td>
                <td className={obs.num}>{fmtMs(o.p99)}</td>
                <td className={obs.nowrap} onClick={(e) => e.stopPropagation()}>
                  {o.errors > 0 && <Link href={tracesHref({ service, operation: o.operation, ...range, errorsOnly: true })}>failing</Link>}
                  {o.errors > 0 && o.p95 !== null && " · "}
                  {o.p95 !== null && <Link href={tracesHref({ service, operation: o.operation, ...range, minDurationMs: o.p95 })}>slow</Link>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
