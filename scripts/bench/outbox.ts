/**
 * npm run bench:outbox [-- --events 50000 --rate 1000 --seconds 10]
 *
 * 1. Baseline: raw BullMQ on the same Redis — addBulk of N trivial jobs, one worker process (concurrency 50).
 * 2. Throughput: N events committed through the outbox (100 per transaction, 4 producers) while one worker
 *    process dispatches and consumes them (inbox row + effect + read model per event); commit -> effect.
 * 3. Latency: events committed one per transaction at a fixed offered rate; commit -> effect p50/p95/p99.
 * Prints the figures and the ratio to the baseline (targets: ratio >= 0.5, p99 <= 50 ms at 1,000 events/s).
 */
import { randomUUID } from "node:crypto";
import os from "node:os";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import type pg from "pg";
import { createAppContext } from "../../server/app";
import { parseConfig } from "../../server/config";
import type { NewEvent } from "../../server/messaging/envelope";
import { appendToOutbox } from "../../server/messaging/outbox";
import { sqlTransactions } from "../../server/messaging/sql-tx";
import { TEST_PG_URL, TEST_REDIS_URL } from "../../tests/helpers/env";
import { TEMPLATE_UPDATED } from "../../tests/helpers/messaging";
import { arg, freshDatabase, percentile, sleep, startChild, stopChild } from "./support";

const N = arg("events", 50_000);
const RATE = arg("rate", 1000);
const SECONDS = arg("seconds", 10);
const prefix = `bench_${randomUUID().slice(0, 8)}`;
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

async function baseline(): Promise<number> {
  const worker = await startChild("scripts/bench/bullmq-worker.ts", { REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix, QUEUE: "baseline" });
  const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue("baseline", { connection, prefix });
  try {
    const started = performance.now();
    for (let i = 0; i < N; i += 1000) {
      await queue.addBulk(Array.from({ length: Math.min(1000, N - i) }, (_, j) => ({ name: "job", data: { i: i + j }, opts: { removeOnComplete: true } })));
    }
    for (;;) {
      const c = await queue.getJobCounts("waiting", "active", "delayed", "prioritized");
      if (Object.values(c).every((n) => n === 0)) break;
      await sleep(10);
    }
    return N / ((performance.now() - started) / 1000);
  } finally {
    await queue.obliterate({ force: true }).catch(() => {});
    await queue.close();
    connection.disconnect();
    await stopChild(worker);
  }
}

async function effectCount(pool: pg.Pool): Promise<number> {
  return (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM analytics.test_effects`)).rows[0]!.n;
}

async function main(): Promise<void> {
  console.log(`bench:outbox — ${os.cpus().length} CPUs, ${fmt(N)} events, Redis ${new URL(TEST_REDIS_URL).host}, PostgreSQL ${new URL(TEST_PG_URL).host}`);
  const url = await freshDatabase(TEST_PG_URL, "switchyard_bench");
  const app = createAppContext(parseConfig({ DATABASE_URL: url, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix, LOG_LEVEL: "warn", OTEL_SDK_DISABLED: "true", DATABASE_POOL_MAX: "32" }), "bench");
  await app.pool.query(`
    CREATE TABLE analytics.test_effects (id bigserial PRIMARY KEY, consumer text NOT NULL, event_id uuid NOT NULL, aggregate_id text NOT NULL,
      aggregate_version int NOT NULL, delivery text NOT NULL, title text, applied_at timestamptz NOT NULL DEFAULT clock_timestamp());
    CREATE TABLE analytics.test_projection (aggregate_id text PRIMARY KEY, version int NOT NULL, title text);
    CREATE TABLE analytics.test_broken (aggregate_id text PRIMARY KEY);`);

  // Producers write through plain pg transactions (the outbox API takes any SqlTx): at 1,000
  // single-event transactions per second, Prisma's per-statement cost would saturate this process.
  const producer = sqlTransactions(app.pool);
  const rawRate = await baseline();
  console.log(`baseline  raw BullMQ (addBulk + 1 worker, trivial job):  ${fmt(rawRate)} jobs/s`);

  const worker = await startChild("tests/support/consumer-process.ts", {
    DATABASE_URL: url,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: prefix,
    DISPATCH: "true",
    SWEEP: "true",
    OUTBOX_POLL_MS: "200",
    CONSUMER_NAME: "analytics.bench",
  }, "consumer ready");
  try {
    // Throughput: commit everything as fast as 4 producers can; measure until the last effect.
    const aggregates = Array.from({ length: 5000 }, () => randomUUID());
    const version = new Map<string, number>();
    const batches: NewEvent[][] = [];
    for (let i = 0; i < N; i += 100) {
      batches.push(
        Array.from({ length: Math.min(100, N - i) }, (_, j) => {
          const a = aggregates[(i + j) % aggregates.length]!;
          const v = (version.get(a) ?? 0) + 1;
          version.set(a, v);
          return { eventType: TEMPLATE_UPDATED, aggregateId: a, aggregateVersion: v, payload: { title: `v${v}` } };
        }),
      );
    }
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < batches.length) {
          const b = batches[next++]!;
          await producer.$transaction((tx) => appendToOutbox(tx, "templates", b));
        }
      }),
    );
    const committedIn = (performance.now() - started) / 1000;
    while ((await effectCount(app.pool)) < N) await sleep(20);
    const seconds = (performance.now() - started) / 1000;
    const rate = N / seconds;
    console.log(`outbox    commit -> effect, ${fmt(N)} events:             ${fmt(rate)} events/s (${seconds.toFixed(2)} s; all committed after ${committedIn.toFixed(2)} s)`);
    console.log(`ratio     outbox / raw BullMQ:                            ${(rate / rawRate).toFixed(2)}  (target >= 0.5)`);

    // Latency at a fixed offered rate, one event per transaction. The burst above left dead rows and
    // stale statistics behind: vacuum first, and send a warm-up second that is not counted.
    await app.pool.query(`TRUNCATE analytics.test_effects`);
    await app.pool.query(`VACUUM ANALYZE templates.outbox, messaging.event_store, analytics.inbox, analytics.test_projection`);
    const WARMUP = RATE;
    const total = RATE * SECONDS + WARMUP;
    const committedAt = new Map<string, number>();
    const order = new Map<string, number>();
    const t0 = performance.now();
    let sent = 0;
    const inFlight = new Set<Promise<void>>();
    let failed = 0;
    let firstError: unknown;
    while (sent < total) {
      const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * RATE));
      for (; sent < due; sent++) {
        const id = randomUUID();
        order.set(id, sent);
        const p: Promise<void> = producer
          .$transaction((tx) => appendToOutbox(tx, "templates", [{ eventId: id, eventType: TEMPLATE_UPDATED, aggregateId: id, aggregateVersion: 1, payload: { title: "latency" } }]))
          .then(
            () => void committedAt.set(id, performance.timeOrigin + performance.now()),
            (err: unknown) => {
              failed++;
              firstError ??= err;
            },
          )
          .finally(() => inFlight.delete(p));
        inFlight.add(p);
      }
      await sleep(1);
    }
    await Promise.all(inFlight);
    if (failed > 0) throw new Error(`${failed} of ${total} commits failed at the offered rate; first: ${(firstError as Error).message}`);
    const offered = total / ((performance.now() - t0) / 1000);
    while ((await effectCount(app.pool)) < committedAt.size) await sleep(20);
    const applied = await app.pool.query<{ event_id: string; at: number; published: number }>(
      `SELECT f.event_id, extract(epoch FROM f.applied_at) * 1000 AS at, extract(epoch FROM e.published_at) * 1000 AS published
         FROM analytics.test_effects f JOIN messaging.event_store e ON e.event_id = f.event_id`,
    );
    const measured = applied.rows.filter((r) => order.get(r.event_id)! >= WARMUP);
    const latencies = measured.map((r) => Number(r.at) - committedAt.get(r.event_id)!).sort((a, b) => a - b);
    const toPublish = measured.map((r) => Number(r.published) - committedAt.get(r.event_id)!).sort((a, b) => a - b);
    const toEffect = measured.map((r) => Number(r.at) - Number(r.published)).sort((a, b) => a - b);
    console.log(
      `latency   commit -> effect at ${fmt(offered)} events/s offered (${fmt(latencies.length)} events after a ${fmt(WARMUP)}-event warm-up): ` +
        `p50 ${percentile(latencies, 50).toFixed(1)} ms, p95 ${percentile(latencies, 95).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms  (target p99 <= 50 ms)`,
    );
    const p = (l: number[]) => `p50 ${percentile(l, 50).toFixed(1)} / p99 ${percentile(l, 99).toFixed(1)} ms`;
    console.log(`          of which commit -> published ${p(toPublish)}; published -> effect ${p(toEffect)}`);
  } finally {
    await stopChild(worker);
    const redis = new Redis(TEST_REDIS_URL);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await app.close();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
