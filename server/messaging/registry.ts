import type { z } from "zod";
import type { Logger } from "../logger";
import type { Envelope, ServiceName } from "./envelope";

/** The part of a Prisma transaction client the messaging runtime uses (raw SQL on the same connection). */
export type SqlTx = {
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
};

/** A service's Prisma client, as far as the consumer runtime needs it. */
export type TransactionalClient<Tx extends SqlTx = SqlTx> = {
  $transaction<T>(fn: (tx: Tx) => Promise<T>, opts?: { timeout?: number; maxWait?: number }): Promise<T>;
};

export type ConsumeContext<Tx extends SqlTx = SqlTx> = {
  /** The consumer's service transaction: the effect and the inbox row commit together. */
  tx: Tx;
  envelope: Envelope;
  /** "" for a normal delivery; the replay's id when an event-store replay re-applies the event. */
  delivery: string;
  log: Logger;
};

export type BatchContext<Tx extends SqlTx = SqlTx> = {
  tx: Tx;
  deliveries: { envelope: Envelope; delivery: string }[];
  log: Logger;
};

/**
 * A consumer, declared in code: which event types it subscribes to, whose schema holds its inbox
 * (its own service's), and its effect. Payload schemas, when given, turn an invalid payload into a
 * dead letter at once instead of a retry.
 */
export type ConsumerDefinition<Tx extends SqlTx = SqlTx> = {
  /** `<service>.<purpose>`, e.g. `analytics.usage`; also names the consumer's queue. */
  name: string;
  service: ServiceName;
  eventTypes: string[];
  payloads?: Record<string, z.ZodType>;
  handle(ctx: ConsumeContext<Tx>): Promise<void>;
  /**
   * Optional: applies several deliveries at once (multi-row writes) for throughput. Used instead of
   * `handle` when present; it must have the same effect as calling `handle` for each, in order.
   */
  handleBatch?(ctx: BatchContext<Tx>): Promise<void>;
  /**
   * "prisma" (default): `tx` is the service's Prisma transaction client. "sql": `tx` offers raw SQL
   * only, on a plain `pg` transaction — cheaper, for high-volume read models written in SQL.
   */
  transaction?: "prisma" | "sql";
  /** Clears the consumer's read model before an event-store replay rebuilds it. */
  reset?(tx: Tx): Promise<void>;
  /** Jobs processed at once by one worker process (default 100). */
  concurrency?: number;
  /** Deliveries before the message becomes a dead letter (default 5). */
  attempts?: number;
  /** First retry delay in ms, doubled each attempt (default 200). */
  backoffMs?: number;
};

export type MessagingRegistry = { consumers: ConsumerDefinition[] };

/** Declares a consumer (identity function, for inference). */
export function defineConsumer<Tx extends SqlTx>(def: ConsumerDefinition<Tx>): ConsumerDefinition {
  return def as unknown as ConsumerDefinition;
}

const CONSUMER_NAME = /^[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*$/;

/** Checks names and subscriptions once, and answers "who subscribes to this event type?". */
export function buildSubscriptions(registry: MessagingRegistry): {
  consumer(name: string): ConsumerDefinition | undefined;
  subscribers(eventType: string): ConsumerDefinition[];
  names(): string[];
} {
  const byName = new Map<string, ConsumerDefinition>();
  const byType = new Map<string, ConsumerDefinition[]>();
  for (const c of registry.consumers) {
    if (!CONSUMER_NAME.test(c.name)) throw new Error(`consumer name "${c.name}" must be <service>.<purpose>, lowercase`);
    if (byName.has(c.name)) throw new Error(`consumer "${c.name}" is declared twice`);
    byName.set(c.name, c);
    for (const t of new Set(c.eventTypes)) byType.set(t, [...(byType.get(t) ?? []), c]);
  }
  return { consumer: (name) => byName.get(name), subscribers: (t) => byType.get(t) ?? [], names: () => [...byName.keys()] };
}

/** The BullMQ queue a consumer reads: one queue per consumer. */
export function consumerQueue(consumerName: string): string {
  return `consumer.${consumerName}`;
}
