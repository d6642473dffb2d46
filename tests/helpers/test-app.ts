import { randomBytes } from "node:crypto";
import path from "node:path";
import { Writable } from "node:stream";
import { Redis } from "ioredis";
import pg from "pg";
import { inject } from "vitest";
import { type AppContext, createAppContext } from "../../server/app";
import { type Config, parseConfig } from "../../server/config";
import { withDatabase } from "../../server/db/pool";
import { TEST_PG_URL, TEST_REDIS_URL } from "./env";

export const ROOT = path.resolve(import.meta.dirname, "../..");

/** A database of its own for one test file, cloned from the migrated template. */
export async function createTestDatabase(): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const template = inject("templateDatabase");
  const name = `sy_t_${Math.floor(Date.now() / 1000)}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: withDatabase(TEST_PG_URL, name),
    async drop() {
      const c = new pg.Client({ connectionString: TEST_PG_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

/** Deletes every Redis key under `prefix` (the test's own namespace). */
export async function deleteRedisPrefix(prefix: string): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 500);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}

/** Log lines a test can read back (JSON-parsed). */
export class LogCapture extends Writable {
  readonly lines: Record<string, unknown>[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    for (const line of chunk.toString().split("\n").filter(Boolean)) this.lines.push(JSON.parse(line) as Record<string, unknown>);
    done();
  }
}

export type TestApp = AppContext & { databaseUrl: string; prefix: string; logs: LogCapture; cleanup(): Promise<void> };

/**
 * An AppContext on real PostgreSQL and Redis (or BullMQ's PostgreSQL backend), isolated to this test
 * file: its own database and its own queue namespace. `cleanup()` closes it and removes both.
 */
export async function createTestApp(
  opts: { queue?: "redis" | "postgres"; env?: Record<string, string>; db?: { url: string } } = {},
): Promise<TestApp> {
  const db = opts.db ? { url: opts.db.url, drop: async () => {} } : await createTestDatabase();
  const prefix = `sytest_${randomBytes(5).toString("hex")}`;
  const config: Config = parseConfig({
    NODE_ENV: "test",
    DATABASE_URL: db.url,
    DATABASE_POOL_MAX: "5",
    ...(opts.queue === "postgres" ? { QUEUE_BACKEND: "postgres" } : { REDIS_URL: TEST_REDIS_URL }),
    QUEUE_PREFIX: prefix,
    LOG_LEVEL: "debug",
    SWITCHYARD_ROOT: ROOT,
    OTEL_SDK_DISABLED: "true",
    WORKER_HEARTBEAT_MS: "200",
    WORKER_STALE_MS: "1500",
    CATALOG_SYNC_ON_START: "false",
    ...opts.env,
  });
  const logs = new LogCapture();
  const app = createAppContext(config, "test", { logDestination: logs });
  return Object.assign(app, {
    databaseUrl: db.url,
    prefix,
    logs,
    async cleanup() {
      await app.close();
      if (opts.queue !== "postgres") await deleteRedisPrefix(prefix);
      await db.drop();
    },
  });
}

/** Polls `probe` until it returns a truthy value or `timeoutMs` passes. */
export async function eventually<T>(probe: () => Promise<T | undefined | null | false>, timeoutMs = 10_000, what = "condition"): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}${lastError ? `: ${(lastError as Error).message}` : ""}`);
}
