import type { z } from "zod";
import type { AppContext } from "../app";
import { DomainError } from "../errors";
import type { Logger } from "../logger";
import { type Envelope, type ServiceName, serviceOfEventType } from "./envelope";
import type { EventDefinition } from "./events";

/** The part of a Prisma transaction client the messaging runtime uses (raw SQL on the same connection). */
export type SqlTx = {
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
};

/** A service's Prisma client, as far as the consumer runtime needs it. */
export type TransactionalClient<Tx extends SqlTx = SqlTx> = {
  /** `asyncCommit` is only passed to the `pg` transactions of "sql" consumers (server/messaging/sql-tx.ts). */
  $transaction<T>(fn: (tx: Tx) => Promise<T>, opts?: { timeout?: number; maxWait?: number; asyncCommit?: boolean }): Promise<T>;
};

export type ConsumeContext<Tx extends SqlTx = SqlTx> = {
  /** The consumer's service transaction: the effect and the inbox row commit together. */
  tx: Tx;
  envelope: Envelope;
  /** "" for a normal delivery; the replay's id when an event-store replay re-applies the event. */
  delivery: string;
  log: Logger;
  /** The process's app, for calling other services through their public procedures (server/service-calls.ts). */
  app?: AppContext;
};

export type BatchContext<Tx extends SqlTx = SqlTx> = {
  tx: Tx;
  deliveries: { envelope: Envelope; delivery: string }[];
  log: Logger;
  /** The process's app, for calling other services through their public procedures (server/service-calls.ts). */
  app?: AppContext;
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

// ---------------------------------------------------------------------------------------------------
// Event schemas. The domain's event definitions (services/events.ts) register themselves here when that
// module loads, so the outbox (on write) and the consumer runtime (on delivery) validate every payload
// against the schema its event type publishes (contracts/events/) without server/ importing services/.
// Every process that runs domain code loads services/events.ts: the web process through its routers,
// the worker through its consumers (services/contracts/event-registry.test.ts checks both).

const eventSchemas = new Map<string, EventDefinition>();

/** Registers event definitions (idempotent for the same definition; a second, different one for a type is a bug). */
export function registerEventDefinitions(definitions: Iterable<EventDefinition>): void {
  for (const d of definitions) {
    const known = eventSchemas.get(d.type);
    if (known && known !== d && (known.version !== d.version || known.payload !== d.payload)) {
      throw new Error(`event type "${d.type}" is defined twice with different schemas`);
    }
    eventSchemas.set(d.type, d);
  }
}

/** The registered definition of an event type, if any. */
export function eventDefinition(eventType: string): EventDefinition | undefined {
  return eventSchemas.get(eventType);
}

/** Every registered event type, sorted. */
export function registeredEventTypes(): string[] {
  return [...eventSchemas.keys()].sort();
}

/** One place where a payload breaks its schema: a JSON path (`$.variables[0].name`) and what is wrong. */
export type SchemaViolation = { path: string; message: string };

/** A zod issue path as a JSON path: `["variables", 0, "name"]` -> `$.variables[0].name`. */
export function jsonPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, k) => (typeof k === "number" ? `${acc}[${k}]` : /^[A-Za-z_$][\w$]*$/.test(String(k)) ? `${acc}.${String(k)}` : `${acc}[${JSON.stringify(String(k))}]`), "$");
}

/** Violations as one line: `$.a: msg; $.b: msg`. */
export function formatViolations(violations: SchemaViolation[]): string {
  return violations.map((v) => `${v.path}: ${v.message}`).join("; ");
}

/**
 * Keys the writer sent that the schema does not know: zod drops them silently when it parses, but the
 * published JSON Schema is a closed content model (`additionalProperties: false`), so a writer must not
 * send them.
 */
function droppedKeys(input: unknown, output: unknown, path: PropertyKey[], found: SchemaViolation[]): void {
  if (Array.isArray(input) && Array.isArray(output)) {
    input.forEach((v, i) => droppedKeys(v, output[i], [...path, i], found));
  } else if (input && output && typeof input === "object" && typeof output === "object" && !Array.isArray(output) && !(output instanceof Date)) {
    for (const [k, v] of Object.entries(input)) {
      if (!(k in output)) found.push({ path: jsonPath([...path, k]), message: "not in the schema (unknown property)" });
      else droppedKeys(v, (output as Record<string, unknown>)[k], [...path, k], found);
    }
  }
}

/**
 * Checks a payload against its event type's registered schema. `mode: "write"` (the outbox) also
 * refuses properties the schema does not declare and returns the payload as the schema outputs it
 * (defaults filled in); `mode: "read"` (consumers) is a tolerant reader: unknown properties are ignored.
 * Undefined when the type has no registered schema.
 */
export function checkEventPayload(
  eventType: string,
  payload: unknown,
  mode: "write" | "read",
): { definition: EventDefinition; violations: SchemaViolation[]; payload: Record<string, unknown> } | undefined {
  const definition = eventSchemas.get(eventType);
  if (!definition) return undefined;
  const parsed = definition.payload.safeParse(payload);
  if (!parsed.success) {
    const violations = parsed.error.issues.map((i) => ({ path: jsonPath(i.path), message: i.message }));
    return { definition, violations, payload: payload as Record<string, unknown> };
  }
  const violations: SchemaViolation[] = [];
  if (mode === "write") droppedKeys(payload, parsed.data, [], violations);
  return { definition, violations, payload: mode === "write" ? JSON.parse(JSON.stringify(parsed.data)) as Record<string, unknown> : (payload as Record<string, unknown>) };
}

/**
 * An event refused at the outbox because its payload breaks its published schema. A DomainError
 * (BAD_REQUEST), so a request that caused it gets a 400 naming the event type, schema version and paths.
 */
export class EventSchemaError extends DomainError {
  constructor(
    readonly eventType: string,
    readonly schemaVersion: number | undefined,
    readonly violations: SchemaViolation[],
  ) {
    super(
      "BAD_REQUEST",
      schemaVersion === undefined
        ? `event ${eventType}: ${formatViolations(violations)}`
        : `event ${eventType} does not match its schema (v${schemaVersion}): ${formatViolations(violations)}`,
    );
    this.name = "EventSchemaError";
  }
}

/**
 * What the outbox writes for a new event: its payload as the schema outputs it, and its schema
 * version. Throws EventSchemaError when the payload breaks the schema, when the version asked for
 * is not the registered one, or when the type is unknown although its service's events are registered.
 */
export function validateNewEvent(eventType: string, version: number | undefined, payload: unknown): { payload: Record<string, unknown>; version: number | undefined } {
  const checked = checkEventPayload(eventType, payload, "write");
  if (!checked) {
    const service = serviceOfEventType(eventType);
    const siblings = registeredEventTypes().filter((t) => serviceOfEventType(t) === service);
    if (siblings.length) {
      throw new EventSchemaError(eventType, undefined, [{ path: "$", message: `no such event type; ${service} defines ${siblings.map((t) => t.split(".").pop()).join(", ")}` }]);
    }
    return { payload: payload as Record<string, unknown>, version };
  }
  const { definition, violations } = checked;
  if (version !== undefined && version !== definition.version) {
    throw new EventSchemaError(eventType, definition.version, [{ path: "$", message: `version ${version} is not the defined schema version ${definition.version}` }]);
  }
  if (violations.length) throw new EventSchemaError(eventType, definition.version, violations);
  return { payload: checked.payload, version: definition.version };
}
