import type { FlowEdge, FlowNode } from "./flow";

// The trace flow graph's layered layout (services/telemetry/flow.ts builds the graph and calls it).

/** Strings in code-unit order (ids sort the same on every machine). */
export const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Alternating reordering sweeps after the first downward one (upward, downward, upward, downward). */
const EXTRA_SWEEPS = 4;

/**
 * Layers by longest path from the root nodes (edges closing a cycle are ignored, found by a DFS in id
 * order); an edge spanning several layers gets a slot (its waypoint) in each layer between. Then orders each
 * layer's slots, nodes and waypoints alike: a first downward sweep by the mean order of their predecessors
 * (roots first), ties by id, gives the initial order; then up to `EXTRA_SWEEPS` alternating sweeps, upward
 * by the mean order of successors and downward by the mean order of predecessors (a slot without neighbours
 * in the layer of reference keeps its current position as key), ties by id. After each sweep the edge
 * crossings between adjacent layers are counted (slot to slot, waypoints included, O(E log E) per layer
 * pair) and the ordering with the fewest wins, the initial one on ties: a crossing-free layout never changes.
 * Sets each node's `layer` and `order` and each longer edge's `waypoints`; returns the slots per layer.
 */
export function layout(nodes: FlowNode[], edges: FlowEdge[]): number[] {
  const out = new Map<string, string[]>(nodes.map((n) => [n.id, []]));
  for (const e of edges) if (e.source !== e.target) out.get(e.source)!.push(e.target);
  for (const list of out.values()) list.sort(cmp);
  const hasIncoming = new Set(edges.filter((e) => e.source !== e.target).map((e) => e.target));
  const starts = [...nodes.filter((n) => n.root), ...nodes.filter((n) => !n.root && !hasIncoming.has(n.id)), ...nodes];

  // DFS (iterative) for a topological order without back edges.
  const state = new Map<string, 1 | 2>();
  const topo: string[] = [];
  const forward = new Map<string, string[]>(nodes.map((n) => [n.id, []]));
  for (const start of starts) {
    if (state.has(start.id)) continue;
    const stack: { id: string; next: number }[] = [{ id: start.id, next: 0 }];
    state.set(start.id, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const targets = out.get(top.id)!;
      if (top.next < targets.length) {
        const t = targets[top.next++]!;
        const st = state.get(t);
        if (st === 1) continue; // back edge: closes a cycle
        forward.get(top.id)!.push(t);
        if (st === undefined) {
          state.set(t, 1);
          stack.push({ id: t, next: 0 });
        }
      } else {
        state.set(top.id, 2);
        topo.push(top.id);
        stack.pop();
      }
    }
  }
  topo.reverse();
  const byId = new Map(nodes.map((n) => [n.id, n]));
  for (const id of topo) {
    const n = byId.get(id)!;
    for (const t of forward.get(id)!) byId.get(t)!.layer = Math.max(byId.get(t)!.layer, n.layer + 1);
  }

  // Sugiyama-style: an edge spanning several layers passes through a free slot in each layer between, so it
  // never runs through a node; slots are ordered with the nodes. Every link joins adjacent layers.
  // `rank`: position by id within the layer (ties by id without comparing strings); `key`: the sort key.
  type Slot = { id: string; layer: number; preds: Slot[]; succs: Slot[]; order: number; rank: number; key: number; node?: FlowNode };
  const slots = new Map<string, Slot>(nodes.map((n) => [n.id, { id: n.id, layer: n.layer, preds: [], succs: [], order: 0, rank: 0, key: 0, node: n }]));
  const link = (from: Slot, to: Slot) => {
    from.succs.push(to);
    to.preds.push(from);
  };
  const through = new Map<FlowEdge, Slot[]>();
  for (const e of edges) {
    const from = slots.get(e.source)!;
    const to = slots.get(e.target)!;
    if (to.layer <= from.layer) continue; // a back edge (cycle) or a self-call: drawn directly
    let prev = from;
    const via: Slot[] = [];
    for (let l = from.layer + 1; l < to.layer; l++) {
      const d: Slot = { id: `${e.id}@${l}`, layer: l, preds: [], succs: [], order: 0, rank: 0, key: 0 };
      link(prev, d);
      slots.set(d.id, d);
      via.push(d);
      prev = d;
    }
    link(prev, to);
    if (via.length > 0) through.set(e, via);
  }
  const depth = nodes.reduce((max, n) => Math.max(max, n.layer + 1), 0);
  let layers: Slot[][] = Array.from({ length: depth }, () => []);
  for (const slot of slots.values()) layers[slot.layer]!.push(slot);
  for (const list of layers) list.sort((a, b) => cmp(a.id, b.id)).forEach((x, i) => (x.rank = i));

  const mean = (list: Slot[], none: number) => (list.length ? list.reduce((sum, x) => sum + x.order, 0) / list.length : none);
  /** Sorts a layer by a key computed from the current orders, ties by id, and renumbers it. */
  const reorder = (list: Slot[], key: (x: Slot) => number) => {
    for (const x of list) x.key = key(x);
    list.sort((a, b) => a.key - b.key || a.rank - b.rank);
    list.forEach((x, i) => (x.order = i));
  };
  /**
   * Crossings of the slot-to-slot links between all adjacent layers: per layer pair, the links sorted by
   * upper then lower end, and the inversions of their lower ends counted with a Fenwick tree.
   */
  const crossings = (): number => {
    let total = 0;
    for (let l = 0; l + 1 < layers.length; l++) {
      const width = layers[l + 1]!.length;
      const links: number[] = [];
      for (const u of layers[l]!) for (const v of u.succs) links.push(u.order * width + v.order);
      const sorted = Float64Array.from(links).sort();
      const tree = new Int32Array(width + 1);
      for (let seen = 0; seen < sorted.length; seen++) {
        const v = sorted[seen]! % width;
        let atMost = 0; // earlier links (upper end before, or the same and lower end not after) ending at most at v
        for (let i = v + 1; i > 0; i -= i & -i) atMost += tree[i]!;
        total += seen - atMost;
        for (let i = v + 1; i <= width; i += i & -i) tree[i]!++;
      }
    }
    return total;
  };

  for (const list of layers) reorder(list, (x) => mean(x.preds, -1));
  let best = layers.map((list) => [...list]);
  let fewest = crossings();
  for (let sweep = 0; sweep < EXTRA_SWEEPS && fewest > 0; sweep++) {
    if (sweep % 2 === 0) for (let l = layers.length - 2; l >= 0; l--) reorder(layers[l]!, (x) => mean(x.succs, x.order));
    else for (let l = 1; l < layers.length; l++) reorder(layers[l]!, (x) => mean(x.preds, x.order));
    const count = crossings();
    if (count < fewest) {
      fewest = count;
      best = layers.map((list) => [...list]);
    }
  }
  layers = best;
  for (const list of layers)
    list.forEach((x, i) => {
      x.order = i;
      if (x.node) x.node.order = i;
    });
  for (const [e, via] of through) e.waypoints = via.map((d) => ({ layer: d.layer, order: d.order }));
  return layers.map((list) => list.length);
}
