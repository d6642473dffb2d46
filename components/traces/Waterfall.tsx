"use client";

import { useVirtualizer } from "@tanstack/react-virtual";
import { memo, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { formatMs, serviceColor, SPAN_KINDS } from "./format";
import { expandTo, isCritical, isError, kindOf, type TraceData, visibleRows } from "./trace-data";
import styles from "./traces.module.css";

const ROW_HEIGHT = 28;
const INDENT = 14;
const MAX_INDENT_LEVELS = 24;

type Props = {
  data: TraceData;
  selected: number | undefined;
  onSelect: (index: number) => void;
};

/**
 * The waterfall: a collapsible span tree beside timeline bars, virtualized (only the rows in view are in
 * the DOM), so a 50,000-span trace opens and scrolls like a small one. Collapsing recomputes the visible
 * row list in one linear pass over the pre-ordered spans.
 */
export function Waterfall({ data, selected, onSelect }: Props) {
  const [collapsed, setCollapsed] = useState<Set<number>>(() => new Set());
  const rows = useMemo(() => visibleRows(data, collapsed), [data, collapsed]);
  const scrollRef = useRef<HTMLDivElement>(null);
  const total = Math.max(data.view.durationMs * 1000, 1);
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read during render on purpose
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });

  // Reveal a span selected from outside (the URL, a link, the critical-path button): expand and scroll to it.
  const [revealed, setRevealed] = useState<number | undefined>(undefined);
  if (selected !== undefined && selected !== revealed) {
    setRevealed(selected);
    const next = expandTo(data, collapsed, selected);
    if (next.size !== collapsed.size) setCollapsed(next);
  }
  useEffect(() => {
    if (selected === undefined) return;
    const at = rows.indexOf(selected);
    if (at >= 0) virtualizer.scrollToIndex(at, { align: "auto" });
    // Only when the selection changes; scrolling by hand must not jump back.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [selected]);

  const toggle = useCallback((i: number) => {
    setCollapsed((prev) => {
      const next = new Set(prev);
      if (next.has(i)) next.delete(i);
      else next.add(i);
      return next;
    });
  }, []);
  const collapseToDepth = (depth: number) => {
    const next = new Set<number>();
    for (let i = 0; i < data.count; i++) if (data.depth[i] === depth && data.size[i]! > 1) next.add(i);
    setCollapsed(next);
  };

  const ticks = [0, 0.25, 0.5, 0.75, 1];
  return (
    <div className={styles.waterfall} data-testid="waterfall">
      <div className={styles.waterfallTools}>
        <button type="button" onClick={() => setCollapsed(new Set())}>
          Expand all
        </button>
        <button type="button" onClick={() => collapseToDepth(0)}>
          Collapse all
        </button>
        <button type="button" onClick={() => collapseToDepth(2)}>
          Collapse below level 2
        </button>
        <span className="muted small" data-testid="waterfall-count">
          {rows.length.toLocaleString("en-US")} of {data.count.toLocaleString("en-US")} spans shown
        </span>
        <span className={styles.legend}>
          <span className={styles.legendCritical} /> critical path
          <span className={styles.legendError} /> error
        </span>
      </div>
      <div className={styles.waterfallHead}>
        <div className={styles.nameCol}>Service · operation</div>
        <div className={styles.timeCol}>
          {ticks.map((t) => (
            <span key={t} className={styles.tick} style={{ left: `${t * 100}%` }}>
              {t === 0 ? "0" : formatMs((total * t) / 1000)}
            </span>
          ))}
        </div>
      </div>
      <div ref={scrollRef} className={styles.waterfallScroll} data-testid="waterfall-scroll">
        <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
          {virtualizer.getVirtualItems().map((item) => {
            const i = rows[item.index]!;
            return (
              <Row
                key={i}
                data={data}
                i={i}
                top={item.start}
                total={total}
                expanded={!collapsed.has(i)}
                selected={selected === i}
                onToggle={toggle}
                onSelect={onSelect}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}

type RowProps = {
  data: TraceData;
  i: number;
  top: number;
  total: number;
  expanded: boolean;
  selected: boolean;
  onToggle: (i: number) => void;
  onSelect: (i: number) => void;
};

const Row = memo(function Row({ data, i, top, total, expanded, selected, onToggle, onSelect }: RowProps) {
  const flags = data.flags[i]!;
  const service = data.view.services[data.service[i]!]!;
  const name = data.view.names[data.name[i]!]!;
  const start = data.start[i]!;
  const duration = data.duration[i]!;
  const color = serviceColor(service);
  const hasChildren = data.size[i]! > 1;
  // The service is named where it changes; below that, a dot of its color.
  const parent = data.parent[i]!;
  const newService = parent === -1 || data.service[parent] !== data.service[i];
  const depth = Math.min(data.depth[i]!, MAX_INDENT_LEVELS);
  const critical = isCritical(flags);
  const error = isError(flags);
  const left = (start / total) * 100;
  const width = Math.max((duration / total) * 100, 0.15);
  const label = `${service} ${name} ${formatMs(duration / 1000)}`;
  return (
    <div
      className={`${styles.row}${selected ? ` ${styles.rowSelected}` : ""}${critical ? ` ${styles.rowCritical}` : ""}`}
      style={{ transform: `translateY(${top}px)` }}
      data-testid="waterfall-row"
      data-span-id={data.spanId(i)}
      data-critical={critical || undefined}
      data-error={error || undefined}
      role="button"
      tabIndex={0}
      aria-label={label}
      aria-pressed={selected}
      onClick={() => onSelect(i)}
      onKeyDown={(e) => {
        if (e.key === "Enter" || e.key === " ") {
          e.preventDefault();
          onSelect(i);
        }
      }}
    >
      <div className={styles.nameCol} style={{ paddingLeft: 6 + depth * INDENT }} title={`${service}: ${name}`}>
        {hasChildren ? (
          <button
            type="button"
            className={styles.toggle}
            aria-label={expanded ? "Collapse" : "Expand"}
            aria-expanded={expanded}
            data-testid="span-toggle"
            onClick={(e) => {
              e.stopPropagation();
              onToggle(i);
            }}
          >
            {expanded ? "▾" : "▸"}
          </button>
        ) : (
          <span className={styles.togglePad} />
        )}
        {newService ? (
          <span className={styles.serviceTag} style={{ borderColor: color, color }}>
            {service}
          </span>
        ) : (
          <span className={styles.serviceDot} style={{ background: color }} title={service} />
        )}
        <span className={`${styles.spanName}${error ? ` ${styles.errorText}` : ""}`}>{name}</span>
        {!expanded && <span className={styles.hiddenCount}>+{data.size[i]! - 1}</span>}
        {critical && (
          <span className={styles.criticalMark} title="on the critical path" aria-label="on the critical path">
            ◆
          </span>
        )}
      </div>
      <div className={styles.timeCol}>
        <div
          className={`${styles.bar}${error ? ` ${styles.barError}` : ""}`}
          style={{ left: `${left}%`, width: `${width}%`, background: color }}
          title={`${SPAN_KINDS[kindOf(flags)] ?? "span"} · ${formatMs(duration / 1000)}`}
        />
        {data.critical.get(i)?.map(([s, e], k) => (
          <div key={k} className={styles.criticalSection} style={{ left: `${(s / total) * 100}%`, width: `${Math.max(((e - s) / total) * 100, 0.1)}%` }} />
        ))}
        <span className={styles.barLabel} style={left > 70 ? { right: `${100 - left + 0.5}%` } : { left: `calc(${left + width}% + 4px)` }}>
          {formatMs(duration / 1000)}
        </span>
      </div>
    </div>
  );
});
