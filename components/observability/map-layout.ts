/**
 * A deterministic layered layout for the service map (no layout library): callers above callees, layers
 * as rows (the map is wider than tall, and edge labels fit in the gaps between rows). Cycles are broken
 * by a depth-first search in name order (its back edges are ignored), each node's layer is its longest
 * path from a node nobody calls (databases go to the bottom row, as data stores usually are drawn), and
 * the nodes of a layer are ordered by the mean position of their callers in earlier layers (the
 * barycenter heuristic), ties by kind and name. The same graph always gets the same picture.
 */

export type LayoutNode = { id: string; type: "service" | "database" | "broker" };
export type LayoutEdge = { source: string; target: string };
export type Placed = { id: string; layer: number; index: number; x: number; y: number };

export const CELL = { width: 210, height: 84, gapX: 84, gapY: 96 };
/** Room one edge label needs across (its two lines of figures). */
export const LABEL_WIDTH = 158;
const TYPE_ORDER: Record<LayoutNode["type"], number> = { service: 0, broker: 1, database: 2 };

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Layer (column) of every node. */
export function assignLayers(nodes: LayoutNode[], edges: LayoutEdge[]): Map<string, number> {
  const ids = nodes.map((n) => n.id).sort(byName);
  const known = new Set(ids);
  const out = new Map<string, string[]>(ids.map((id) => [id, []]));
  const indegree = new Map<string, number>(ids.map((id) => [id, 0]));
  for (const e of edges) {
    if (e.source === e.target || !known.has(e.source) || !known.has(e.target)) continue;
    out.get(e.source)!.push(e.target);
    indegree.set(e.target, indegree.get(e.target)! + 1);
  }
  for (const list of out.values()) list.sort(byName);

  // Depth-first from the roots (then from whatever a cycle left unvisited), keeping only forward edges.
  const dag = new Map<string, string[]>(ids.map((id) => [id, []]));
  const state = new Map<string, 1 | 2>(); // 1 on the stack, 2 done
  const visit = (id: string) => {
    state.set(id, 1);
    for (const next of out.get(id)!) {
      const s = state.get(next);
      if (s === 1) continue; // a back edge closes a cycle
      dag.get(id)!.push(next);
      if (s === undefined) visit(next);
    }
    state.set(id, 2);
  };
  for (const id of ids) if (indegree.get(id) === 0 && !state.has(id)) visit(id);
  for (const id of ids) if (!state.has(id)) visit(id);

  // Longest path from a root, in topological order of the DAG.
  const preds = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const [s, list] of dag) for (const t of list) preds.get(t)!.push(s);
  const layer = new Map<string, number>();
  const depth = (id: string): number => {
    const known = layer.get(id);
    if (known !== undefined) return known;
    const d = preds.get(id)!.reduce((m, p) => Math.max(m, depth(p) + 1), 0);
    layer.set(id, d);
    return d;
  };
  for (const id of ids) depth(id);
  const types = new Map(nodes.map((n) => [n.id, n.type]));
  const bottom = Math.max(0, ...[...layer.entries()].filter(([id]) => types.get(id) !== "database").map(([, l]) => l + 1));
  for (const id of ids) if (types.get(id) === "database" && dag.get(id)!.length === 0) layer.set(id, Math.max(layer.get(id)!, bottom));
  return layer;
}

/** Positions (top-left corners) of every node, rows centred horizontally on the widest. */
export function layoutMap(nodes: LayoutNode[], edges: LayoutEdge[]): Map<string, Placed> {
  const layers = assignLayers(nodes, edges);
  const type = new Map(nodes.map((n) => [n.id, n.type]));
  const columns: string[][] = [];
  for (const [id, l] of layers) (columns[l] ??= []).push(id);
  const index = new Map<string, number>();
  const callers = new Map<string, string[]>();
  for (const e of edges) if (e.source !== e.target) callers.set(e.target, [...(callers.get(e.target) ?? []), e.source]);

  const tie = (a: string, b: string) => TYPE_ORDER[type.get(a)!] - TYPE_ORDER[type.get(b)!] || byName(a, b);
  columns.forEach((col, l) => {
    const center = (id: string) => {
      const placed = (callers.get(id) ?? []).filter((c) => (layers.get(c) ?? Infinity) < l).map((c) => index.get(c)!);
      return placed.length ? placed.reduce((a, b) => a + b, 0) / placed.length : Infinity;
    };
    const centers = new Map(col.map((id) => [id, center(id)]));
    col.sort((a, b) => {
      const ca = centers.get(a)!;
      const cb = centers.get(b)!;
      return ca === cb ? tie(a, b) : ca === Infinity ? 1 : cb === Infinity ? -1 : ca - cb;
    });
    col.forEach((id, i) => index.set(id, i));
  });

  const widest = Math.max(1, ...columns.map((c) => c?.length ?? 0));
  const placed = new Map<string, Placed>();
  columns.forEach((col, l) => {
    const offset = ((widest - col.length) * (CELL.width + CELL.gapX)) / 2;
    col.forEach((id, i) => {
      placed.set(id, { id, layer: l, index: i, x: offset + i * (CELL.width + CELL.gapX), y: l * (CELL.height + CELL.gapY) });
    });
  });
  return placed;
}

type Point = { x: number; y: number };

/**
 * Where an edge's label goes: the middle of its curve, except that an edge spanning several rows gets its
 * label in the middle one of the gaps it crosses (a label in a row would sit on the nodes there). The
 * curve is React Flow's bezier from a bottom handle to a top handle (control points half the height away).
 */
export function edgeLabelPoint(source: Point, target: Point, mid: Point): Point {
  const d = target.y - source.y;
  const row = CELL.height + CELL.gapY;
  if (d <= row + CELL.gapY / 2) return mid;
  const rowAbove = (y: number) => Math.round((y - CELL.height) / row);
  const first = rowAbove(source.y);
  const last = Math.round(target.y / row) - 1;
  const gap = first + Math.floor((last - first) / 2);
  const y = gap * row + CELL.height + CELL.gapY / 2;
  const at = (t: number, a: number, b: number, c: number, e: number) => (1 - t) ** 3 * a + 3 * (1 - t) ** 2 * t * b + 3 * (1 - t) * t ** 2 * c + t ** 3 * e;
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 30; i++) {
    const t = (lo + hi) / 2;
    if (at(t, source.y, source.y + d / 2, target.y - d / 2, target.y) < y) lo = t;
    else hi = t;
  }
  return { x: at(lo, source.x, source.x, target.x, target.x), y };
}

/**
 * Moves labels that share a gap (the same y) apart so none covers another: labels that would overlap
 * form a cluster, `minSep` apart, centred on where its labels wanted to be (clusters merge until none
 * overlaps the next); a label with room stays on its edge.
 */
export function spreadLabels<T extends { x: number; y: number }>(labels: T[], minSep = LABEL_WIDTH): T[] {
  const rows = new Map<number, T[]>();
  for (const l of labels) rows.set(Math.round(l.y), [...(rows.get(Math.round(l.y)) ?? []), l]);
  const out = new Map<T, T>();
  for (const row of rows.values()) {
    type Cluster = { members: T[]; start: number };
    const clusters: Cluster[] = [];
    for (const l of [...row].sort((a, b) => a.x - b.x)) {
      clusters.push({ members: [l], start: l.x });
      while (clusters.length > 1) {
        const last = clusters[clusters.length - 1]!;
        const prev = clusters[clusters.length - 2]!;
        if (last.start >= prev.start + prev.members.length * minSep) break;
        const members = [...prev.members, ...last.members];
        const mean = members.reduce((a, m) => a + m.x, 0) / members.length;
        clusters.splice(-2, 2, { members, start: mean - ((members.length - 1) * minSep) / 2 });
      }
    }
    for (const c of clusters) c.members.forEach((m, i) => out.set(m, { ...m, x: c.start + i * minSep }));
  }
  return labels.map((l) => out.get(l)!);
}
