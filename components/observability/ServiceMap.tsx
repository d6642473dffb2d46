"use client";

import "@xyflow/react/dist/style.css";
import { useQuery } from "@tanstack/react-query";
import { Background, Controls, MarkerType, ReactFlow } from "@xyflow/react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { type ReactNode, useMemo, useState } from "react";
import type { MapEdge, MapNode, ServiceMap as MapData } from "@/services/telemetry/dashboards-map";
import { useTRPC } from "@/components/trpc/client";
import { QueryState } from "@/components/ui/QueryState";
import { errorLevel, fmtCount, fmtMs, fmtPct, fmtRate } from "./format";
import { redHref, tracesHref } from "./links";
import { type MapFlowEdge, type MapFlowNode, nodeLabel, RedEdge, RedNode } from "./MapElements";
import { CELL, edgeLabelPoint, LABEL_WIDTH, layoutMap, spreadLabels } from "./map-layout";
import styles from "./service-map.module.css";
import obs from "./observability.module.css";
import { TimeRangePicker } from "./TimeRangePicker";
import { useTimeRange } from "./useTimeRange";

const nodeTypes = { red: RedNode };
const edgeTypes = { red: RedEdge };
const MAX_MS = 7 * 86_400_000;

const EDGE_KIND: Record<MapEdge["type"], string> = {
  client_server: "client → server",
  producer_consumer: "producer → consumer",
  database: "database calls",
  messaging: "messages",
};

/** The service map page: services, databases and brokers over a time range, RED on nodes and edges. */
export function ServiceMapView() {
  const trpc = useTRPC();
  const time = useTimeRange(MAX_MS);
  const range = time.range;
  const map = useQuery({
    ...trpc.telemetry.dashboards.map.queryOptions(range ? { from: range.from, to: range.to } : { from: new Date(0), to: new Date(1) }),
    enabled: range !== null,
    placeholderData: (prev) => prev,
  });
  return (
    <div className="stack">
      <div className={`panel ${obs.toolbar}`}>
        <TimeRangePicker state={time} />
        <div className={styles.legend} aria-label="Legend">
          <span className={`${styles.swatch} ${styles.service}`} /> service
          <span className={`${styles.swatch} ${styles.database}`} /> database
          <span className={`${styles.swatch} ${styles.broker}`} /> broker
          <span className={styles.legendLine} /> calls
          <span className={`${styles.legendLine} ${styles.legendDashed}`} /> messages
        </div>
      </div>
      <QueryState query={{ isLoading: map.isLoading || !range, error: map.error }} what="the service map">
        {map.data && range && <MapCanvas data={map.data} range={range} preset={range.preset} />}
      </QueryState>
    </div>
  );
}

function MapCanvas({ data, range, preset }: { data: MapData; range: { from: Date; to: Date }; preset: string | null }) {
  const router = useRouter();
  const [picked, setPicked] = useState<{ kind: "edge" | "node"; id: string } | null>(null);
  const layout = useMemo(() => layoutMap(data.nodes, data.edges), [data]);
  const nodes: MapFlowNode[] = useMemo(
    () =>
      data.nodes.map((n) => ({
        id: n.id,
        type: "red",
        position: { x: layout.get(n.id)!.x, y: layout.get(n.id)!.y },
        data: { node: n, selected: picked?.kind === "node" && picked.id === n.id },
        draggable: false,
        connectable: false,
      })),
    [data, layout, picked],
  );
  // Label spots from the layout (the handles are at the middle of a node's bottom and top edges).
  const labels = useMemo(() => {
    const spots = data.edges.map((e) => {
      const s = layout.get(e.source)!;
      const t = layout.get(e.target)!;
      const from = { x: s.x + CELL.width / 2, y: s.y + CELL.height };
      const to = { x: t.x + CELL.width / 2, y: t.y };
      return { id: e.id, ...edgeLabelPoint(from, to, { x: (from.x + to.x) / 2, y: (from.y + to.y) / 2 }) };
    });
    return new Map(spreadLabels(spots).map((l) => [l.id, { x: l.x, y: l.y }]));
  }, [data, layout]);
  const edges: MapFlowEdge[] = useMemo(
    () =>
      data.edges.map((e) => ({
        id: e.id,
        source: e.source,
        target: e.target,
        type: "red",
        markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16, color: errorLevel(e.errorPct) === "bad" ? "#d92d20" : errorLevel(e.errorPct) === "warn" ? "#dc8a00" : "#8a96a8" },
        data: { edge: e, label: labels.get(e.id), active: picked?.kind === "edge" && picked.id === e.id, onPick: (id: string) => setPicked({ kind: "edge", id }) },
      })),
    [data, labels, picked],
  );
  if (data.nodes.length === 0) {
    return <div className="panel state">No spans in this time range. Send traces to /v1/traces, or pick a longer range.</div>;
  }
  const rows = Math.max(...[...layout.values()].map((p) => p.layer)) + 1;
  // Fit nodes and edge labels alike (fitView alone knows only the nodes; a busy gap's labels reach wider).
  const xs = [...[...layout.values()].flatMap((p) => [p.x, p.x + CELL.width]), ...[...labels.values()].flatMap((l) => [l.x - LABEL_WIDTH / 2, l.x + LABEL_WIDTH / 2])];
  const bounds = { x: Math.min(...xs), y: 0, width: Math.max(...xs) - Math.min(...xs), height: rows * (CELL.height + CELL.gapY) - CELL.gapY };
  const height = Math.max(440, Math.min(900, rows * (CELL.height + CELL.gapY) + 40));
  const edge = picked?.kind === "edge" ? data.edges.find((e) => e.id === picked.id) : undefined;
  const node = picked?.kind === "node" ? data.nodes.find((n) => n.id === picked.id) : undefined;
  return (
    <div className="stack">
      <div className={`panel ${styles.canvas}`} style={{ height }} data-testid="service-map" data-rows={rows}>
        <ReactFlow
          key={`${data.from.getTime()}-${data.to.getTime()}`}
          onInit={(flow) => void flow.fitBounds(bounds, { padding: 0.04 })}
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          edgeTypes={edgeTypes}
          minZoom={0.2}
          maxZoom={1.25}
          nodesDraggable={false}
          nodesConnectable={false}
          elementsSelectable={false}
          onNodeClick={(_, n) => {
            if (n.data.node.type === "service") router.push(redHref(n.id, preset ? { preset } : range));
            else setPicked({ kind: "node", id: n.id });
          }}
          onEdgeClick={(_, e) => setPicked({ kind: "edge", id: e.id })}
          onEdgeMouseEnter={(_, e) => setPicked({ kind: "edge", id: e.id })}
        >
          <Background gap={24} color="#e3e7ec" />
          <Controls showInteractive={false} />
        </ReactFlow>
      </div>
      <section className={`panel panel-pad ${styles.details}`} data-testid="map-details">
        {edge ? <EdgeDetails edge={edge} range={range} /> : node ? <NodeDetails node={node} /> : <MapHint data={data} />}
      </section>
    </div>
  );
}

function Figure({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className={styles.figure}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function EdgeDetails({ edge, range }: { edge: MapEdge; range: { from: Date; to: Date } }) {
  const caller = edge.type === "messaging" && edge.source.includes(":") ? null : edge.source;
  return (
    <div data-testid="edge-details">
      <h3>{EDGE_KIND[edge.type]}</h3>
      <p className={styles.detailTitle}>
        <span className="mono">{nodeLabel({ id: edge.source, type: edge.source.startsWith("db:") ? "database" : "service" })}</span> →{" "}
        <span className="mono">{nodeLabel({ id: edge.target, type: edge.type === "database" ? "database" : "service" })}</span>
      </p>
      <dl className={styles.figures}>
        <Figure label="Calls">{fmtCount(edge.calls)}</Figure>
        <Figure label="Rate">{fmtRate(edge.rate)}</Figure>
        <Figure label="Errors">
          {fmtCount(edge.errors)} ({fmtPct(edge.errorPct)})
        </Figure>
        <Figure label={edge.type === "producer_consumer" ? "In broker p50" : "p50"}>{fmtMs(edge.p50Ms)}</Figure>
        <Figure label={edge.type === "producer_consumer" ? "In broker p95" : "p95"}>{fmtMs(edge.p95Ms)}</Figure>
      </dl>
      {edge.deliveries?.map((d) => (
        <div key={d.producer} className={styles.delivery}>
          <div className="small muted">
            from <span className="mono">{d.producer}</span>, paired producer → consumer:
          </div>
          <div className="small">
            {fmtCount(d.calls)} messages, {fmtPct(d.errorPct)} failed, time in broker p50 {fmtMs(d.p50Ms)} · p95 {fmtMs(d.p95Ms)}
          </div>
        </div>
      ))}
      {caller && (
        <p className="small">
          <Link href={tracesHref({ service: caller, ...range })}>Traces of {caller}</Link>
          {edge.errors > 0 && (
            <>
              {" · "}
              <Link href={tracesHref({ service: caller, ...range, errorsOnly: true })}>failing</Link>
            </>
          )}
        </p>
      )}
    </div>
  );
}

function NodeDetails({ node }: { node: MapNode }) {
  return (
    <div data-testid="node-details">
      <h3>{node.type}</h3>
      <p className={styles.detailTitle}>
        <span className="mono">{nodeLabel(node)}</span>
      </p>
      {node.red && (
        <dl className={styles.figures}>
          <Figure label={node.type === "broker" ? "Published" : "Calls"}>{fmtCount(node.red.calls)}</Figure>
          <Figure label="Rate">{fmtRate(node.red.rate)}</Figure>
          <Figure label="Errors">{fmtPct(node.red.errorPct)}</Figure>
          <Figure label="p50 / p95">
            {fmtMs(node.red.p50)} / {fmtMs(node.red.p95)}
          </Figure>
          <Figure label="p99">{fmtMs(node.red.p99)}</Figure>
        </dl>
      )}
    </div>
  );
}

function MapHint({ data }: { data: MapData }) {
  const services = data.nodes.filter((n) => n.type === "service").length;
  return (
    <div>
      <h3>Details</h3>
      <p className="small muted">
        {services} services, {data.nodes.length - services} databases and brokers, {data.edges.length} edges. Point at an edge for its figures; click a service to open its RED
        dashboard.
      </p>
      <p className="small muted">Node figures: request rate, error %, p95 latency of the calls a service answers (server and consumer spans).</p>
    </div>
  );
}
