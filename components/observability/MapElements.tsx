"use client";

import { BaseEdge, EdgeLabelRenderer, type Edge, type EdgeProps, getBezierPath, Handle, type Node, type NodeProps, Position } from "@xyflow/react";
import type { MapEdge, MapNode } from "@/services/telemetry/dashboards-map";
import { errorLevel, fmtCount, fmtMs, fmtPct, fmtRate } from "./format";
import { edgeLabelPoint } from "./map-layout";
import styles from "./service-map.module.css";

/** The service map's node (service, database, broker) and edge renderers. */

export type MapNodeData = { node: MapNode; selected: boolean };
export type MapFlowNode = Node<MapNodeData, "red">;
export type MapEdgeData = { edge: MapEdge; label: { x: number; y: number } | undefined; active: boolean; onPick(id: string): void };
export type MapFlowEdge = Edge<MapEdgeData, "red">;

const KIND_LABEL = { service: "service", database: "database", broker: "broker" } as const;
const levelClass = { ok: styles.ok, warn: styles.warn, bad: styles.bad };

/** A node label without the `db:` prefix graph ids carry. */
export function nodeLabel(n: Pick<MapNode, "id" | "type">): string {
  return n.type === "database" && n.id.startsWith("db:") ? n.id.slice(3) : n.id;
}

export function RedNode({ data }: NodeProps<MapFlowNode>) {
  const { node } = data;
  const red = node.red;
  return (
    <div className={`${styles.node} ${styles[node.type]} ${data.selected ? styles.nodeSelected : ""}`} data-testid="map-node" data-node={node.id} data-type={node.type} title={node.type === "service" ? `Open the RED dashboard of ${node.id}` : node.id}>
      <Handle type="target" position={Position.Top} className={styles.handle} isConnectable={false} />
      <div className={styles.nodeHead}>
        <span className={styles.nodeIcon} aria-hidden>
          {node.type === "service" ? "◆" : node.type === "database" ? "⛁" : "⇶"}
        </span>
        <span className={styles.nodeName}>{nodeLabel(node)}</span>
      </div>
      <div className={styles.nodeKind}>
        {KIND_LABEL[node.type]}
        {node.scope === "all" ? " · all spans" : node.type === "broker" ? " · published" : ""}
      </div>
      {red ? (
        <div className={styles.nodeRed} data-testid="node-red">
          <span title="rate">{fmtRate(red.rate)}</span>
          <span className={levelClass[errorLevel(red.errorPct)]} title="errors">
            {fmtPct(red.errorPct)} err
          </span>
          <span title="p95 latency">p95 {fmtMs(red.p95)}</span>
        </div>
      ) : (
        <div className={`${styles.nodeRed} muted`}>no calls of its own</div>
      )}
      <Handle type="source" position={Position.Bottom} className={styles.handle} isConnectable={false} />
    </div>
  );
}

export function RedEdge(props: EdgeProps<MapFlowEdge>) {
  const { id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data, markerEnd } = props;
  const [path, midX, midY] = getBezierPath({ sourceX, sourceY, sourcePosition, targetX, targetY, targetPosition });
  if (!data) return <BaseEdge id={id} path={path} />;
  const { x: labelX, y: labelY } = data.label ?? edgeLabelPoint({ x: sourceX, y: sourceY }, { x: targetX, y: targetY }, { x: midX, y: midY });
  const { edge, active } = data;
  const level = errorLevel(edge.errorPct);
  const stroke = level === "bad" ? "#d92d20" : level === "warn" ? "#dc8a00" : "#8a96a8";
  const width = Math.min(5, 1.2 + Math.log10(Math.max(1, edge.calls)) * 0.9) + (active ? 1 : 0);
  return (
    <>
      <BaseEdge id={id} path={path} markerEnd={markerEnd} style={{ stroke, strokeWidth: width, strokeDasharray: edge.type === "messaging" || edge.type === "producer_consumer" ? "6 4" : undefined }} />
      <EdgeLabelRenderer>
        <div
          className={`${styles.edgeLabel} ${active ? styles.edgeLabelActive : ""} nodrag nopan`}
          style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
          data-testid="edge-label"
          data-edge={edge.id}
          onMouseEnter={() => data.onPick(edge.id)}
          onClick={() => data.onPick(edge.id)}
        >
          <span>
            {fmtCount(edge.calls)} calls · <span className={levelClass[level]}>{fmtPct(edge.errorPct)} err</span>
          </span>
          <span className={styles.edgeLat}>
            p50 {fmtMs(edge.p50Ms)} · p95 {fmtMs(edge.p95Ms)}
          </span>
        </div>
      </EdgeLabelRenderer>
    </>
  );
}
