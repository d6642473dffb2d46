/**
 * Two JSON documents side by side: each pretty-printed with the JSON pointer of every line, the lines
 * aligned by a line diff (longest common subsequence), and the lines of the engine's change locations
 * marked. Pure functions, run in the browser.
 */

export type JsonLine = { text: string; pointer: string; opens: boolean };
export type Side = JsonLine & { n: number };
export type DiffRow = { kind: "same" | "removed" | "added" | "changed"; left: Side | null; right: Side | null };

const esc = (k: string) => k.replace(/~/g, "~0").replace(/\//g, "~1");

/** `value` as 2-space-indented JSON lines, each with the pointer (`#/a/b`) of the value it belongs to. */
export function jsonLines(value: unknown): JsonLine[] {
  const out: JsonLine[] = [];
  const walk = (v: unknown, pointer: string, indent: string, prefix: string, comma: string) => {
    const p = pointer || "#";
    if (Array.isArray(v) || (v && typeof v === "object")) {
      const entries: [string, unknown][] = Array.isArray(v) ? v.map((x, i) => [String(i), x]) : Object.entries(v as Record<string, unknown>);
      const [open, close] = Array.isArray(v) ? ["[", "]"] : ["{", "}"];
      if (entries.length === 0) {
        out.push({ text: `${indent}${prefix}${open}${close}${comma}`, pointer: p, opens: false });
        return;
      }
      out.push({ text: `${indent}${prefix}${open}`, pointer: p, opens: true });
      entries.forEach(([k, child], i) => walk(child, `${pointer || "#"}/${esc(k)}`, `${indent}  `, Array.isArray(v) ? "" : `${JSON.stringify(k)}: `, i < entries.length - 1 ? "," : ""));
      out.push({ text: `${indent}${close}${comma}`, pointer: p, opens: false });
      return;
    }
    out.push({ text: `${indent}${prefix}${JSON.stringify(v)}${comma}`, pointer: p, opens: false });
  };
  walk(value, "", "", "", "");
  return out;
}

/** Lines compared without a trailing comma, so adding a sibling after a line does not change it. */
const key = (l: JsonLine) => (l.text.endsWith(",") ? l.text.slice(0, -1) : l.text);

/** Aligns two documents' lines: unchanged lines side by side, removed and added ones paired as changed. */
export function alignLines(a: JsonLine[], b: JsonLine[]): DiffRow[] {
  let start = 0;
  while (start < a.length && start < b.length && key(a[start]!) === key(b[start]!)) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && key(a[endA - 1]!) === key(b[endB - 1]!)) {
    endA--;
    endB--;
  }
  const n = endA - start;
  const m = endB - start;
  // LCS table over the middle part only (most of two versions is the same).
  const width = m + 1;
  const table = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i * width + j] = key(a[start + i]!) === key(b[start + j]!) ? table[(i + 1) * width + j + 1]! + 1 : Math.max(table[(i + 1) * width + j]!, table[i * width + j + 1]!);
    }
  }
  const rows: DiffRow[] = [];
  const side = (lines: JsonLine[], i: number): Side => ({ ...lines[i]!, n: i + 1 });
  for (let i = 0; i < start; i++) rows.push({ kind: "same", left: side(a, i), right: side(b, i) });
  let i = 0;
  let j = 0;
  let removed: Side[] = [];
  let added: Side[] = [];
  const flush = () => {
    const pairs = Math.max(removed.length, added.length);
    for (let k = 0; k < pairs; k++) {
      const l = removed[k] ?? null;
      const r = added[k] ?? null;
      rows.push({ kind: l && r ? "changed" : l ? "removed" : "added", left: l, right: r });
    }
    removed = [];
    added = [];
  };
  while (i < n || j < m) {
    if (i < n && j < m && key(a[start + i]!) === key(b[start + j]!)) {
      flush();
      rows.push({ kind: "same", left: side(a, start + i), right: side(b, start + j) });
      i++;
      j++;
    } else if (j < m && (i >= n || table[i * width + j + 1]! >= table[(i + 1) * width + j]!)) {
      added.push(side(b, start + j));
      j++;
    } else {
      removed.push(side(a, start + i));
      i++;
    }
  }
  flush();
  for (let k = 0; k < a.length - endA; k++) rows.push({ kind: "same", left: side(a, endA + k), right: side(b, endB + k) });
  return rows;
}

/** Is `line` part of the change located at `location`? Exact locations mark the whole value; a parent only its opening line. */
export function lineMatches(line: JsonLine, location: string | null, exact: boolean): boolean {
  if (!location) return false;
  if (!exact) return line.pointer === location && line.opens;
  return line.pointer === location || line.pointer.startsWith(`${location === "#" ? "#" : location}/`);
}

export type Block = { type: "rows"; rows: DiffRow[] } | { type: "fold"; rows: DiffRow[] };

/** Folds runs of unchanged, unmarked rows longer than `2 * context + 1` into one fold. */
export function foldRows(rows: DiffRow[], keep: (row: DiffRow) => boolean, context = 3): Block[] {
  const blocks: Block[] = [];
  let run: DiffRow[] = [];
  const push = (type: Block["type"], rs: DiffRow[]) => {
    if (!rs.length) return;
    const last = blocks.at(-1);
    if (last && last.type === type && type === "rows") last.rows.push(...rs);
    else blocks.push({ type, rows: rs });
  };
  const closeRun = (atStart: boolean, atEnd: boolean) => {
    const head = atStart ? 0 : context;
    const tail = atEnd ? 0 : context;
    if (run.length > head + tail + 1) {
      push("rows", run.slice(0, head));
      push("fold", run.slice(head, run.length - tail));
      push("rows", run.slice(run.length - tail));
    } else push("rows", run);
    run = [];
  };
  rows.forEach((row, idx) => {
    if (row.kind === "same" && !keep(row)) {
      run.push(row);
      return;
    }
    closeRun(blocks.length === 0 && idx === run.length, false);
    push("rows", [row]);
  });
  closeRun(blocks.length === 0, true);
  return blocks;
}
