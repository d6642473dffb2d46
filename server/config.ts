import path from "node:path";
import { z } from "zod";
import pkg from "../package.json" with { type: "json" };

/**
 * The one module that reads `process.env`. Everything else receives a parsed `Config`
 * (see `getConfig()` for the process-wide instance, `parseConfig()` for tests and scripts).
 */

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no", "on", "off"])
  .transform((v) => ["true", "1", "yes", "on"].includes(v));

const csv = z
  .string()
  .transform((v) => v.split(",").map((s) => s.trim()).filter(Boolean));

const EnvSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    HOST: z.string().default("127.0.0.1"),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    DATABASE_URL: z.string().url().optional(),
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
    REDIS_URL: z.string().url().optional(),
    QUEUE_BACKEND: z.enum(["redis", "postgres"]).optional(),
    QUEUE_PREFIX: z
      .string()
      .regex(/^[a-z][a-z0-9_]*$/, "lowercase letters, digits and underscores, starting with a letter")
      .default("switchyard"),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    SWITCHYARD_DATA_DIR: z.string().default(".data"),
    SWITCHYARD_ROOT: z.string().default(process.cwd()),
    SESSION_SECRET: z.string().min(16).optional(),
    DEV_LOGIN: z.enum(["auto", "true", "false"]).default("auto"),
    CLERK_PUBLISHABLE_KEY: z.string().optional(),
    CLERK_SECRET_KEY: z.string().optional(),
    CLERK_JWT_KEY: z.string().optional(),
    CLERK_AUTHORIZED_PARTIES: csv.optional(),
    OTEL_SERVICE_NAME: z.string().optional(),
    OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().optional(),
    OTEL_SDK_DISABLED: bool.default(false),
    EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
    EMBEDDED_REDIS_PORT: z.coerce.number().int().min(1).max(65535).default(63799),
    OUTBOX_BATCH_SIZE: z.coerce.number().int().min(1).max(5000).default(500),
    OUTBOX_POLL_MS: z.coerce.number().int().min(10).default(1000),
    OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(10),
    OUTBOX_BACKOFF_MS: z.coerce.number().int().min(1).default(500),
    OUTBOX_SENT_RETENTION_HOURS: z.coerce.number().min(0).default(168),
    EVENT_STORE_RETENTION_MONTHS: z.coerce.number().int().min(1).default(13),
    EVENT_STORE_MONTHS_AHEAD: z.coerce.number().int().min(0).max(24).default(2),
    CONSUMER_LOCK_MS: z.coerce.number().int().min(500).default(30000),
    REDELIVERY_EVERY_MS: z.coerce.number().int().min(100).default(15000),
    REDELIVERY_GRACE_MS: z.coerce.number().int().min(0).default(10000),
    IDEMPOTENCY_TTL_HOURS: z.coerce.number().min(0.001).default(24),
    WORKER_HEARTBEAT_MS: z.coerce.number().int().min(100).default(5000),
    WORKER_STALE_MS: z.coerce.number().int().min(500).default(20000),
    CATALOG_SYNC_EVERY_MS: z.coerce.number().int().min(1000).default(300000),
    CATALOG_SYNC_ON_START: bool.default(true),
  })
  .superRefine((env, ctx) => {
    const clerkKeys = [env.CLERK_PUBLISHABLE_KEY, env.CLERK_SECRET_KEY, env.CLERK_JWT_KEY];
    const set = clerkKeys.filter(Boolean).length;
    if (set > 0 && set < 3) {
      ctx.addIssue({
        code: "custom",
        path: ["CLERK_JWT_KEY"],
        message:
          "Clerk needs CLERK_PUBLISHABLE_KEY, CLERK_SECRET_KEY and CLERK_JWT_KEY together (networkless verification); set all three or none",
      });
    }
    if (env.QUEUE_BACKEND === "redis" && !env.REDIS_URL) {
      ctx.addIssue({ code: "custom", path: ["REDIS_URL"], message: "QUEUE_BACKEND=redis needs REDIS_URL" });
    }
    if (env.NODE_ENV === "production" && env.DEV_LOGIN === "true" && !env.SESSION_SECRET) {
      ctx.addIssue({
        code: "custom",
        path: ["SESSION_SECRET"],
        message: "DEV_LOGIN=true in production needs an explicit SESSION_SECRET (16+ characters)",
      });
    }
  });

export type QueueBackendConfig =
  | { kind: "redis"; url: string; prefix: string }
  | { kind: "postgres"; connectionString: string; schema: string };

export type ClerkConfig = {
  publishableKey: string;
  secretKey: string;
  jwtKey: string;
  authorizedParties: string[];
};

export type Config = {
  version: string;
  nodeEnv: "development" | "production" | "test";
  host: string;
  port: number;
  databaseUrl: string | undefined;
  databasePoolMax: number;
  queue: QueueBackendConfig | undefined;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  dataDir: string;
  rootDir: string;
  sessionSecret: string;
  devLoginEnabled: boolean;
  clerk: ClerkConfig | undefined;
  otel: { serviceName: string | undefined; endpoint: string | undefined; disabled: boolean };
  worker: { heartbeatMs: number; staleMs: number };
  messaging: {
    outboxBatchSize: number;
    outboxPollMs: number;
    outboxMaxAttempts: number;
    outboxBackoffMs: number;
    outboxSentRetentionHours: number;
    eventStoreRetentionMonths: number;
    eventStoreMonthsAhead: number;
    redeliveryEveryMs: number;
    redeliveryGraceMs: number;
    /** How long a consumer's job lock lasts; a job held by a dead process is retried after it lapses. */
    consumerLockMs: number;
  };
  idempotencyTtlHours: number;
  /** Ports for the start command's embedded PostgreSQL and redis-server (used only when their URLs are unset). */
  embedded: { pgPort: number; redisPort: number };
  /** True when QUEUE_BACKEND=postgres was asked for explicitly. */
  queueBackendForced: "redis" | "postgres" | undefined;
  catalog: { syncEveryMs: number; syncOnStart: boolean };
};

/** Thrown when the environment does not describe a runnable configuration. */
export class ConfigError extends Error {
  constructor(public readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

// Used only outside production, so a fresh clone runs without any secret configured.
const DEVELOPMENT_SESSION_SECRET = "switchyard-development-session-secret";

/** Parses an environment (defaults to `process.env`) into a typed `Config`, or throws `ConfigError`. */
export function parseConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join(".") || "env"}: ${i.message}`));
  }
  const e = parsed.data;
  const queueKind = e.QUEUE_BACKEND ?? (e.REDIS_URL ? "redis" : e.DATABASE_URL ? "postgres" : undefined);
  let queue: QueueBackendConfig | undefined;
  if (queueKind === "redis" && e.REDIS_URL) {
    queue = { kind: "redis", url: e.REDIS_URL, prefix: e.QUEUE_PREFIX };
  } else if (queueKind === "postgres" && e.DATABASE_URL) {
    queue = { kind: "postgres", connectionString: e.DATABASE_URL, schema: `bullmq_${e.QUEUE_PREFIX}` };
  }
  const devLoginEnabled = e.DEV_LOGIN === "true" || (e.DEV_LOGIN === "auto" && e.NODE_ENV !== "production");
  return {
    version: pkg.version,
    nodeEnv: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    databasePoolMax: e.DATABASE_POOL_MAX,
    queue,
    logLevel: e.LOG_LEVEL,
    dataDir: path.resolve(e.SWITCHYARD_ROOT, e.SWITCHYARD_DATA_DIR),
    rootDir: path.resolve(e.SWITCHYARD_ROOT),
    sessionSecret: e.SESSION_SECRET ?? DEVELOPMENT_SESSION_SECRET,
    devLoginEnabled,
    clerk:
      e.CLERK_PUBLISHABLE_KEY && e.CLERK_SECRET_KEY && e.CLERK_JWT_KEY
        ? {
            publishableKey: e.CLERK_PUBLISHABLE_KEY,
            secretKey: e.CLERK_SECRET_KEY,
            jwtKey: e.CLERK_JWT_KEY.replace(/\\n/g, "\n"),
            authorizedParties: e.CLERK_AUTHORIZED_PARTIES ?? [],
          }
        : undefined,
    otel: {
      serviceName: e.OTEL_SERVICE_NAME,
      endpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT,
      disabled: e.OTEL_SDK_DISABLED,
    },
    worker: { heartbeatMs: e.WORKER_HEARTBEAT_MS, staleMs: e.WORKER_STALE_MS },
    messaging: {
      outboxBatchSize: e.OUTBOX_BATCH_SIZE,
      outboxPollMs: e.OUTBOX_POLL_MS,
      outboxMaxAttempts: e.OUTBOX_MAX_ATTEMPTS,
      outboxBackoffMs: e.OUTBOX_BACKOFF_MS,
      outboxSentRetentionHours: e.OUTBOX_SENT_RETENTION_HOURS,
      eventStoreRetentionMonths: e.EVENT_STORE_RETENTION_MONTHS,
      eventStoreMonthsAhead: e.EVENT_STORE_MONTHS_AHEAD,
      redeliveryEveryMs: e.REDELIVERY_EVERY_MS,
      redeliveryGraceMs: e.REDELIVERY_GRACE_MS,
      consumerLockMs: e.CONSUMER_LOCK_MS,
    },
    idempotencyTtlHours: e.IDEMPOTENCY_TTL_HOURS,
    embedded: { pgPort: e.EMBEDDED_PG_PORT, redisPort: e.EMBEDDED_REDIS_PORT },
    queueBackendForced: e.QUEUE_BACKEND,
    catalog: { syncEveryMs: e.CATALOG_SYNC_EVERY_MS, syncOnStart: e.CATALOG_SYNC_ON_START },
  };
}

let cached: Config | undefined;

/** The process-wide configuration, parsed from `process.env` on first use. */
export function getConfig(): Config {
  cached ??= parseConfig();
  return cached;
}

/** Returns the database URL or fails with a message that says how to provide one. */
export function requireDatabaseUrl(config: Config): string {
  if (!config.databaseUrl) {
    throw new ConfigError(["DATABASE_URL: not set (run `npm start` to get an embedded PostgreSQL, or set it)"]);
  }
  return config.databaseUrl;
}

/** Returns the queue backend or fails with a message that says how to provide one. */
export function requireQueue(config: Config): QueueBackendConfig {
  if (!config.queue) {
    throw new ConfigError(["REDIS_URL or DATABASE_URL: no queue backend configured"]);
  }
  return config.queue;
}
