"use client";

import "@xyflow/react/dist/style.css";
import { Background, BaseEdge, Controls, type Edge, EdgeLabelRenderer, type EdgeProps, getBezierPath, MarkerType, type Node, Position, ReactFlow } from "@xyflow/react";
import { type CSSProperties, useMemo } from "react";
import type { FlowEdge, FlowGraph as Graph, FlowNode } from "@/services/telemetry/flow";
import { curvePoint, labelSize, layerTops, type LabelRequest, placeLabels } from "./flow-labels";
import { formatMs, serviceColor } from "./format";
import styles from "./traces.module.css";

const COLUMN = 250;
const ROW = 150;
const NODE_W = 200;
const NODE_H = 58;

const TYPE_LABEL: Record<FlowNode["type"], string> = { service: "service", broker: "broker", database: "database" };

type Via = { x: number; top: number; bottom: number };
type LabeledEdge = Edge<{ edge: FlowEdge; color: string; via: Via[]; labelAt: number }, "labeled">;

/** A vertical S-curve from one point down to another. */
const curve = (x1: number, y1: number, x2: number, y2: number) => `C ${x1},${(y1 + y2) / 2} ${x2},${(y1 + y2) / 2} ${x2},${y2}`;

/** A label's lines: count and average latency, then max, broker lag and errors when there are any. */
function labelLines(e: FlowEdge): { count: string; avg: string; extra: string } {
  const extra = [e.count > 1 ? `max ${formatMs(e.maxMs)}` : "", e.lagAvgMs !== undefined ? `lag ${formatMs(e.lagAvgMs)}` : ""].filter(Boolean).join(" · ");
  return { count: `${e.count.toLocaleString("en-US")}×`, avg: formatMs(e.avgMs), extra };
}

/**
 * An edge with an HTML label on its curve, where components/traces/flow-labels.ts found room for it
 * (`labelAt`: 0 at the source end, 1 at the target end).
 */
function LabeledEdgeView({ id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, style, markerEnd, data }: EdgeProps<LabeledEdge>) {
  const via = data!.via;
  let [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  if (via.length > 0) {
    // Through the free slots reserved for it in the layers between, labeled in the first one.
    let d = `M ${sourceX},${sourceY}`;
    let x = sourceX;
    let y = sourceY;
    for (const v of via) {
      d += ` ${curve(x, y, v.x, v.top)} L ${v.x},${v.bottom}`;
      x = v.x;
      y = v.bottom;
    }
    path = `${d} ${curve(x, y, targetX, targetY)}`;
    ({ x: labelX, y: labelY } = curvePoint({ x1: via[0]!.x, y1: via[0]!.top, x2: via[0]!.x, y2: via[0]!.bottom }, data!.labelAt));
  } else if (targetY > sourceY) {
    path = `M ${sourceX},${sourceY} ${curve(sourceX, sourceY, targetX, targetY)}`;
    ({ x: labelX, y: labelY } = curvePoint({ x1: sourceX, y1: sourceY, x2: targetX, y2: targetY }, data!.labelAt));
  }
  const e = data!.edge;
  const { count, avg, extra } = labelLines(e);
  return (
    <>
      <BaseEdge id={id} path={path} style={style} markerEnd={markerEnd} />
      <EdgeLabelRenderer>
        <div
          className={`${styles.edgeLabel} nodrag nopan`}
          style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)`, borderColor: data!.color }}
          data-testid="edge-label"
          data-edge-type={e.type}
        >
          <div>
            <strong>{count}</strong> · avg {avg}
          </div>
          {(extra || e.errors > 0) && (
            <div className={styles.edgeLabelMore}>
              {extra}
              {e.errors > 0 && <span className={styles.errorText}>{extra ? " · " : ""}{e.errors} err</span>}
            </div>
          )}
        </div>
      </EdgeLabelRenderer>
    </>
  );
}

const edgeTypes = { labeled: LabeledEdgeView };

function NodeLabel({ n }: { n: FlowNode }) {
  return (
    <div className={styles.flowNodeInner} data-testid="flow-node" data-node-id={n.id} data-node-type={n.type}>
      <div className={styles.flowNodeKind}>
        {n.type === "service" ? (n.root ? "entry · service" : TYPE_LABEL[n.type]) : `${TYPE_LABEL[n.type]} · ${n.system ?? ""}`}
      </div>
      <div className={styles.flowNodeLabel} title={n.label}>
        {n.label}
      </div>
      {n.type === "service" && (
        <div className={styles.flowNodeStats}>
          {n.spans.toLocaleString("en-US")} span{n.spans === 1 ? "" : "s"}
          {n.errors > 0 && <span className={styles.errorText}> · {n.errors} error{n.errors === 1 ? "" : "s"}</span>}
        </div>
      )}
    </div>
  );
}

function nodeStyle(n: FlowNode): CSSProperties {
  const base: CSSProperties = { width: NODE_W, padding: 0, fontSize: 12, textAlign: "left" };
  if (n.type === "broker") return { ...base, background: "#fff7e6", border: "1.5px solid #d97706", borderRadius: 22 };
  if (n.type === "database") return { ...base, background: "#ecfdf3", border: "1.5px solid #16794c", borderRadius: "14px / 10px", borderTopWidth: 5 };
  const color = serviceColor(n.label);
  return { ...base, background: "#fff", border: `1.5px solid ${n.errors > 0 ? "#b42318" : "#cbd5e1"}`, borderLeft: `6px solid ${color}`, borderRadius: 8 };
}

/**
 * One trace's flow graph (services/telemetry/flow.ts): services, brokers and databases as nodes, calls and
 * messages as edges labeled with count and latency. Layered top to bottom by the server's deterministic layout.
 */
export function FlowGraph({ graph }: { graph: Graph }) {
  const { nodes, edges, height } = useMemo(() => {
    const left = (layer: number, order: number) => (order - ((graph.slots[layer] ?? 1) - 1) / 2) * COLUMN;
    const layerOf = new Map(graph.nodes.map((n) => [n.id, n]));
    // Labels sit on the edges' curves (components/traces/flow-labels.ts); an edge between adjacent layers is
    // labeled in the gap between them, one through free slots in its first slot.
    const sizes = new Map(
      graph.edges.map((e) => {
        const { count, avg, extra } = labelLines(e);
        return [e.id, labelSize([`${count} · avg ${avg}`, ...(extra || e.errors > 0 ? [`${extra} · ${e.errors} err`] : [])])];
      }),
    );
    const direct = graph.edges.filter((e) => !e.waypoints?.length && layerOf.get(e.target)!.layer === layerOf.get(e.source)!.layer + 1);
    const directRequest = (e: FlowEdge, upper: number, lower: number): LabelRequest => {
      const s = layerOf.get(e.source)!;
      const t = layerOf.get(e.target)!;
      return { id: e.id, x1: left(s.layer, s.order) + NODE_W / 2, y1: upper + NODE_H, x2: left(t.layer, t.order) + NODE_W / 2, y2: lower, ...sizes.get(e.id)! };
    };
    const byGap = (gap: number) => direct.filter((e) => layerOf.get(e.source)!.layer === gap);
    const tops = layerTops(graph.slots.length, ROW, (gap, upper, lower) => {
      const placed = placeLabels(byGap(gap).map((e) => directRequest(e, upper, lower)));
      return [...placed.values()].reduce((sum, p) => sum + p.overlap, 0);
    });
    const top = (layer: number) => tops[layer] ?? layer * ROW;
    const labels = new Map(graph.slots.flatMap((_, gap) => [...placeLabels(byGap(gap).map((e) => directRequest(e, top(gap), top(gap + 1))))]));
    const nodes: Node[] = graph.nodes.map((n) => ({
      id: n.id,
      position: { x: left(n.layer, n.order), y: top(n.layer) },
      data: { label: <NodeLabel n={n} /> },
      sourcePosition: Position.Bottom,
      targetPosition: Position.Top,
      connectable: false,
      style: nodeStyle(n),
    }));
    const edges: LabeledEdge[] = graph.edges.map((e) => {
      const color = e.errors > 0 ? "#b42318" : e.type === "produce" || e.type === "consume" ? "#d97706" : e.type === "database" ? "#16794c" : "#64748b";
      return {
        id: e.id,
        source: e.source,
        target: e.target,
        type: "labeled",
        animated: e.type === "consume",
        style: { stroke: color, strokeWidth: 1.6, ...(e.type === "internal" ? { strokeDasharray: "5 4" } : {}) },
        markerEnd: { type: MarkerType.ArrowClosed, color, width: 16, height: 16 },
        data: {
          edge: e,
          color,
          via: (e.waypoints ?? []).map((w) => ({ x: left(w.layer, w.order) + NODE_W / 2, top: top(w.layer), bottom: top(w.layer) + NODE_H })),
          labelAt: labels.get(e.id)?.t ?? 0.5,
        },
      };
    });
    return { nodes, edges, height: top(graph.slots.length - 1) + ROW };
  }, [graph]);

  return (
    <div className={styles.flow} style={{ height: Math.min(1000, Math.max(420, height + 90)) }} data-testid="flow-graph">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        edgeTypes={edgeTypes}
        fitView
        fitViewOptions={{ padding: 0.08, maxZoom: 1 }}
        nodesConnectable={false}
        nodesDraggable
        minZoom={0.2}
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={20} color="#eef1f4" />
        <Controls showInteractive={false} />
      </ReactFlow>
      <div className={styles.flowLegend}>
        <span>
          <i className={styles.legendLine} style={{ borderColor: "#64748b" }} /> call
        </span>
        <span>
          <i className={styles.legendLine} style={{ borderColor: "#64748b", borderStyle: "dashed" }} /> in-process / internal
        </span>
        <span>
          <i className={styles.legendLine} style={{ borderColor: "#d97706" }} /> message (lag = time in the broker)
        </span>
        <span>
          <i className={styles.legendLine} style={{ borderColor: "#16794c" }} /> database
        </span>
        <span>
          <i className={styles.legendLine} style={{ borderColor: "#b42318" }} /> with errors
        </span>
      </div>
    </div>
  );
}
