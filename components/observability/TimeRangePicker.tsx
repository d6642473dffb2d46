"use client";

import { useState } from "react";
import { fmtTime } from "./format";
import styles from "./observability.module.css";
import { PRESETS, toLocalInput } from "./time-range";
import type { TimeRangeState } from "./useTimeRange";

/** Presets (15m, 1h, 6h, 24h, up to now) and a custom absolute range, kept in the URL. */
export function TimeRangePicker({ state }: { state: TimeRangeState }) {
  const { range } = state;
  const [custom, setCustom] = useState<{ from: string; to: string } | null>(null);
  if (!range) return <div className={styles.picker} />;
  const spansDays = range.to.getTime() - range.from.getTime() > 20 * 3_600_000 || range.from.toDateString() !== range.to.toDateString();
  const apply = () => {
    if (!custom) return;
    const from = new Date(custom.from);
    const to = new Date(custom.to);
    if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || !(to > from)) return;
    state.setCustom(from, to);
    setCustom(null);
  };
  return (
    <div className={styles.picker} data-testid="time-range">
      <div className={styles.presets} role="group" aria-label="Time range">
        {PRESETS.map((p) => (
          <button key={p.key} type="button" className={range.preset === p.key ? styles.presetOn : undefined} aria-pressed={range.preset === p.key} onClick={() => state.setPreset(p.key)}>
            {p.label}
          </button>
        ))}
        <button
          type="button"
          className={range.preset === null || custom ? styles.presetOn : undefined}
          aria-pressed={range.preset === null}
          onClick={() => setCustom(custom ? null : { from: toLocalInput(range.from), to: toLocalInput(range.to) })}
        >
          Custom
        </button>
      </div>
      {custom ? (
        <div className={styles.custom}>
          <label>
            From <input type="datetime-local" aria-label="From" value={custom.from} onChange={(e) => setCustom({ ...custom, from: e.target.value })} />
          </label>
          <label>
            To <input type="datetime-local" aria-label="To" value={custom.to} onChange={(e) => setCustom({ ...custom, to: e.target.value })} />
          </label>
          <button type="button" className="primary" onClick={apply}>
            Apply
          </button>
        </div>
      ) : (
        <span className={styles.rangeText} data-testid="range-text">
          {fmtTime(range.from, spansDays)} – {fmtTime(range.to, spansDays)}
          {range.preset ? " (up to now)" : ""}
        </span>
      )}
    </div>
  );
}
