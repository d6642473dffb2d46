"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useMemo, useState } from "react";
import { useTRPC } from "@/components/trpc/client";
import { QueryState } from "@/components/ui/QueryState";
import { timeAgo } from "@/components/ui/time";
import { DurationScatter } from "./DurationScatter";
import { dateTime, formatMs, serviceColor } from "./format";
import { type Filters, filtersFrom, filtersQuery, parseAttribute, RANGES, searchInput } from "./search-params";
import styles from "./traces.module.css";

const PAGE = 25;

/** Trace search: filters (kept in the URL), a duration-vs-time scatter of matching spans, and the traces found. */
export function TraceSearch() {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const applied = useMemo(() => filtersFrom(new URLSearchParams(params.toString())), [params]);
  const [draft, setDraft] = useState<Filters>(applied);
  // Presets end "now": fixed when a search is run, so the query key is stable until the next one.
  const [now, setNow] = useState(() => Date.now());
  const input = useMemo(() => searchInput(applied, now), [applied, now]);
  const services = useQuery(trpc.telemetry.traces.services.queryOptions());
  const search = useQuery({ ...trpc.telemetry.traces.search.queryOptions(input), staleTime: 60_000 });

  const set = <K extends keyof Filters>(key: K, value: Filters[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const apply = (f: Filters) => {
    setNow(() => Date.now());
    setShown(PAGE);
    const q = filtersQuery(f);
    router.replace(`${pathname}${q ? `?${q}` : ""}`);
  };
  const attributeInvalid = draft.attribute.trim() !== "" && !parseAttribute(draft.attribute);
  const serviceOptions = [...new Set([...(services.data ?? []), ...(applied.service ? [applied.service] : [])])].sort();
  const traces = search.data?.traces ?? [];
  const [shown, setShown] = useState(PAGE);

  return (
    <div className="stack">
      <form
        className={`panel ${styles.searchForm}`}
        aria-label="Trace filters"
        onSubmit={(e) => {
          e.preventDefault();
          if (!attributeInvalid) apply(draft);
        }}
      >
        <label>
          <span>Service</span>
          <select aria-label="Service" value={draft.service} onChange={(e) => set("service", e.target.value)}>
            <option value="">all services</option>
            {serviceOptions.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>Operation</span>
          <input type="search" aria-label="Operation" placeholder="exact span name" value={draft.operation} onChange={(e) => set("operation", e.target.value)} />
        </label>
        <label>
          <span>Attribute</span>
          <input
            type="search"
            aria-label="Attribute"
            aria-invalid={attributeInvalid}
            placeholder="key=value, e.g. http.route=/templates"
            value={draft.attribute}
            onChange={(e) => set("attribute", e.target.value)}
          />
        </label>
        <label className={styles.narrow}>
          <span>Min ms</span>
          <input type="number" min={0} aria-label="Min duration (ms)" value={draft.minMs} onChange={(e) => set("minMs", e.target.value)} />
        </label>
        <label className={styles.narrow}>
          <span>Max ms</span>
          <input type="number" min={0} aria-label="Max duration (ms)" value={draft.maxMs} onChange={(e) => set("maxMs", e.target.value)} />
        </label>
        <label>
          <span>Time range</span>
          <select aria-label="Time range" value={draft.range} onChange={(e) => set("range", e.target.value)}>
            {RANGES.map((r) => (
              <option key={r.key} value={r.key}>
                {r.label}
              </option>
            ))}
            <option value="custom">Custom…</option>
          </select>
        </label>
        {draft.range === "custom" && (
          <>
            <label>
              <span>From</span>
              <input type="datetime-local" aria-label="From" value={draft.from} onChange={(e) => set("from", e.target.value)} />
            </label>
            <label>
              <span>To</span>
              <input type="datetime-local" aria-label="To" value={draft.to} onChange={(e) => set("to", e.target.value)} />
            </label>
          </>
        )}
        <label className={styles.check}>
          <input type="checkbox" aria-label="Errors only" checked={draft.errors} onChange={(e) => set("errors", e.target.checked)} />
          <span>Errors only</span>
        </label>
        <div className={styles.formButtons}>
          <button type="submit" className="primary" disabled={attributeInvalid}>
            Search
          </button>
          <button
            type="button"
            onClick={() => {
              const cleared = { ...draft, service: "", operation: "", attribute: "", minMs: "", maxMs: "", errors: false };
              setDraft(cleared);
              apply(cleared);
            }}
          >
            Clear
          </button>
        </div>
        {attributeInvalid && <p className={`${styles.errorText} small`}>Write the attribute as key=value.</p>}
      </form>

      <QueryState query={search} what="traces">
        <div className="panel panel-pad">
          <DurationScatter points={search.data?.points ?? []} from={input.from.getTime()} to={input.to.getTime()} />
        </div>
        <div className="panel">
          <div className={`panel-pad ${styles.resultsHead}`}>
            <h2>
              {traces.length} trace{traces.length === 1 ? "" : "s"}
            </h2>
            <span className="muted small">
              {dateTime(input.from)} – {dateTime(input.to)}
              {search.data && search.data.points.length >= input.limit ? ` · first ${input.limit} matching spans` : ""}
            </span>
          </div>
          {traces.length === 0 ? (
            <div className="state">No trace matches these filters in this time range.</div>
          ) : (
            <table className="data" data-testid="trace-results">
              <thead>
                <tr>
                  <th>Trace</th>
                  <th>Root</th>
                  <th>Services</th>
                  <th className={styles.num}>Spans</th>
                  <th className={styles.num}>Duration</th>
                  <th className={styles.num}>Errors</th>
                  <th>Started</th>
                </tr>
              </thead>
              <tbody>
                {traces.slice(0, shown).map((t) => (
                  <tr key={t.traceId} data-trace-id={t.traceId}>
                    <td>
                      <Link className="mono" href={`/traces/${t.traceId}`}>
                        {t.traceId.slice(0, 12)}…
                      </Link>
                    </td>
                    <td>
                      <span className={styles.serviceTag} style={{ borderColor: serviceColor(t.rootService), color: serviceColor(t.rootService) }}>
                        {t.rootService}
                      </span>{" "}
                      <span className={styles.rootName}>{t.rootName}</span>
                    </td>
                    <td className="small">{t.services.length}</td>
                    <td className={styles.num}>{t.spanCount.toLocaleString("en-US")}</td>
                    <td className={styles.num}>{formatMs(t.durationMs)}</td>
                    <td className={styles.num}>{t.errorCount > 0 ? <span className={styles.errorBadge}>{t.errorCount}</span> : <span className="muted">0</span>}</td>
                    <td title={new Date(t.startTime).toISOString()}>
                      {dateTime(t.startTime).slice(11)} <span className="muted small">{timeAgo(t.startTime, now)}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {traces.length > shown && (
            <div className="panel-pad">
              <button type="button" onClick={() => setShown((n) => n + PAGE)}>
                Show {Math.min(PAGE, traces.length - shown)} more of {traces.length - shown}
              </button>
            </div>
          )}
        </div>
      </QueryState>
    </div>
  );
}
