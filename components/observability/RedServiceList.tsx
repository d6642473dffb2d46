"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useTRPC } from "@/components/trpc/client";
import { QueryState } from "@/components/ui/QueryState";
import { errorLevel, fmtCount, fmtMs, fmtPct, fmtRate } from "./format";
import { redHref } from "./links";
import obs from "./observability.module.css";
import { Sparkline } from "./Sparkline";
import { TimeRangePicker } from "./TimeRangePicker";
import { useTimeRange } from "./useTimeRange";

/** Every service with RED over the range: rate, error % and p95 with a sparkline each. */
export function RedServiceList() {
  const trpc = useTRPC();
  const time = useTimeRange();
  const range = time.range;
  const [filter, setFilter] = useState("");
  const list = useQuery({
    ...trpc.telemetry.dashboards.services.queryOptions(range ? { from: range.from, to: range.to } : { from: new Date(0), to: new Date(1) }),
    enabled: range !== null,
    placeholderData: (prev) => prev,
  });
  const rows = (list.data ?? []).filter((s) => s.service.toLowerCase().includes(filter.trim().toLowerCase())).sort((a, b) => b.totals.calls - a.totals.calls);
  const levelClass = { ok: obs.ok, warn: obs.warn, bad: obs.bad };
  return (
    <div className="stack">
      <div className={`panel ${obs.toolbar}`}>
        <TimeRangePicker state={time} />
        <input type="search" placeholder="Filter services" aria-label="Filter services" value={filter} onChange={(e) => setFilter(e.target.value)} />
      </div>
      <div className="panel">
        <QueryState query={{ isLoading: list.isLoading || !range, error: list.error }} what="services">
          {rows.length === 0 ? (
            <div className="state">{filter ? "No service matches this filter." : "No spans in this time range."}</div>
          ) : (
            <table className={`data ${obs.middle}`} data-testid="red-services">
              <thead>
                <tr>
                  <th>Service</th>
                  <th className={obs.num}>Calls</th>
                  <th className={obs.num}>Rate</th>
                  <th className={obs.num}>Errors</th>
                  <th className={obs.num}>p95 latency</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((s) => (
                  <tr key={s.service} data-service={s.service}>
                    <td>
                      <Link className="svc-name" href={redHref(s.service, range!.preset ? { preset: range!.preset } : range!)}>
                        {s.service}
                      </Link>
                      <div className="small muted">{s.scope === "inbound" ? "server and consumer spans" : "all spans (no server or consumer spans)"}</div>
                    </td>
                    <td className={obs.num}>{fmtCount(s.totals.calls)}</td>
                    <td>
                      <div className={obs.sparkCell}>
                        <Sparkline values={s.spark.map((p) => p.rate)} label={`rate of ${s.service}`} />
                        <span className={obs.num} style={{ width: 64 }}>
                          {fmtRate(s.totals.rate)}
                        </span>
                      </div>
                    </td>
                    <td>
                      <div className={obs.sparkCell}>
                        <Sparkline values={s.spark.map((p) => (p.calls > 0 ? p.errorPct : null))} color="#d92d20" label={`error % of ${s.service}`} />
                        <span className={`${obs.num} ${levelClass[errorLevel(s.totals.errorPct)]}`} style={{ width: 52 }}>
                          {fmtPct(s.totals.errorPct)}
                        </span>
                      </div>
                    </td>
                    <td>
                      <div className={obs.sparkCell}>
                        <Sparkline values={s.spark.map((p) => p.p95)} color="#7a4fd6" label={`p95 of ${s.service}`} />
                        <span className={obs.num} style={{ width: 60 }}>
                          {fmtMs(s.totals.p95)}
                        </span>
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </QueryState>
      </div>
    </div>
  );
}
