/**
 * Who consumes a service's HTTP API and events, declared and observed:
 * - declared: the consumer-driven pacts in the broker (HTTP and message pacts), the event
 *   subscriptions declared in code (workers/consumers.ts), and the event reads CI published;
 * - observed: the telemetry service's service graph over a time window (client -> server and
 *   producer -> consumer edges between services), read through telemetry's public procedure — the
 *   contracts service never reads the span store itself. Traces pair producers and consumers per
 *   service, not per event type, so an observed event consumer is known for the producer's events as a whole.
 */
import { serviceOfEventType } from "@/server/messaging/envelope";
import { messagingRegistry } from "@/workers/consumers";
import type { ContractsDb } from "./db";

/** The service graph edges the telemetry service observed in a time range (its `telemetry.graph` procedure). */
export type TObservedEdges = (range: { from: Date; to: Date }) => Promise<{ edges: { source: string; target: string; type: string; calls: number; errors: number }[] }>;

export type TConsumerSource = "pact" | "code" | "broker" | "traces";
export type TConsumerRef = {
  service: string;
  declared: boolean;
  /** How it is known: `pact` (HTTP or message pact in the broker), `code` (a consumer in workers/consumers.ts), `broker` (an event read CI published), `traces`. */
  sources: { source: TConsumerSource; detail: string }[];
  observed: { calls: number; errors: number } | null;
};
export type TConsumersView = {
  window: { from: Date; to: Date };
  /** False when telemetry saw no edge at all in the window (then "not observed" means "no traces"). */
  tracesSeen: boolean;
  api: TConsumerRef[];
  events: TConsumerRef[];
  byEventType: { eventType: string; consumers: TConsumerRef[] }[];
};

type Collector = Map<string, TConsumerRef>;

function add(into: Collector, service: string, source: TConsumerSource, detail: string): void {
  const ref = into.get(service) ?? { service, declared: false, sources: [], observed: null };
  if (source !== "traces") ref.declared = true;
  if (!ref.sources.some((s) => s.source === source && s.detail === detail)) ref.sources.push({ source, detail });
  into.set(service, ref);
}

const sorted = (c: Collector) => [...c.values()].sort((a, b) => a.service.localeCompare(b.service));

/** The declared consumers of every provider: pacts, code subscriptions, broker event reads. */
export async function declaredConsumers(db: ContractsDb): Promise<{
  api: Map<string, Collector>;
  events: Map<string, Collector>;
  byEventType: Map<string, Collector>;
}> {
  const api = new Map<string, Collector>();
  const events = new Map<string, Collector>();
  const byEventType = new Map<string, Collector>();
  const of = (m: Map<string, Collector>, key: string) => m.get(key) ?? m.set(key, new Map()).get(key)!;

  const pacts = await db.pact.findMany({
    orderBy: { consumerVersion: { createdAt: "desc" } },
    select: { provider: { select: { name: true } }, content: { select: { kind: true } }, consumerVersion: { select: { number: true, pacticipant: { select: { name: true } } } } },
  });
  for (const p of pacts) {
    const consumer = p.consumerVersion.pacticipant.name;
    const detail = `${p.content.kind} pact (${consumer} ${p.consumerVersion.number})`;
    // Newest consumer version first: one mention per consumer and kind is enough.
    if (p.content.kind.includes("http") && !(of(api, p.provider.name).get(consumer)?.sources.some((s) => s.source === "pact"))) add(of(api, p.provider.name), consumer, "pact", detail);
    if (p.content.kind.includes("message") && !(of(events, p.provider.name).get(consumer)?.sources.some((s) => s.source === "pact"))) add(of(events, p.provider.name), consumer, "pact", detail);
  }
  for (const c of messagingRegistry.consumers) {
    for (const t of c.eventTypes) {
      const producer = serviceOfEventType(t);
      if (!producer || producer === c.service) continue;
      add(of(byEventType, t), c.service, "code", `consumer ${c.name}`);
      add(of(events, producer), c.service, "code", `consumer ${c.name}`);
    }
  }
  const reads = await db.eventConsumption.findMany({
    orderBy: { version: { createdAt: "desc" } },
    select: { eventType: true, version: { select: { number: true, pacticipant: { select: { name: true } } } } },
  });
  for (const r of reads) {
    const producer = serviceOfEventType(r.eventType);
    const consumer = r.version.pacticipant.name;
    if (!producer || producer === consumer || of(byEventType, r.eventType).get(consumer)?.sources.some((s) => s.source === "broker")) continue;
    add(of(byEventType, r.eventType), consumer, "broker", `reads it in ${consumer} ${r.version.number}`);
    if (!of(events, producer).get(consumer)?.sources.some((s) => s.source === "broker")) add(of(events, producer), consumer, "broker", `event reads of ${consumer} ${r.version.number}`);
  }
  return { api, events, byEventType };
}

/** Observed consumers per provider from the telemetry service graph: HTTP callers and event consumers. */
export async function observedConsumers(observe: TObservedEdges, window: { from: Date; to: Date }) {
  const { edges } = await observe(window);
  const api = new Map<string, Map<string, { calls: number; errors: number }>>();
  const events = new Map<string, Map<string, { calls: number; errors: number }>>();
  for (const e of edges) {
    const into = e.type === "client_server" ? api : e.type === "producer_consumer" ? events : undefined;
    if (!into || e.source === e.target) continue;
    // client -> server: the client consumes the server's API; producer -> consumer: the consumer reads the producer's events.
    const provider = e.type === "client_server" ? e.target : e.source;
    const consumer = e.type === "client_server" ? e.source : e.target;
    const m = into.get(provider) ?? into.set(provider, new Map()).get(provider)!;
    const prev = m.get(consumer) ?? { calls: 0, errors: 0 };
    m.set(consumer, { calls: prev.calls + e.calls, errors: prev.errors + e.errors });
  }
  return { api, events, tracesSeen: edges.length > 0 };
}

function merge(declared: Collector | undefined, observed: Map<string, { calls: number; errors: number }> | undefined, provider: string, what: string): TConsumerRef[] {
  const out: Collector = new Map([...(declared ?? new Map<string, TConsumerRef>())].map(([k, v]) => [k, { ...v, sources: [...v.sources] }]));
  for (const [consumer, stats] of observed ?? []) {
    add(out, consumer, "traces", `${stats.calls} ${what} ${consumer} → ${provider}`);
    out.get(consumer)!.observed = stats;
  }
  return sorted(out);
}

/** The consumers of `service`'s HTTP API, of its events, and of each of its event types, declared and observed. */
export async function consumersOf(
  db: ContractsDb,
  observe: TObservedEdges,
  service: string,
  eventTypes: string[],
  window: { from: Date; to: Date },
): Promise<TConsumersView> {
  const declared = await declaredConsumers(db);
  const observed = await observedConsumers(observe, window);
  const eventObserved = observed.events.get(service);
  return {
    window,
    tracesSeen: observed.tracesSeen,
    api: merge(declared.api.get(service), observed.api.get(service), service, "calls"),
    events: merge(declared.events.get(service), eventObserved, service, "messages"),
    byEventType: eventTypes.map((eventType) => {
      const refs = sorted(declared.byEventType.get(eventType) ?? new Map());
      // Traces tell which services consume the producer's messages, not which type: a declared consumer is marked observed when its pair is.
      return { eventType, consumers: refs.map((r) => (eventObserved?.has(r.service) ? { ...r, observed: eventObserved.get(r.service)!, sources: [...r.sources, { source: "traces" as const, detail: `${service} → ${r.service} in traces` }] } : r)) };
    }),
  };
}
