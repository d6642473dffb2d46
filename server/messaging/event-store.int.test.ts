import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEffectTables, effectConsumer, effects, TEMPLATE_UPDATED } from "@/tests/helpers/messaging";
import { createTestApp, eventually, type TestApp } from "@/tests/helpers/test-app";
import { createEventReplayOperation, getOperation, runEventReplay } from "./event-replay";
import { dispatchBatch } from "./dispatcher";
import type { NewEvent } from "./envelope";
import { ensurePartitions, listPartitions, monthPartition } from "./event-store";
import { runMaintenance } from "./maintenance";
import { appendToOutbox } from "./outbox";
import { buildSubscriptions } from "./registry";
import { type MessagingRuntime, serviceClients, startMessaging } from "./runtime";

const consumer = effectConsumer("analytics.store-test");
const subscriptions = buildSubscriptions({ consumers: [consumer] });
let app: TestApp;

beforeAll(async () => {
  app = await createTestApp({ env: { OUTBOX_POLL_MS: "100", EVENT_STORE_RETENTION_MONTHS: "3", EVENT_STORE_MONTHS_AHEAD: "2" } });
  await createEffectTables(app);
});

afterAll(() => app.cleanup());

const dispatchDeps = () => ({ pool: app.pool, queues: app.queues, subscriptions, log: app.log, settings: { batchSize: 100, maxAttempts: 3, backoffMs: 10 } });

/** Publishes events the way the worker does: written to the outbox, then one dispatch (which appends them to the store). */
async function publish(events: NewEvent[]): Promise<string[]> {
  const written = await app.db.templates.$transaction((tx) => appendToOutbox(tx as never, "templates", events));
  expect(await dispatchBatch(dispatchDeps(), "templates")).toBe(events.length);
  return written.map((e) => e.eventId);
}

const event = (occurredAt?: Date): NewEvent => ({
  eventType: TEMPLATE_UPDATED,
  aggregateId: randomUUID(),
  aggregateVersion: 1,
  payload: { title: "x" },
  ...(occurredAt ? { occurredAt } : {}),
});

describe("the event store", () => {
  it("is partitioned by month: maintenance creates months ahead and drops those past retention", async () => {
    const now = new Date("2031-06-15T12:00:00Z");
    // An old month gets a partition because an event of that time arrived.
    await publish([event(new Date("2031-01-20T00:00:00Z"))]);
    expect((await listPartitions(app.pool)).map((p) => p.name)).toContain("event_store_y2031m01");
    const report = await runMaintenance(app, now);
    expect(report.partitionsCreated).toEqual(["event_store_y2031m06", "event_store_y2031m07", "event_store_y2031m08"]);
    expect(report.partitionsDropped).toEqual(["event_store_y2031m01"]); // retention: 3 months before June
    const names = (await listPartitions(app.pool)).map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(["event_store_y2031m06", "event_store_y2031m07", "event_store_y2031m08"]));
    expect(names).not.toContain("event_store_y2031m01");
    expect(monthPartition(new Date("2031-12-31T23:59:59Z"))).toEqual({
      name: "event_store_y2031m12",
      from: "2031-12-01T00:00:00.000Z",
      to: "2032-01-01T00:00:00.000Z",
    });
    // Running it again creates and drops nothing; two at once do not trip over each other.
    const again = await Promise.all([runMaintenance(app, now), ensurePartitions(app.pool, now, 2)]);
    expect(again[0].partitionsCreated).toEqual([]);
  });

  it("refuses to change or delete a stored event", async () => {
    const [id] = await publish([event()]);
    await expect(app.pool.query(`UPDATE messaging.event_store SET payload = '{}' WHERE event_id = $1`, [id])).rejects.toThrow(/append-only/);
    await expect(app.pool.query(`DELETE FROM messaging.event_store WHERE event_id = $1`, [id])).rejects.toThrow(/append-only/);
    // Publishing the same event again (a dispatcher commit lost in a crash leaves it PENDING) stores it once.
    await app.pool.query(`UPDATE templates.outbox SET status = 'PENDING' WHERE id = $1`, [id]);
    expect(await dispatchBatch(dispatchDeps(), "templates")).toBe(1);
    const n = await app.pool.query(`SELECT count(*)::int AS n FROM messaging.event_store WHERE event_id = $1`, [id]);
    expect(n.rows[0].n).toBe(1);
  });
});

describe("event-store replay to one consumer", () => {
  let runtime: MessagingRuntime;
  beforeAll(async () => {
    runtime = await startMessaging(app, { consumers: [consumer] }, { sweep: false });
  });
  afterAll(() => runtime.stop());

  it("rebuilds a cleared read model from the store, with progress, without touching other deliveries", async () => {
    const aggregates = Array.from({ length: 30 }, () => randomUUID());
    const events = await app.db.templates.$transaction((tx) =>
      appendToOutbox(
        tx as never,
        "templates",
        aggregates.flatMap((a) => [1, 2].map((v) => ({ eventType: TEMPLATE_UPDATED, aggregateId: a, aggregateVersion: v, payload: { title: `${a.slice(0, 4)} v${v}` } }))),
      ),
    );
    await eventually(async () => (await effects(app, consumer.name)).length >= 60, 15_000, "60 live effects");
    await app.pool.query(`UPDATE analytics.test_projection SET title = 'corrupted'`);

    await expect(createEventReplayOperation(app.db.messaging, subscriptions, { consumer: consumer.name, eventTypes: ["templator.events.v1.ai.PromptRunRecorded"], reset: false }, "u")).rejects.toThrow(/does not subscribe/);
    const op = await createEventReplayOperation(app.db.messaging, subscriptions, { consumer: consumer.name, eventTypes: [TEMPLATE_UPDATED], reset: true }, "user-ops");
    const enqueued = await runEventReplay({ db: app.db.messaging, pool: app.pool, queues: app.queues, subscriptions, clients: serviceClients(app) }, op.id);
    expect(enqueued).toBeGreaterThanOrEqual(60);
    const progress = await eventually(async () => {
      const p = await getOperation(app.db.messaging, app.pool, op.id);
      return p && p.applied === p.total ? p : undefined;
    }, 20_000, "every replayed delivery applied");
    expect(progress).toMatchObject({ status: "done", processed: progress.total });

    const projection = await app.pool.query(`SELECT aggregate_id, version, title FROM analytics.test_projection WHERE aggregate_id = ANY($1)`, [aggregates]);
    expect(projection.rows).toHaveLength(30);
    for (const p of projection.rows) expect(p).toMatchObject({ version: 2, title: `${p.aggregate_id.slice(0, 4)} v2` });
    const replayed = (await effects(app, consumer.name)).filter((e) => e.delivery === op.id && events.some((ev) => ev.eventId === e.event_id));
    expect(replayed).toHaveLength(60);
  });
});
