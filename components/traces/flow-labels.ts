/**
 * Where the flow graph puts edge labels. An edge between adjacent layers is a vertical S-curve
 * (`M x1,y1 C x1,ym x2,ym x2,y2`, ym halfway down); its label sits on the curve, at the middle by
 * default. Edges converging on one database from several services have their middles close together,
 * so labels that would overlap slide along their own curve (towards either end) until they are clear,
 * or as clear as the room between the two layers allows.
 */

export type LabelRequest = { id: string; x1: number; y1: number; x2: number; y2: number; width: number; height: number };
export type LabelPlace = { x: number; y: number };
/**
 * A label's centre, where on its curve it is (0 = the source end, 1 = the target end), and how much it
 * still overlaps labels placed before it (square pixels; 0 when it found a clear place).
 */
export type PlacedLabel = LabelPlace & { t: number; overlap: number };

/** Positions along the curve tried in turn: the middle first, then nearer either end. */
const TRIES = [0.5, 0.38, 0.62, 0.28, 0.72, 0.2, 0.8]; // not nearer the ends: the label would cover a node
const GAP = 4;

/** The point at `t` on the S-curve from (x1, y1) down to (x2, y2). */
export function curvePoint(r: Pick<LabelRequest, "x1" | "y1" | "x2" | "y2">, t: number): LabelPlace {
  const u = 1 - t;
  const ym = (r.y1 + r.y2) / 2;
  const a = u * u * u;
  const b = 3 * u * u * t;
  const c = 3 * u * t * t;
  const d = t * t * t;
  return { x: (a + b) * r.x1 + (c + d) * r.x2, y: a * r.y1 + (b + c) * ym + d * r.y2 };
}

/** How much two labels' boxes (with a small gap around them) overlap, in square pixels. */
const overlap = (p: LabelPlace, r: LabelRequest, q: LabelPlace, s: LabelRequest) =>
  Math.max(0, (r.width + s.width) / 2 + GAP - Math.abs(p.x - q.x)) * Math.max(0, (r.height + s.height) / 2 + GAP - Math.abs(p.y - q.y));

/**
 * A centre for every label, deterministically. Labels with the least room to move go first: those of
 * steep edges (a vertical edge's label can only slide up or down), ties by id. Each takes the first
 * position along its curve that overlaps none placed before it, or, when none is clear, the one that
 * overlaps them least.
 */
export function placeLabels(requests: readonly LabelRequest[]): Map<string, PlacedLabel> {
  const placed: { p: LabelPlace; r: LabelRequest }[] = [];
  const out = new Map<string, PlacedLabel>();
  const order = [...requests].sort((a, b) => Math.abs(a.x2 - a.x1) - Math.abs(b.x2 - b.x1) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const r of order) {
    let best: PlacedLabel | undefined;
    for (const t of TRIES) {
      const p = curvePoint(r, t);
      const area = placed.reduce((sum, o) => sum + overlap(p, r, o.p, o.r), 0);
      if (!best || area < best.overlap) best = { ...p, t, overlap: area };
      if (area === 0) break;
    }
    placed.push({ p: best!, r });
    out.set(r.id, best!);
  }
  return out;
}

/**
 * The top of every layer: `row` apart, except that a gap whose labels cannot all be placed clear of each
 * other (`overlapIn(gap, top of the upper layer, top of the lower one)`) grows by `step`, up to `maxSteps`
 * times — two services that both call two databases need more room between the layers than one call does.
 */
export function layerTops(layers: number, row: number, overlapIn: (gap: number, upper: number, lower: number) => number, step = 40, maxSteps = 3): number[] {
  const tops: number[] = [];
  let top = 0;
  for (let layer = 0; layer < layers; layer++) {
    tops.push(top);
    let grow = 0;
    while (grow < maxSteps && layer + 1 < layers && overlapIn(layer, top, top + row + grow * step) > 0) grow++;
    top += row + grow * step;
  }
  return tops;
}

/** The rendered size of a label of these lines (11 px text, 15 px lines, 6 px padding each side). */
export function labelSize(lines: readonly string[]): { width: number; height: number } {
  const longest = lines.reduce((n, l) => Math.max(n, l.length), 0);
  return { width: Math.ceil(longest * 6.2) + 14, height: lines.length * 15 + 4 };
}
