"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useCallback, useMemo, useState } from "react";
import { useTRPC } from "@/components/trpc/client";
import { QueryState } from "@/components/ui/QueryState";
import { FlowGraph } from "./FlowGraph";
import { dateTime, formatMs, serviceColor } from "./format";
import { SpanDetails } from "./SpanDetails";
import { unpackTrace } from "./trace-data";
import styles from "./traces.module.css";
import { Waterfall } from "./Waterfall";

type Tab = "waterfall" | "flow";

/** Writes `?span=` / `?view=` without a navigation (Next keeps useSearchParams in step with replaceState). */
function replaceParam(key: string, value: string | undefined) {
  const url = new URL(window.location.href);
  if (value) url.searchParams.set(key, value);
  else url.searchParams.delete(key);
  window.history.replaceState(window.history.state, "", url);
}

/** One trace: header, the virtualized waterfall with a span's details, and the flow graph. */
export function TracePage({ traceId }: { traceId: string }) {
  const trpc = useTRPC();
  const params = useSearchParams();
  const [tab, setTab] = useState<Tab>(params.get("view") === "flow" ? "flow" : "waterfall");
  const [selectedId, setSelectedId] = useState<string | null>(params.get("span"));
  const view = useQuery({ ...trpc.telemetry.traces.view.queryOptions({ traceId }), staleTime: Infinity });
  const data = useMemo(() => (view.data ? unpackTrace(view.data) : undefined), [view.data]);
  const flow = useQuery({ ...trpc.telemetry.traces.flow.queryOptions({ traceId }), staleTime: Infinity, enabled: tab === "flow" });
  const selected = selectedId && data ? data.indexOf.get(selectedId.toLowerCase()) : undefined;

  const select = useCallback(
    (i: number | undefined) => {
      const id = i === undefined || !data ? null : data.spanId(i);
      setSelectedId(id);
      replaceParam("span", id ?? undefined);
    },
    [data],
  );
  const switchTab = (t: Tab) => {
    setTab(t);
    replaceParam("view", t === "flow" ? "flow" : undefined);
  };

  return (
    <QueryState query={view} what="this trace" back={{ href: "/traces", label: "Search traces" }}>
      {data && (
        <div className="stack">
          <div className="crumbs">
            <Link href="/traces">Traces</Link> / <span className="mono">{data.view.traceId}</span>
          </div>
          <div className={styles.traceHead}>
            <div>
              <h1 data-testid="trace-title">
                <span className={styles.serviceTag} style={{ borderColor: serviceColor(data.view.rootService), color: serviceColor(data.view.rootService) }}>
                  {data.view.rootService}
                </span>{" "}
                {data.view.rootName}
              </h1>
              <p className="muted small">
                Started {dateTime(data.view.startMs)} · trace <span className="mono">{data.view.traceId}</span>
              </p>
            </div>
            <div className={styles.stats} data-testid="trace-stats">
              <div>
                <span>Duration</span>
                <strong>{formatMs(data.view.durationMs)}</strong>
              </div>
              <div>
                <span>Spans</span>
                <strong>{data.count.toLocaleString("en-US")}</strong>
              </div>
              <div>
                <span>Services</span>
                <strong>{data.view.services.length}</strong>
              </div>
              <div>
                <span>Errors</span>
                <strong className={data.view.errorCount > 0 ? styles.errorText : undefined}>{data.view.errorCount.toLocaleString("en-US")}</strong>
              </div>
            </div>
          </div>
          <div className={styles.serviceList} data-testid="trace-services">
            {data.view.services.map((s) => (
              <span key={s} className={styles.serviceTag} style={{ borderColor: serviceColor(s), color: serviceColor(s) }}>
                {s}
              </span>
            ))}
          </div>
          <div className={styles.tabs} role="tablist">
            <button type="button" role="tab" aria-selected={tab === "waterfall"} className={tab === "waterfall" ? styles.tabActive : undefined} onClick={() => switchTab("waterfall")}>
              Waterfall
            </button>
            <button type="button" role="tab" aria-selected={tab === "flow"} className={tab === "flow" ? styles.tabActive : undefined} onClick={() => switchTab("flow")}>
              Flow graph
            </button>
          </div>
          {tab === "waterfall" ? (
            <div className={selected !== undefined ? styles.withDetails : undefined}>
              <div className="panel">
                <Waterfall data={data} selected={selected} onSelect={select} />
              </div>
              {selected !== undefined && <SpanDetails key={selected} data={data} index={selected} onSelect={select} onClose={() => select(undefined)} />}
            </div>
          ) : (
            <div className="panel">
              <QueryState query={flow} what="the flow graph">
                {flow.data && <FlowGraph graph={flow.data} />}
              </QueryState>
            </div>
          )}
        </div>
      )}
    </QueryState>
  );
}
