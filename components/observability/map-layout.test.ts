import { describe, expect, it } from "vitest";
import { assignLayers, CELL, edgeLabelPoint, layoutMap, type LayoutEdge, type LayoutNode, spreadLabels } from "./map-layout";

const svc = (id: string): LayoutNode => ({ id, type: "service" });
const nodes: LayoutNode[] = [svc("frontend"), svc("checkout"), svc("payments"), svc("shipping"), { id: "db:postgresql", type: "database" }, { id: "kafka:orders", type: "broker" }, svc("reporter")];
const edges: LayoutEdge[] = [
  { source: "frontend", target: "checkout" },
  { source: "checkout", target: "payments" },
  { source: "checkout", target: "db:postgresql" },
  { source: "payments", target: "db:postgresql" },
  { source: "checkout", target: "kafka:orders" },
  { source: "kafka:orders", target: "shipping" },
];

describe("the service map layout", () => {
  it("puts callers above callees, at their longest path from an entry point, and databases at the bottom", () => {
    const layers = assignLayers(nodes, edges);
    expect(Object.fromEntries(layers)).toEqual({ frontend: 0, reporter: 0, checkout: 1, payments: 2, "kafka:orders": 2, shipping: 3, "db:postgresql": 4 });
  });

  it("breaks a cycle and still places every node", () => {
    const layers = assignLayers([svc("a"), svc("b"), svc("c")], [{ source: "a", target: "b" }, { source: "b", target: "c" }, { source: "c", target: "a" }]);
    expect(Object.fromEntries(layers)).toEqual({ a: 0, b: 1, c: 2 });
    const loop = assignLayers([svc("x"), svc("y")], [{ source: "x", target: "y" }, { source: "y", target: "x" }, { source: "x", target: "x" }]);
    expect(Object.fromEntries(loop)).toEqual({ x: 0, y: 1 });
  });

  it("moves a database called early down to the bottom row", () => {
    const layers = assignLayers([svc("a"), svc("b"), svc("c"), { id: "db:redis", type: "database" }], [{ source: "a", target: "b" }, { source: "b", target: "c" }, { source: "a", target: "db:redis" }]);
    expect(Object.fromEntries(layers)).toEqual({ a: 0, b: 1, c: 2, "db:redis": 3 });
  });

  it("is deterministic whatever the input order, and never overlaps two nodes", () => {
    const a = layoutMap(nodes, edges);
    const b = layoutMap([...nodes].reverse(), [...edges].reverse());
    expect([...a.values()].sort((p, q) => (p.id < q.id ? -1 : 1))).toEqual([...b.values()].sort((p, q) => (p.id < q.id ? -1 : 1)));
    const spots = new Set([...a.values()].map((p) => `${p.x},${p.y}`));
    expect(spots.size).toBe(nodes.length);
    // Within a column, services come before brokers and databases when nothing else decides.
    expect(a.get("payments")!.index).toBeLessThan(a.get("kafka:orders")!.index);
    expect(a.get("frontend")!.y).toBeLessThan(a.get("checkout")!.y);
  });

  it("puts a label of an edge across several rows into a gap between rows, on the curve", () => {
    const row = CELL.height + CELL.gapY;
    const mid = { x: 0, y: 0 };
    // Adjacent rows: the curve's middle.
    expect(edgeLabelPoint({ x: 0, y: CELL.height }, { x: 100, y: row }, mid)).toBe(mid);
    // Row 0 to row 4: the gaps below rows 0..3; the middle one is below row 1.
    const p = edgeLabelPoint({ x: 0, y: CELL.height }, { x: 400, y: 4 * row }, { x: 200, y: 2 * row });
    expect(p.y).toBe(row + CELL.height + CELL.gapY / 2);
    expect(p.x).toBeGreaterThan(0);
    expect(p.x).toBeLessThan(200); // above the middle of the curve, so left of its middle
  });

  it("spreads labels sharing a gap so none covers another, keeping the row centred", () => {
    const spread = spreadLabels([{ id: "a", x: 100, y: 50 }, { id: "b", x: 110, y: 50 }, { id: "c", x: 400, y: 50 }, { id: "d", x: 105, y: 200 }], 100);
    expect(spread.map((l) => [l.id, Math.round(l.x), l.y])).toEqual([["a", 55, 50], ["b", 155, 50], ["c", 400, 50], ["d", 105, 200]]);
  });
});

