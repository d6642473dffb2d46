/**
 * npm run chaos:outbox [-- --events 100000 --kill-every 3000]
 *
 * A bounded chaos run: events are committed through the outbox while two worker processes dispatch and
 * consume them; every few seconds one worker is killed with SIGKILL and replaced, and once, midway, the
 * (private) Redis is wiped with FLUSHALL. At the end it prints, and exits non-zero unless all are 0:
 *   events lost, effects applied twice, publish-order violations, read-model regressions.
 */
import { type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { createAppContext } from "../../server/app";
import { parseConfig } from "../../server/config";
import type { NewEvent } from "../../server/messaging/envelope";
import { appendToOutbox } from "../../server/messaging/outbox";
import { sqlTransactions } from "../../server/messaging/sql-tx";
import { TEST_PG_URL } from "../../tests/helpers/env";
import { TEMPLATE_UPDATED } from "../../tests/helpers/messaging";
import { findOnPath, startRedisServer } from "../lib/embedded";
import { arg, freshDatabase, sleep, startChild, stopChild } from "./support";

const N = arg("events", 100_000);
const KILL_EVERY = arg("kill-every", 3000);
const AGGREGATES = 2000;
const CONSUMER = "analytics.chaos";
const fmt = (n: number) => n.toLocaleString("en-US");

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function main(): Promise<number> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "sy-chaos-"));
  // Its own Redis, so FLUSHALL touches nothing else.
  const redis = await startRedisServer(findOnPath("redis-server")!, dataDir, await freePort());
  const url = await freshDatabase(TEST_PG_URL, "switchyard_chaos");
  const prefix = "chaos";
  const app = createAppContext(parseConfig({ DATABASE_URL: url, REDIS_URL: redis.url, QUEUE_PREFIX: prefix, LOG_LEVEL: "warn", OTEL_SDK_DISABLED: "true", DATABASE_POOL_MAX: "8" }), "chaos");
  await app.pool.query(`
    CREATE TABLE analytics.test_effects (id bigserial PRIMARY KEY, consumer text NOT NULL, event_id uuid NOT NULL, aggregate_id text NOT NULL,
      aggregate_version int NOT NULL, delivery text NOT NULL, title text, applied_at timestamptz NOT NULL DEFAULT clock_timestamp());
    CREATE TABLE analytics.test_projection (aggregate_id text PRIMARY KEY, version int NOT NULL, title text);
    CREATE TABLE analytics.test_broken (aggregate_id text PRIMARY KEY);`);
  console.log(`chaos:outbox — ${fmt(N)} events over ${fmt(AGGREGATES)} aggregates; 2 workers, one SIGKILLed every ${KILL_EVERY} ms; one FLUSHALL`);

  const workerEnv = {
    DATABASE_URL: url,
    REDIS_URL: redis.url,
    QUEUE_PREFIX: prefix,
    DISPATCH: "true",
    SWEEP: "true",
    CONSUMER_NAME: CONSUMER,
    CONSUMER_LOCK_MS: "2000",
    OUTBOX_POLL_MS: "200",
    REDELIVERY_EVERY_MS: "1000",
    REDELIVERY_GRACE_MS: "3000",
  };
  const start = () => startChild("tests/support/consumer-process.ts", workerEnv, "consumer ready");
  const workers: ChildProcess[] = [await start(), await start()];
  let kills = 0;
  let flushed = false;
  let chaos = true;
  const admin = new Redis(redis.url);

  const producing = (async () => {
    const producer = sqlTransactions(app.pool);
    const ids = Array.from({ length: AGGREGATES }, () => randomUUID());
    const version = new Map<string, number>();
    for (let i = 0; i < N; i += 50) {
      const batch: NewEvent[] = Array.from({ length: Math.min(50, N - i) }, () => {
        const a = ids[Math.floor(Math.random() * AGGREGATES)]!;
        const v = (version.get(a) ?? 0) + 1;
        version.set(a, v);
        return { eventType: TEMPLATE_UPDATED, aggregateId: a, aggregateVersion: v, payload: { title: `v${v}` } };
      });
      await producer.$transaction((tx) => appendToOutbox(tx, "templates", batch));
      if (i % 10_000 === 0) await sleep(50); // let the workers breathe between bursts
    }
    return version;
  })();

  const chaosLoop = (async () => {
    while (chaos) {
      await sleep(KILL_EVERY);
      if (!chaos) break;
      const i = Math.floor(Math.random() * workers.length);
      workers[i]!.kill("SIGKILL");
      kills++;
      workers[i] = await start();
      const applied = Number((await app.pool.query(`SELECT count(*) AS n FROM analytics.test_effects`)).rows[0].n);
      if (!flushed && applied > N / 3) {
        await admin.flushall();
        flushed = true;
        console.log(`  FLUSHALL after ${fmt(applied)} effects`);
      }
    }
  })();

  const committed = await producing;
  const started = Date.now();
  const settle = async () => {
    for (;;) {
      const r = await app.pool.query<{ distinct: string }>(`SELECT count(DISTINCT event_id) AS distinct FROM analytics.test_effects`);
      if (Number(r.rows[0]!.distinct) >= N || Date.now() - started > 240_000) return;
      if (Date.now() - started > 20_000) chaos = false; // keep killing for a while after the last commit, then let it settle
      await sleep(500);
    }
  };
  await settle();
  chaos = false;
  await chaosLoop;

  const q = async (sql: string) => Number((await app.pool.query(sql)).rows[0].n);
  const totalCommitted = await q(`SELECT count(*) AS n FROM templates.outbox`);
  const distinct = await q(`SELECT count(DISTINCT event_id) AS n FROM analytics.test_effects`);
  const rows = await q(`SELECT count(*) AS n FROM analytics.test_effects`);
  const publishViolations = await q(`
    SELECT count(*) AS n FROM (
      SELECT aggregate_version, lag(aggregate_version) OVER (PARTITION BY aggregate_id ORDER BY published_at, aggregate_version) AS prev
        FROM messaging.event_store) x
     WHERE prev IS NOT NULL AND prev >= aggregate_version`);
  const maxVersions = [...committed.values()];
  await app.pool.query(`CREATE TEMP TABLE expected (aggregate_id text, version int)`);
  await app.pool.query(`INSERT INTO expected SELECT * FROM unnest($1::text[], $2::int[])`, [[...committed.keys()], maxVersions]);
  const regressions = await q(`SELECT count(*) AS n FROM expected e LEFT JOIN analytics.test_projection p USING (aggregate_id) WHERE p.version IS DISTINCT FROM e.version`);
  const deadLetters = await q(`SELECT count(*) AS n FROM messaging.dead_letters`);

  const lost = totalCommitted - distinct;
  const doubled = rows - distinct;
  console.log(`  workers killed: ${kills}; Redis flushed: ${flushed ? "yes" : "no"}; dead letters: ${deadLetters}`);
  console.log(`events committed:         ${fmt(totalCommitted)}`);
  console.log(`events lost:              ${fmt(lost)}`);
  console.log(`effects applied twice:    ${fmt(doubled)}`);
  console.log(`publish-order violations: ${fmt(publishViolations)}`);
  console.log(`read-model regressions:   ${fmt(regressions)}  (projection not at the aggregate's last version)`);

  admin.disconnect();
  await Promise.all(workers.map(stopChild));
  await app.close();
  await redis.stop();
  rmSync(dataDir, { recursive: true, force: true });
  return lost === 0 && doubled === 0 && publishViolations === 0 && regressions === 0 && flushed && kills > 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
