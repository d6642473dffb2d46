import { describe, expect, it } from "vitest";
import { curvePoint, labelSize, layerTops, type LabelRequest, placeLabels } from "./flow-labels";

const box = (r: LabelRequest, p: { x: number; y: number }) => ({ left: p.x - r.width / 2, right: p.x + r.width / 2, top: p.y - r.height / 2, bottom: p.y + r.height / 2 });
const apart = (a: ReturnType<typeof box>, b: ReturnType<typeof box>) => a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top;

describe("flow graph edge labels", () => {
  it("puts a lone label at the middle of its curve, on the curve", () => {
    const r: LabelRequest = { id: "a", x1: 0, y1: 58, x2: 250, y2: 150, width: 110, height: 19 };
    const p = placeLabels([r]).get("a")!;
    expect(p).toEqual({ x: 125, y: 104, t: 0.5, overlap: 0 });
    expect(curvePoint(r, 0)).toEqual({ x: 0, y: 58 });
    expect(curvePoint(r, 1)).toEqual({ x: 250, y: 150 });
  });

  it("slides labels whose middles coincide along their own curves until none overlap", () => {
    // ai -> postgresql crosses analytics -> redis exactly at the middle of both (seen on the trace page).
    const size = labelSize(["12× · avg 21.7 ms", "max 112 ms"]);
    const requests: LabelRequest[] = [
      { id: "analytics->redis", x1: 250, y1: 658, x2: 250, y2: 750, ...size },
      { id: "ai->postgresql", x1: 500, y1: 658, x2: 0, y2: 750, ...size },
      { id: "ai->llm-gateway", x1: 500, y1: 658, x2: 500, y2: 750, ...size },
    ];
    const middles = requests.map((r) => box(r, curvePoint(r, 0.5)));
    expect(apart(middles[0]!, middles[1]!)).toBe(false);

    const placed = placeLabels(requests);
    const boxes = requests.map((r) => box(r, placed.get(r.id)!));
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) expect(apart(boxes[i]!, boxes[j]!), `${requests[i]!.id} / ${requests[j]!.id}`).toBe(true);
    // Each stays on its own curve; the vertical edges' labels, with the least room, keep their middles.
    for (const r of requests) {
      const p = placed.get(r.id)!;
      expect(curvePoint(r, p.t)).toEqual({ x: p.x, y: p.y });
    }
    expect(placed.get("analytics->redis")!.t).toBe(0.5);
    expect(placed.get("ai->postgresql")!.t).not.toBe(0.5);
    // The same answer whatever the input order.
    expect(placeLabels([...requests].reverse())).toEqual(placed);
  });

  it("overlaps less than labels left at their middles when two services both call two databases", () => {
    const size = labelSize(["12× · avg 21.7 ms", "max 112 ms"]);
    const requests: LabelRequest[] = [
      { id: "analytics->postgresql", x1: 250, y1: 658, x2: 0, y2: 750, ...size },
      { id: "analytics->redis", x1: 250, y1: 658, x2: 250, y2: 750, ...size },
      { id: "ai->postgresql", x1: 500, y1: 658, x2: 0, y2: 750, ...size },
      { id: "ai->redis", x1: 500, y1: 658, x2: 250, y2: 750, ...size },
    ];
    const area = (at: (r: LabelRequest) => { x: number; y: number }) => {
      let sum = 0;
      for (let i = 0; i < requests.length; i++)
        for (let j = i + 1; j < requests.length; j++) {
          const a = box(requests[i]!, at(requests[i]!));
          const b = box(requests[j]!, at(requests[j]!));
          sum += Math.max(0, Math.min(a.right, b.right) - Math.max(a.left, b.left)) * Math.max(0, Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top));
        }
      return sum;
    };
    const placed = placeLabels(requests);
    expect(area((r) => curvePoint(r, 0.5))).toBeGreaterThan(0);
    expect(area((r) => placed.get(r.id)!)).toBeLessThan(area((r) => curvePoint(r, 0.5)) / 2);
  });

  it("sizes a label by its longest line and its number of lines", () => {
    expect(labelSize(["1× · avg 6.00 ms"])).toEqual({ width: Math.ceil(16 * 6.2) + 14, height: 19 });
    expect(labelSize(["2× · avg 5.00 ms", "max 6.00 ms · lag 22.8 ms"]).height).toBe(34);
  });

  it("gives a crowded gap between two layers more room until its labels are clear, and leaves the others", () => {
    // Layer 0: a gateway over two services; layer 1: analytics and ai, each calling both databases in layer 2.
    const size = labelSize(["12× · avg 21.7 ms", "max 112 ms"]);
    const NODE_H = 58;
    const gapRequests = (gap: number, upper: number, lower: number): LabelRequest[] =>
      gap === 0
        ? [
            { id: "gw->analytics", x1: 375, y1: upper + NODE_H, x2: 250, y2: lower, ...size },
            { id: "gw->ai", x1: 375, y1: upper + NODE_H, x2: 500, y2: lower, ...size },
          ]
        : [
            { id: "analytics->postgresql", x1: 250, y1: upper + NODE_H, x2: 0, y2: lower, ...size },
            { id: "analytics->redis", x1: 250, y1: upper + NODE_H, x2: 250, y2: lower, ...size },
            { id: "ai->postgresql", x1: 500, y1: upper + NODE_H, x2: 0, y2: lower, ...size },
            { id: "ai->redis", x1: 500, y1: upper + NODE_H, x2: 250, y2: lower, ...size },
          ];
    const overlapIn = (gap: number, upper: number, lower: number) => [...placeLabels(gapRequests(gap, upper, lower)).values()].reduce((sum, p) => sum + p.overlap, 0);
    expect(overlapIn(1, 150, 300)).toBeGreaterThan(0);

    const tops = layerTops(3, 150, overlapIn);
    expect(tops[0]).toBe(0);
    expect(tops[1]).toBe(150); // two labels fit at the usual distance
    expect(tops[2]! - tops[1]!).toBeGreaterThan(150);
    expect(overlapIn(1, tops[1]!, tops[2]!)).toBe(0);
    // Growth is bounded: a gap that can never be cleared grows by at most three steps.
    expect(layerTops(2, 150, () => 1)).toEqual([0, 150 + 3 * 40]);
  });
});
