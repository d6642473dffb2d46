"use client";

import { Fragment, useEffect, useMemo, useRef, useState } from "react";
import type { TDiffChange } from "@/services/contracts/browser-diff";
import styles from "./contracts.module.css";
import { alignLines, type DiffRow, foldRows, jsonLines, lineMatches, type Side } from "./json-lines";

const RANK = { ERR: 0, WARN: 1, INFO: 2 } as const;
type Level = keyof typeof RANK;
type Mark = { level: Level; changes: number[] };

/** Lines longer than this at one location (a whole operation deprecated) are marked only where they changed. */
const LARGE = 12;

function markOf(line: Side | null, kind: DiffRow["kind"], changes: TDiffChange[], side: "from" | "to", sizes: number[]): Mark | null {
  if (!line) return null;
  let mark: Mark | null = null;
  changes.forEach((c, i) => {
    const location = side === "from" ? c.fromLocation : c.toLocation;
    const hit = side === "from" ? lineMatches(line, c.fromLocation, c.fromExact) : lineMatches(line, c.toLocation, c.toExact);
    if (!hit || (sizes[i]! > LARGE && kind === "same" && !(line.pointer === location && line.opens))) return;
    mark = mark ? { level: RANK[c.level] < RANK[mark.level] ? c.level : mark.level, changes: [...mark.changes, i] } : { level: c.level, changes: [i] };
  });
  return mark;
}

/**
 * Both documents side by side, aligned line by line: removed lines red, added green, and the lines
 * at each change's location marked by its level. Unchanged, unmarked stretches fold away.
 */
export function SideBySide({ from, to, fromLabel, toLabel, changes, selected }: { from: unknown; to: unknown; fromLabel: string; toLabel: string; changes: TDiffChange[]; selected: number | null }) {
  const rows = useMemo(() => alignLines(jsonLines(from), jsonLines(to)), [from, to]);
  const marked = useMemo(() => {
    const size = (side: "from" | "to") =>
      changes.map((c) => rows.filter((r) => (side === "from" ? r.left && lineMatches(r.left, c.fromLocation, c.fromExact) : r.right && lineMatches(r.right, c.toLocation, c.toExact))).length);
    const [fromSizes, toSizes] = [size("from"), size("to")];
    return rows.map((r) => ({ row: r, left: markOf(r.left, r.kind, changes, "from", fromSizes), right: markOf(r.right, r.kind, changes, "to", toSizes) }));
  }, [rows, changes]);
  const byRow = useMemo(() => new Map(marked.map((m) => [m.row, m])), [marked]);
  const blocks = useMemo(() => foldRows(rows, (r) => Boolean(byRow.get(r)?.left || byRow.get(r)?.right)), [rows, byRow]);
  const [open, setOpen] = useState<Set<number>>(new Set());
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (selected === null || !box.current) return;
    const el = box.current.querySelector<HTMLElement>(`[data-changes~="c${selected}"]`);
    if (!el) return;
    // Scroll inside the side-by-side box only; the page stays where the reader is.
    const top = el.getBoundingClientRect().top - box.current.getBoundingClientRect().top + box.current.scrollTop;
    box.current.scrollTo({ top: top - box.current.clientHeight / 3, behavior: "auto" });
  }, [selected]);

  const cell = (side: Side | null, mark: Mark | null, kind: DiffRow["kind"], which: "left" | "right") => {
    const changed = kind === "changed" || kind === (which === "left" ? "removed" : "added");
    const cls = [side ? (changed ? (which === "left" ? styles.removed : styles.added) : "") : styles.blank, mark ? styles[`mark${mark.level}`] : "", mark && selected !== null && mark.changes.includes(selected) ? styles.focus : ""].join(" ");
    return (
      <>
        <td className={`${styles.lnum} ${which === "right" ? styles.gap : ""}`}>{side?.n ?? ""}</td>
        <td className={cls} title={side?.pointer}>
          {side?.text ?? ""}
        </td>
      </>
    );
  };

  return (
    <div className={styles.sbsScroll} ref={box} data-testid="side-by-side">
      <table className={styles.sbs}>
        <colgroup>
          <col className={styles.ln} />
          <col />
          <col className={styles.ln} />
          <col />
        </colgroup>
        <thead>
          <tr>
            <th colSpan={2}>{fromLabel}</th>
            <th colSpan={2}>{toLabel}</th>
          </tr>
        </thead>
        <tbody>
          {blocks.map((b, bi) =>
            b.type === "fold" && !open.has(bi) ? (
              <tr key={bi} className={styles.fold}>
                <td colSpan={4}>
                  ⋯ {b.rows.length} unchanged lines{" "}
                  <button type="button" onClick={() => setOpen(new Set([...open, bi]))}>
                    Show
                  </button>
                </td>
              </tr>
            ) : (
              <Fragment key={bi}>
                {b.rows.map((r, ri) => {
                  const m = byRow.get(r)!;
                  const ids = [...new Set([...(m.left?.changes ?? []), ...(m.right?.changes ?? [])])].map((i) => `c${i}`).join(" ");
                  return (
                    <tr key={ri} data-changes={ids || undefined} data-kind={r.kind}>
                      {cell(r.left, m.left, r.kind, "left")}
                      {cell(r.right, m.right, r.kind, "right")}
                    </tr>
                  );
                })}
              </Fragment>
            ),
          )}
        </tbody>
      </table>
    </div>
  );
}
