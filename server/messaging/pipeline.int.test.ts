import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEffectTables, effectConsumer, effects, TEMPLATE_PUBLISHED, TEMPLATE_UPDATED } from "@/tests/helpers/messaging";
import { createTestApp, eventually, type TestApp } from "@/tests/helpers/test-app";
import type { DeliveryJob } from "./dispatcher";
import { appendToOutbox, transactWithEvents } from "./outbox";
import { consumerQueue, type SqlTx } from "./registry";
import { type MessagingRuntime, startMessaging } from "./runtime";

let app: TestApp;
let runtime: MessagingRuntime;
const consumer = effectConsumer();

beforeAll(async () => {
  app = await createTestApp({ env: { OUTBOX_POLL_MS: "100" } });
  await createEffectTables(app);
  await app.pool.query(`CREATE TABLE templates.test_templates (id text PRIMARY KEY, title text NOT NULL, version int NOT NULL)`);
  runtime = await startMessaging(app, { consumers: [consumer] }, { sweep: false });
});

afterAll(async () => {
  await runtime.stop();
  await app.cleanup();
});

/** A service change and its event in one transaction, the way services write them. */
async function renameTemplate(id: string, title: string, opts: { version?: number; fail?: boolean } = {}) {
  return transactWithEvents(app.db.templates as never, "templates", async (tx: SqlTx, emit) => {
    const rows = await tx.$queryRawUnsafe<{ version: number }[]>(
      `INSERT INTO templates.test_templates (id, title, version) VALUES ($1, $2, 1)
       ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title, version = test_templates.version + 1 RETURNING version`,
      id,
      title,
    );
    emit({ eventType: TEMPLATE_UPDATED, aggregateId: id, aggregateVersion: opts.version ?? rows[0]!.version, payload: { title } });
    if (opts.fail) throw new Error("the change is refused after the event was emitted");
  });
}

describe("an event's way from the outbox to a consumer", () => {
  it("commits with the aggregate change, is stored, published and applied exactly once", async () => {
    const id = randomUUID();
    const { events } = await renameTemplate(id, "Onboarding email");
    const eventId = events[0]!.eventId;
    await eventually(async () => (await effects(app)).some((e) => e.event_id === eventId), 10_000, "the effect");
    const outbox = await app.pool.query(`SELECT status, sent_at FROM templates.outbox WHERE id = $1`, [eventId]);
    expect(outbox.rows[0]).toMatchObject({ status: "SENT" });
    const stored = await app.pool.query(`SELECT event_type, service, aggregate_id, aggregate_version FROM messaging.event_store WHERE event_id = $1`, [eventId]);
    expect(stored.rows).toEqual([{ event_type: TEMPLATE_UPDATED, service: "templates", aggregate_id: id, aggregate_version: 1 }]);
    const inbox = await app.pool.query(`SELECT consumer FROM analytics.inbox WHERE event_id = $1`, [eventId]);
    expect(inbox.rows).toEqual([{ consumer: "analytics.test" }]);
  });

  it("emits nothing when the change rolls back", async () => {
    const id = randomUUID();
    await expect(renameTemplate(id, "Never", { fail: true })).rejects.toThrow(/refused/);
    const rows = await app.pool.query(`SELECT 1 FROM templates.outbox WHERE aggregate_id = $1`, [id]);
    expect(rows.rowCount).toBe(0);
  });

  it("refuses an event type that belongs to another service, before anything is written", async () => {
    await expect(
      app.db.templates.$transaction((tx) =>
        appendToOutbox(tx as never, "templates", [{ eventType: "templator.events.v1.ai.PromptRunRecorded", aggregateId: "x", aggregateVersion: 1, payload: {} }]),
      ),
    ).rejects.toThrow(/cannot emit/);
  });

  it("applies a redelivered message only once", async () => {
    const { events } = await renameTemplate(randomUUID(), "Twice");
    const env = events[0]!;
    await eventually(async () => (await effects(app)).some((e) => e.event_id === env.eventId), 10_000, "the first effect");
    const queue = app.queues.queue(consumerQueue(consumer.name), { traced: false });
    const again = await queue.add(env.eventType, { envelope: env, delivery: "" } satisfies DeliveryJob, { jobId: `${env.eventId}-again` });
    await eventually(async () => (await queue.getJobState(again.id!)) === "completed" || (await queue.getJobState(again.id!)) === "unknown", 10_000, "the redelivery");
    expect((await effects(app)).filter((e) => e.event_id === env.eventId)).toHaveLength(1);
  });

  it("keeps the read model at the newest version when an older event arrives later", async () => {
    const id = randomUUID();
    await renameTemplate(id, "Version three", { version: 3 });
    const { events } = await renameTemplate(id, "Version two (late)", { version: 2 });
    await eventually(async () => (await effects(app)).some((e) => e.event_id === events[0]!.eventId), 10_000, "both effects");
    const row = await app.pool.query(`SELECT version, title FROM analytics.test_projection WHERE aggregate_id = $1`, [id]);
    expect(row.rows[0]).toEqual({ version: 3, title: "Version three" });
  });

  it("turns an invalid payload into a dead letter at once, naming the field", async () => {
    const events = await app.db.templates.$transaction((tx) =>
      appendToOutbox(tx as never, "templates", [{ eventType: TEMPLATE_PUBLISHED, aggregateId: randomUUID(), aggregateVersion: 1, payload: { title: "No id" } }]),
    );
    const dl = await eventually(async () => (await app.pool.query(`SELECT * FROM messaging.dead_letters WHERE event_id = $1`, [events[0]!.eventId])).rows[0], 10_000, "the dead letter");
    expect(dl).toMatchObject({ consumer: "analytics.test", unrecoverable: true, attempts: 1, status: "dead", error_type: "PoisonMessageError" });
    expect(dl.error_message).toMatch(/invalid templator\.events\.v1\.templates\.TemplatePublished payload: templateId/);
    expect(dl.envelope.payload).toEqual({ title: "No id" });
  });

  it("retries a failing effect, then stores it as a dead letter with attempts, times, stack and trace id", async () => {
    const id = randomUUID();
    const events = await app.db.templates.$transaction((tx) =>
      appendToOutbox(tx as never, "templates", [{ eventType: TEMPLATE_UPDATED, aggregateId: id, aggregateVersion: 1, payload: { title: "Flaky", fail: 99 } }]),
    );
    const dl = await eventually(async () => (await app.pool.query(`SELECT * FROM messaging.dead_letters WHERE event_id = $1`, [events[0]!.eventId])).rows[0], 15_000, "the dead letter");
    expect(dl).toMatchObject({ attempts: 3, unrecoverable: false, error_type: "Error" });
    expect(dl.error_message).toMatch(/simulated failure 3 of 99/);
    expect(dl.stack).toMatch(/at .*messaging\.ts/);
    expect(new Date(dl.first_failed_at).getTime()).toBeLessThan(new Date(dl.last_failed_at).getTime());
    expect(await effects(app)).not.toContainEqual(expect.objectContaining({ event_id: events[0]!.eventId }));
  });

  it("recovers from a transient failure without a dead letter", async () => {
    const events = await app.db.templates.$transaction((tx) =>
      appendToOutbox(tx as never, "templates", [{ eventType: TEMPLATE_UPDATED, aggregateId: randomUUID(), aggregateVersion: 1, payload: { title: "Once", fail: 1 } }]),
    );
    await eventually(async () => (await effects(app)).some((e) => e.event_id === events[0]!.eventId), 10_000, "the effect after one failure");
    const dl = await app.pool.query(`SELECT 1 FROM messaging.dead_letters WHERE event_id = $1`, [events[0]!.eventId]);
    expect(dl.rowCount).toBe(0);
  });
});
