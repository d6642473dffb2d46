import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEffectTables, effectConsumer, effects, TEMPLATE_UPDATED } from "@/tests/helpers/messaging";
import { createTestApp, eventually, type TestApp } from "@/tests/helpers/test-app";
import { createQueueBackend } from "../queue/backend";
import { startConsumers } from "./consumer";
import { dispatchBatch, type DispatchDeps } from "./dispatcher";
import { startDispatcherLoop } from "./dispatcher-loop";
import type { NewEvent } from "./envelope";
import { appendToOutbox } from "./outbox";
import { listUnsent, retryFailed } from "./outbox-admin";
import { buildSubscriptions } from "./registry";
import { serviceClients } from "./runtime";

// Delivered with concurrency 1, so the consumer sees each queue in exactly the order it was filled.
const consumer = effectConsumer("analytics.ordered", { concurrency: 1 });
const subscriptions = buildSubscriptions({ consumers: [consumer] });
let app: TestApp;
let second: TestApp;

function deps(a: TestApp, overrides: Partial<DispatchDeps["settings"]> = {}): DispatchDeps {
  return { pool: a.pool, queues: a.queues, subscriptions, log: a.log, settings: { batchSize: 25, maxAttempts: 3, backoffMs: 10, ...overrides } };
}

async function emit(events: NewEvent[]): Promise<void> {
  await app.db.templates.$transaction((tx) => appendToOutbox(tx as never, "templates", events));
}

beforeAll(async () => {
  app = await createTestApp();
  // A second process's worth of connections on the same database and queues.
  second = await createTestApp({ db: { url: app.databaseUrl }, env: { QUEUE_PREFIX: app.prefix } });
  await createEffectTables(app);
});

afterAll(async () => {
  await second.close();
  await app.cleanup();
});

describe("the outbox dispatcher", () => {
  it("keeps each aggregate's order with two dispatchers claiming in parallel", async () => {
    const aggregates: string[] = Array.from({ length: 100 }, () => randomUUID());
    const versions = new Map(aggregates.map((a) => [a, 0]));
    // 1,000 events in 200 transactions, aggregates interleaved.
    for (let t = 0; t < 200; t++) {
      const batch: NewEvent[] = [];
      for (let i = 0; i < 5; i++) {
        const a = aggregates[Math.floor(Math.random() * aggregates.length)]!;
        const v = versions.get(a)! + 1;
        versions.set(a, v);
        batch.push({ eventType: TEMPLATE_UPDATED, aggregateId: a, aggregateVersion: v, payload: { title: `v${v}` } });
      }
      await emit(batch);
    }
    const counts = [0, 0];
    const drain = async (d: DispatchDeps, i: number) => {
      while ((await listUnsent(app.pool, "templates", 1)).length > 0) counts[i]! += await dispatchBatch(d, "templates");
    };
    await Promise.all([drain(deps(app), 0), drain(deps(second), 1)]);
    expect(counts[0]! + counts[1]!).toBe(1000);
    expect(counts[0]).toBeGreaterThan(0);
    expect(counts[1]).toBeGreaterThan(0);

    const running = startConsumers({ pool: app.pool, queues: app.queues, clients: serviceClients(app), log: app.log }, { consumers: [consumer] });
    try {
      await eventually(async () => (await effects(app, consumer.name)).length === 1000, 30_000, "all 1,000 effects");
    } finally {
      await running.stop();
    }
    const seen = new Map<string, number[]>();
    for (const e of await effects(app, consumer.name)) seen.set(e.aggregate_id, [...(seen.get(e.aggregate_id) ?? []), e.aggregate_version]);
    for (const [a, list] of seen) {
      expect(list, `aggregate ${a}`).toEqual(Array.from({ length: versions.get(a)! }, (_, i) => i + 1));
    }
    const stored = await app.pool.query(`SELECT count(*)::int AS n FROM messaging.event_store WHERE aggregate_id = ANY($1)`, [aggregates]);
    expect(stored.rows[0].n).toBe(1000);
  });

  it("backs off when the queue backend is unreachable, marks FAILED at the limit, holds later events of that aggregate, and retries on request", async () => {
    const down = createQueueBackend({ kind: "redis", url: "redis://127.0.0.1:1", prefix: app.prefix });
    const aggregate = randomUUID();
    await emit([{ eventType: TEMPLATE_UPDATED, aggregateId: aggregate, aggregateVersion: 1, payload: { title: "first" } }]);
    try {
      const broken = { ...deps(app, { maxAttempts: 2, backoffMs: 50, publishTimeoutMs: 200 }), queues: down };
      expect(await dispatchBatch(broken, "templates")).toBe(0);
      let [row] = await listUnsent(app.pool, "templates");
      expect(row).toMatchObject({ aggregateId: aggregate, status: "PENDING", retryCount: 1 });
      expect(row!.lastError).toMatch(/did not answer within 200 ms/);
      // Backoff: not claimable until its time has come (25-50 ms with jitter).
      expect(row!.availableAt.getTime()).toBeGreaterThan(Date.now() - 5);
      await eventually(async () => (await dispatchBatch(broken, "templates")) === 0 && (await listUnsent(app.pool, "templates"))[0]?.status === "FAILED", 5000, "FAILED");
      [row] = await listUnsent(app.pool, "templates");
      expect(row).toMatchObject({ status: "FAILED", retryCount: 2 });
    } finally {
      await down.close();
    }

    // A later event of the same aggregate waits behind the failed one, even with the backend back.
    await emit([{ eventType: TEMPLATE_UPDATED, aggregateId: aggregate, aggregateVersion: 2, payload: { title: "second" } }]);
    expect(await dispatchBatch(deps(app), "templates")).toBe(0);

    expect(await retryFailed(app.pool, "templates")).toBe(1);
    expect(await dispatchBatch(deps(app), "templates")).toBe(1);
    expect(await dispatchBatch(deps(app), "templates")).toBe(1);
    const order = await app.pool.query(
      `SELECT aggregate_version FROM messaging.event_store WHERE aggregate_id = $1 ORDER BY published_at, aggregate_version`,
      [aggregate],
    );
    expect(order.rows.map((r) => r.aggregate_version)).toEqual([1, 2]);
    expect(await listUnsent(app.pool, "templates")).toEqual([]);
  });

  it("wakes at the producer's commit (NOTIFY, not the poll), and with three loops drains a backlog in each aggregate's order", async () => {
    const unsent = async () => (await listUnsent(app.pool, "templates", 1000)).length;
    // The poll is a minute away: only the commit's notification can wake a loop in time.
    const loop = await startDispatcherLoop(deps(app), { connectionString: app.databaseUrl, services: ["templates"], pollMs: 60_000, loopsPerService: 3 });
    try {
      await eventually(async () => (await unsent()) === 0, 5000, "loops idle");
      const lone = randomUUID();
      const committed = Date.now();
      await emit([{ eventType: TEMPLATE_UPDATED, aggregateId: lone, aggregateVersion: 1, payload: { title: "woken" } }]);
      await eventually(async () => (await unsent()) === 0, 5000, "the event sent after its commit's NOTIFY");
      expect(Date.now() - committed).toBeLessThan(5000);

      // A backlog: 600 events of 30 aggregates in 6 commits, 24 batches of 25 for three loops.
      const aggregates: string[] = Array.from({ length: 30 }, () => randomUUID());
      const versions = new Map(aggregates.map((a) => [a, 0]));
      for (let t = 0; t < 6; t++) {
        await emit(
          Array.from({ length: 100 }, (_, i) => {
            const a = aggregates[(t * 7 + i) % aggregates.length]!;
            const v = versions.get(a)! + 1;
            versions.set(a, v);
            return { eventType: TEMPLATE_UPDATED, aggregateId: a, aggregateVersion: v, payload: { title: `v${v}` } };
          }),
        );
      }
      await eventually(async () => (await unsent()) === 0, 15_000, "the backlog sent");
      const stored = await app.pool.query<{ aggregate_id: string; versions: number[] }>(
        `SELECT aggregate_id, array_agg(aggregate_version ORDER BY published_at, event_id) AS versions
           FROM messaging.event_store WHERE aggregate_id = ANY($1) GROUP BY aggregate_id`,
        [aggregates],
      );
      expect(stored.rows).toHaveLength(30);
      for (const r of stored.rows) expect(r.versions, `aggregate ${r.aggregate_id}`).toEqual(Array.from({ length: versions.get(r.aggregate_id)! }, (_, i) => i + 1));
    } finally {
      await loop.stop();
    }
  });

  it("creates the event-store month an event needs when it has no partition, and publishes it", async () => {
    const aggregate = randomUUID();
    const occurredAt = new Date("2034-02-10T12:00:00Z");
    await emit([{ eventType: TEMPLATE_UPDATED, aggregateId: aggregate, aggregateVersion: 1, payload: { title: "from a far month" }, occurredAt }]);
    expect((await app.pool.query(`SELECT to_regclass('messaging.event_store_y2034m02') AS p`)).rows[0].p).toBeNull();
    expect(await dispatchBatch(deps(app), "templates")).toBe(1);
    const stored = await app.pool.query(`SELECT tableoid::regclass::text AS partition, occurred_at FROM messaging.event_store WHERE aggregate_id = $1`, [aggregate]);
    expect(stored.rows).toEqual([{ partition: "messaging.event_store_y2034m02", occurred_at: occurredAt }]);
    expect(await listUnsent(app.pool, "templates")).toEqual([]);
  });
});
