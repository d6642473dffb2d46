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

/**
 * `API_TOKENS`: scoped tokens for machines (CI), `name:scope1+scope2:secret,...`. The name is the first
 * field, the secret the last (16+ characters, no `:` or `,`), the scopes what lies between (scopes may
 * themselves contain `:`, as in `contracts:publish`).
 */
const apiTokens = z.string().transform((value, ctx) => {
  const tokens: ApiToken[] = [];
  for (const entry of value.split(",").map((s) => s.trim()).filter(Boolean)) {
    const first = entry.indexOf(":");
    const last = entry.lastIndexOf(":");
    const name = entry.slice(0, first);
    const scopes = entry.slice(first + 1, last).split("+").filter(Boolean);
    const secret = entry.slice(last + 1);
    const problem =
      first < 0 || first === last
        ? "is not name:scope1+scope2:secret"
        : !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)
          ? "has a name that is not letters, digits, '.', '_' or '-'"
          : scopes.length === 0 || scopes.some((s) => !/^[a-z][a-z0-9:._-]*$/.test(s))
            ? "needs one or more lowercase scopes joined with '+'"
            : secret.length < 16
              ? "has a secret shorter than 16 characters"
              : tokens.some((t) => t.name === name)
                ? "repeats a token name"
                : tokens.some((t) => t.secret === secret)
                  ? "repeats a secret"
                  : undefined;
    // Never echo the secret into an error message.
    if (problem) ctx.addIssue({ code: "custom", message: `entry "${name || "?"}:…" ${problem}` });
    else tokens.push({ name, scopes, secret });
  }
  return tokens;
});

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
    // Fault injection (poison messages) for demos and resilience drills; off in production unless set.
    CHAOS_ENABLED: z.enum(["auto", "true", "false"]).default("auto"),
    // The start command's bounded demo traffic through the gateway.
    DEMO_TRAFFIC: z.enum(["true", "false"]).default("true"),
    CLERK_PUBLISHABLE_KEY: z.string().optional(),
    CLERK_SECRET_KEY: z.string().optional(),
    CLERK_JWT_KEY: z.string().optional(),
    CLERK_AUTHORIZED_PARTIES: csv.optional(),
    API_TOKENS: apiTokens.optional(),
    OTEL_SERVICE_NAME: z.string().optional(),
    OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().optional(),
    OTEL_SDK_DISABLED: bool.default(false),
    OTEL_TRACES_EXPORTER: z.enum(["otlp", "none"]).default("otlp"),
    OTLP_INGEST_TOKENS: csv.optional(),
    OTLP_MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(16 * 1024 * 1024),
    OTLP_MAX_DECOMPRESSED_BYTES: z.coerce.number().int().min(1024).default(64 * 1024 * 1024),
    OTLP_INGEST_INFLIGHT_BYTES: z.coerce.number().int().min(1024).default(128 * 1024 * 1024),
    OTLP_INGEST_QUEUE_SPANS: z.coerce.number().int().min(1).default(100_000),
    OTLP_INGEST_QUEUE_BYTES: z.coerce.number().int().min(1).default(64 * 1024 * 1024),
    OTLP_INGEST_WRITERS: z.coerce.number().int().min(1).max(32).default(2),
    OTLP_INGEST_BATCH_SPANS: z.coerce.number().int().min(1).default(8192),
    SPAN_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(7),
    SPAN_PARTITIONS_AHEAD_DAYS: z.coerce.number().int().min(0).max(60).default(2),
    EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
    EMBEDDED_REDIS_PORT: z.coerce.number().int().min(1).max(65535).default(63799),
    OUTBOX_BATCH_SIZE: z.coerce.number().int().min(1).max(5000).default(500),
    OUTBOX_POLL_MS: z.coerce.number().int().min(10).default(1000),
    OUTBOX_DISPATCHERS: z.coerce.number().int().min(1).max(16).default(2),
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
    ASSET_MAX_BYTES: z.coerce.number().int().min(1).max(1024 * 1024 * 1024).default(10 * 1024 * 1024),
    ASSET_ALLOWED_TYPES: csv.default(["text/plain", "text/markdown", "application/json", "text/csv", "image/png", "image/jpeg", "application/pdf"]),
    ASSET_STORAGE_DIR: z.string().optional(),
    ASSET_TEXT_MAX_CHARS: z.coerce.number().int().min(1).default(200_000),
    AI_PROVIDER: z.enum(["local", "openai"]).default("local"),
    AI_BASE_URL: z.string().url().default("https://api.openai.com/v1"),
    AI_API_KEY: z.string().optional(),
    AI_MODEL: z.string().min(1).optional(),
    // Consumers generate inside their 30 s transaction: a provider call must end well before that.
    AI_TIMEOUT_MS: z.coerce.number().int().min(50).max(25_000).default(20_000),
    AI_MAX_TOKENS: z.coerce.number().int().min(1).max(32_768).default(1024),
    AI_PRICE_PROMPT_PER_1K_USD: z.coerce.number().min(0).default(0),
    AI_PRICE_COMPLETION_PER_1K_USD: z.coerce.number().min(0).default(0),
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
    if (env.AI_PROVIDER === "openai" && !env.AI_API_KEY) {
      ctx.addIssue({ code: "custom", path: ["AI_API_KEY"], message: "AI_PROVIDER=openai needs AI_API_KEY (and AI_BASE_URL for a compatible API other than OpenAI's)" });
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

/** A scoped API token for machines (`API_TOKENS`); callers send `Authorization: Bearer <secret>`. */
export type ApiToken = { name: string; scopes: string[]; secret: string };

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
  /** Admins may inject poison messages (server/messaging/chaos.ts). */
  chaosEnabled: boolean;
  /** `npm start` runs a bounded demo traffic generator once the portal is ready. */
  demoTraffic: boolean;
  clerk: ClerkConfig | undefined;
  /** Scoped API tokens for machines (CI publishing contracts); empty: none accepted. */
  apiTokens: ApiToken[];
  otel: {
    serviceName: string | undefined;
    endpoint: string | undefined;
    disabled: boolean;
    /** false with OTEL_TRACES_EXPORTER=none; otherwise spans go to `endpoint`, or to this portal's own /v1/traces. */
    exportTraces: boolean;
  };
  /** The OTLP/HTTP trace receiver and the span store (services/telemetry, docs/decisions/011-otlp-ingest.md). */
  telemetry: TelemetryConfig;
  worker: { heartbeatMs: number; staleMs: number };
  messaging: {
    outboxBatchSize: number;
    outboxPollMs: number;
    /** Dispatch loops per service outbox in one process; the second and later join in only while there is a backlog. */
    outboxDispatchers: number;
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
  /** Uploads (services/assets): size and type limits, where the bytes live, how much text getText returns. */
  assets: { maxBytes: number; allowedTypes: string[]; storageDir: string; textMaxChars: number };
  /** The ai service's provider seam (services/ai/providers): a deterministic local provider, or an OpenAI-compatible API. */
  ai: AiConfig;
};

export type AiConfig = {
  provider: "local" | "openai";
  baseUrl: string;
  apiKey: string | undefined;
  model: string;
  timeoutMs: number;
  maxTokens: number;
  /** Cost of a run: tokens / 1000 * price. */
  pricePer1kPromptUsd: number;
  pricePer1kCompletionUsd: number;
};

export type TelemetryConfig = {
  /** Bearer tokens accepted at /v1/traces; empty: no authentication. */
  ingestTokens: string[];
  /** Largest request body on the wire, and once gunzipped (413 beyond). */
  maxBodyBytes: number;
  maxDecompressedBytes: number;
  /** Bytes all requests being read and decoded may hold together (429 beyond). */
  inflightBytes: number;
  /** Spans / encoded bytes accepted and not yet committed, at most (429 beyond). */
  queueSpans: number;
  queueBytes: number;
  /** Concurrent COPY connections, and spans per COPY. */
  writers: number;
  batchSpans: number;
  /** Days of spans kept (whole UTC days); day partitions created ahead. */
  retentionDays: number;
  partitionsAheadDays: number;
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
    chaosEnabled: e.CHAOS_ENABLED === "true" || (e.CHAOS_ENABLED === "auto" && e.NODE_ENV !== "production"),
    demoTraffic: e.DEMO_TRAFFIC === "true",
    clerk:
      e.CLERK_PUBLISHABLE_KEY && e.CLERK_SECRET_KEY && e.CLERK_JWT_KEY
        ? {
            publishableKey: e.CLERK_PUBLISHABLE_KEY,
            secretKey: e.CLERK_SECRET_KEY,
            jwtKey: e.CLERK_JWT_KEY.replace(/\\n/g, "\n"),
            authorizedParties: e.CLERK_AUTHORIZED_PARTIES ?? [],
          }
        : undefined,
    apiTokens: e.API_TOKENS ?? [],
    otel: {
      serviceName: e.OTEL_SERVICE_NAME,
      endpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT,
      disabled: e.OTEL_SDK_DISABLED,
      exportTraces: e.OTEL_TRACES_EXPORTER !== "none",
    },
    telemetry: {
      ingestTokens: e.OTLP_INGEST_TOKENS ?? [],
      maxBodyBytes: e.OTLP_MAX_BODY_BYTES,
      maxDecompressedBytes: e.OTLP_MAX_DECOMPRESSED_BYTES,
      inflightBytes: e.OTLP_INGEST_INFLIGHT_BYTES,
      queueSpans: e.OTLP_INGEST_QUEUE_SPANS,
      queueBytes: e.OTLP_INGEST_QUEUE_BYTES,
      writers: e.OTLP_INGEST_WRITERS,
      batchSpans: e.OTLP_INGEST_BATCH_SPANS,
      retentionDays: e.SPAN_RETENTION_DAYS,
      partitionsAheadDays: e.SPAN_PARTITIONS_AHEAD_DAYS,
    },
    worker: { heartbeatMs: e.WORKER_HEARTBEAT_MS, staleMs: e.WORKER_STALE_MS },
    messaging: {
      outboxBatchSize: e.OUTBOX_BATCH_SIZE,
      outboxPollMs: e.OUTBOX_POLL_MS,
      outboxDispatchers: e.OUTBOX_DISPATCHERS,
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
    assets: {
      maxBytes: e.ASSET_MAX_BYTES,
      allowedTypes: e.ASSET_ALLOWED_TYPES.map((t) => t.toLowerCase()),
      storageDir: path.resolve(e.SWITCHYARD_ROOT, e.ASSET_STORAGE_DIR ?? path.join(e.SWITCHYARD_DATA_DIR, "assets")),
      textMaxChars: e.ASSET_TEXT_MAX_CHARS,
    },
    ai: {
      provider: e.AI_PROVIDER,
      baseUrl: e.AI_BASE_URL.replace(/\/+$/, ""),
      apiKey: e.AI_API_KEY,
      model: e.AI_MODEL ?? (e.AI_PROVIDER === "local" ? "local-draft-1" : "gpt-4o-mini"),
      timeoutMs: e.AI_TIMEOUT_MS,
      maxTokens: e.AI_MAX_TOKENS,
      pricePer1kPromptUsd: e.AI_PRICE_PROMPT_PER_1K_USD,
      pricePer1kCompletionUsd: e.AI_PRICE_COMPLETION_PER_1K_USD,
    },
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
