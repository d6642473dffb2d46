import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findOnPath, startRedisServer } from "@/scripts/lib/embedded";
import { TEST_REDIS_URL } from "@/tests/helpers/env";
import { createEffectTables, effectConsumer, TEMPLATE_UPDATED } from "@/tests/helpers/messaging";
import { createTestApp, eventually, ROOT, type TestApp } from "@/tests/helpers/test-app";
import type { NewEvent } from "./envelope";
import { appendToOutbox } from "./outbox";
import { startMessaging } from "./runtime";

/** Emits `n` events over `aggregates` aggregates, `perTx` per transaction, versions increasing per aggregate. */
async function emitMany(app: TestApp, n: number, aggregates: number, perTx = 100): Promise<void> {
  const ids = Array.from({ length: aggregates }, () => randomUUID());
  const versions = new Map<string, number>();
  for (let done = 0; done < n; done += perTx) {
    const batch: NewEvent[] = [];
    for (let i = 0; i < Math.min(perTx, n - done); i++) {
      const a = ids[(done + i) % aggregates]!;
      const v = (versions.get(a) ?? 0) + 1;
      versions.set(a, v);
      batch.push({ eventType: TEMPLATE_UPDATED, aggregateId: a, aggregateVersion: v, payload: { title: `v${v}` } });
    }
    await app.db.templates.$transaction((tx) => appendToOutbox(tx as never, "templates", batch));
  }
}

async function effectCounts(app: TestApp, consumer: string): Promise<{ rows: number; distinct: number }> {
  const r = await app.pool.query<{ rows: number; distinct: number }>(
    `SELECT count(*)::int AS rows, count(DISTINCT event_id)::int AS distinct FROM analytics.test_effects WHERE consumer = $1`,
    [consumer],
  );
  return r.rows[0]!;
}

function spawnConsumer(app: TestApp, consumer: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "tests/support/consumer-process.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: app.databaseUrl,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: app.prefix,
      CONSUMER_NAME: consumer,
      CONSUMER_LOCK_MS: "1500",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => d.toString().includes("consumer ready") && resolve(child));
    child.once("exit", (code) => reject(new Error(`consumer process exited with ${code}`)));
  });
}

describe("a consumer process killed with SIGKILL mid-batch", () => {
  const consumer = effectConsumer("analytics.kill-test");
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({ env: { OUTBOX_POLL_MS: "100" } });
    await createEffectTables(app);
  });
  afterAll(() => app.cleanup());

  it("loses nothing and applies nothing twice", { timeout: 120_000 }, async () => {
    const dispatcher = await startMessaging(app, { consumers: [consumer] }, { consume: false, sweep: false });
    let first: ChildProcess | undefined;
    let second: ChildProcess | undefined;
    try {
      await emitMany(app, 3000, 300);
      first = await spawnConsumer(app, consumer.name);
      await eventually(async () => (await effectCounts(app, consumer.name)).rows >= 600, 30_000, "600 effects");
      first.kill("SIGKILL");
      const atKill = await effectCounts(app, consumer.name);
      expect(atKill.rows).toBeLessThan(3000);
      second = await spawnConsumer(app, consumer.name);
      await eventually(async () => (await effectCounts(app, consumer.name)).distinct === 3000, 60_000, "all 3,000 effects");
      expect(await effectCounts(app, consumer.name)).toEqual({ rows: 3000, distinct: 3000 });
    } finally {
      first?.kill("SIGKILL");
      second?.kill("SIGTERM");
      await dispatcher.stop();
    }
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

describe("Redis losing its data (FLUSHALL) mid-stream", () => {
  const consumer = effectConsumer("analytics.flush-test");
  let app: TestApp;
  let redis: { url: string; stop(): Promise<void> };
  let dataDir: string;

  beforeAll(async () => {
    // A Redis of this test's own: FLUSHALL must not touch other test files' keys.
    dataDir = mkdtempSync(path.join(os.tmpdir(), "sy-redis-"));
    redis = await startRedisServer(findOnPath("redis-server")!, dataDir, await freePort());
    app = await createTestApp({ env: { REDIS_URL: redis.url, OUTBOX_POLL_MS: "100", REDELIVERY_EVERY_MS: "300", REDELIVERY_GRACE_MS: "1000", CONSUMER_LOCK_MS: "1500" } });
    await createEffectTables(app);
  });
  afterAll(async () => {
    await app.cleanup().catch(() => {});
    await redis.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("loses nothing: events sent but never consumed are found in PostgreSQL and enqueued again", { timeout: 120_000 }, async () => {
    const runtime = await startMessaging(app, { consumers: [consumer] });
    const admin = new Redis(redis.url);
    try {
      const producing = emitMany(app, 4000, 400, 50);
      await eventually(async () => (await effectCounts(app, consumer.name)).rows >= 800, 30_000, "800 effects");
      await admin.flushall();
      await producing;
      await eventually(async () => (await effectCounts(app, consumer.name)).distinct === 4000, 60_000, "all 4,000 effects");
      expect(await effectCounts(app, consumer.name)).toEqual({ rows: 4000, distinct: 4000 });
      // The flush did lose queued deliveries, and the sweep is what brought them back.
      const redelivered = app.logs.lines.filter((l) => l.msg === "redelivered events missing from the consumer's inbox");
      expect(redelivered.reduce((n, l) => n + (l.events as number), 0)).toBeGreaterThan(0);
      const unsent = await app.pool.query(`SELECT count(*)::int AS n FROM templates.outbox WHERE status <> 'SENT'`);
      expect(unsent.rows[0].n).toBe(0);
    } finally {
      admin.disconnect();
      await runtime.stop();
    }
  });
});
