import { BullMQOtel } from "bullmq-otel";
import { createPostgresBackend, Queue, Worker, type Processor, type WorkerOptions } from "bullmq";
import { Redis } from "ioredis";
import type { QueueBackendConfig } from "../config";

/**
 * BullMQ on Redis (default), or on BullMQ's built-in PostgreSQL backend when no Redis is available
 * (the embedded default, docs/decisions/003-embedded-default.md). Callers see the same Queue/Worker API.
 */
export type AnyQueue = Queue;
export type AnyWorker = Worker;

export type WorkerSettings = Pick<WorkerOptions, "concurrency" | "lockDuration" | "stalledInterval" | "maxStalledCount"> & {
  /** BullMQ's own spans (default on); off where the caller makes its own (the messaging runtime). */
  traced?: boolean;
};

export type QueueBackend = {
  readonly kind: QueueBackendConfig["kind"];
  /** Human-readable location, for start-up banners and health output (no credentials). */
  readonly description: string;
  /** The queue with this name (one instance per backend); `traced: false` leaves out BullMQ's spans. */
  queue(name: string, opts?: { traced?: boolean }): AnyQueue;
  /** A worker consuming `name`; the caller owns it and closes it (or lets `close()` do so). */
  worker(name: string, processor: Processor, settings?: WorkerSettings): AnyWorker;
  /** Closes every queue and worker made by this backend, and its connections. */
  close(): Promise<void>;
};

const telemetry = new BullMQOtel({ tracerName: "switchyard-bullmq" });

function redactUrl(url: string): string {
  const u = new URL(url);
  u.password = u.password ? "***" : "";
  return `${u.protocol}//${u.host}`;
}

/** Builds the backend described by the configuration. */
export function createQueueBackend(cfg: QueueBackendConfig): QueueBackend {
  const queues = new Map<string, AnyQueue>();
  const workers = new Set<AnyWorker>();
  let connection: Redis | undefined;
  let makeQueue: (name: string, traced: boolean) => AnyQueue;
  let makeWorker: (name: string, processor: Processor, settings: WorkerSettings) => AnyWorker;
  const tel = (traced: boolean | undefined) => (traced === false ? {} : { telemetry });
  let description: string;

  if (cfg.kind === "redis") {
    const redis = (connection = new Redis(cfg.url, { maxRetriesPerRequest: null, lazyConnect: false }));
    redis.on("error", () => {}); // reconnects by itself; health reports the outage
    makeQueue = (name, traced) => new Queue(name, { connection: redis, prefix: cfg.prefix, ...tel(traced) });
    // Each worker gets connections of its own: on the shared one its job traffic would queue up
    // behind (and in front of) every producer's commands.
    makeWorker = (name, processor, { traced, ...settings }) => {
      const own = redis.duplicate();
      own.on("error", () => {});
      const w = new Worker(name, processor, { connection: own, prefix: cfg.prefix, ...tel(traced), ...settings });
      w.on("closed", () => own.disconnect());
      return w;
    };
    description = `redis ${redactUrl(cfg.url)} (key prefix "${cfg.prefix}")`;
  } else {
    const pgConnection = { connectionString: cfg.connectionString, schema: cfg.schema, migrate: true, max: 4 };
    makeQueue = (name, traced) =>
      new Queue(name, { connection: pgConnection, ...tel(traced) }, createPostgresBackend) as unknown as AnyQueue;
    makeWorker = (name, processor, { traced, ...settings }) =>
      new Worker(
        name,
        processor as never,
        { connection: pgConnection, ...tel(traced), ...settings },
        createPostgresBackend,
      ) as unknown as AnyWorker;
    description = `postgres ${redactUrl(cfg.connectionString)} (BullMQ PostgreSQL backend, schema "${cfg.schema}")`;
  }

  return {
    kind: cfg.kind,
    description,
    queue(name, opts = {}) {
      let q = queues.get(name);
      if (!q) {
        q = makeQueue(name, opts.traced !== false);
        q.on("error", () => {});
        queues.set(name, q);
      }
      return q;
    },
    worker(name, processor, settings = {}) {
      const w = makeWorker(name, processor, settings);
      workers.add(w);
      w.on("closed", () => workers.delete(w));
      return w;
    },
    async close() {
      await Promise.allSettled([...workers].map((w) => w.close()));
      await Promise.allSettled([...queues.values()].map((q) => q.close()));
      queues.clear();
      if (connection) await connection.quit().catch(() => connection?.disconnect());
    },
  };
}
