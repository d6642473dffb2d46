import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendToOutbox, transactWithEvents } from "@/server/messaging/outbox";
import { defineConsumer, EventSchemaError, type SqlTx } from "@/server/messaging/registry";
import { type MessagingRuntime, startMessaging } from "@/server/messaging/runtime";
import { templateEvents } from "@/services/templates/events";
import "@/services/events";
import { createTestApp, eventually, type TestApp } from "@/tests/helpers/test-app";
import { insertUnvalidatedEvent } from "./test-support";

const PUBLISHED = templateEvents.TemplatePublished.type;
let app: TestApp;
let runtime: MessagingRuntime;
const applied: string[] = [];

// A consumer that declares no payload schema of its own: the published one applies to it anyway.
const consumer = defineConsumer<SqlTx>({
  name: "analytics.schema-test",
  service: "analytics",
  eventTypes: [PUBLISHED],
  attempts: 3,
  backoffMs: 20,
  transaction: "sql",
  async handle({ envelope }) {
    applied.push(envelope.eventId);
  },
});

beforeAll(async () => {
  app = await createTestApp({ env: { OUTBOX_POLL_MS: "100" } });
  runtime = await startMessaging(app, { consumers: [consumer] }, { sweep: false });
});

afterAll(async () => {
  await runtime.stop();
  await app.cleanup();
});

const valid = () => ({ templateId: randomUUID(), version: 1, title: "Runbook", publishedBy: "user-1" });

describe("events are validated against their published schema", () => {
  it("an invalid event write is refused with the event type, schema version and JSON paths, and the transaction rolls back", async () => {
    await app.pool.query(`CREATE TABLE templates.schema_test (id text PRIMARY KEY)`);
    const id = randomUUID();
    const write = transactWithEvents(app.db.templates as never, "templates", async (tx: SqlTx, emit) => {
      await tx.$executeRawUnsafe(`INSERT INTO templates.schema_test (id) VALUES ($1)`, id);
      emit({ eventType: PUBLISHED, aggregateId: id, aggregateVersion: 1, payload: { ...valid(), templateId: "not-a-uuid", title: "" } });
    });
    await expect(write).rejects.toBeInstanceOf(EventSchemaError);
    await expect(write).rejects.toMatchObject({
      code: "BAD_REQUEST",
      eventType: PUBLISHED,
      schemaVersion: 1,
      violations: [expect.objectContaining({ path: "$.templateId" }), expect.objectContaining({ path: "$.title" })],
      message: expect.stringMatching(/^event templator\.events\.v1\.templates\.TemplatePublished does not match its schema \(v1\): \$\.templateId: .*; \$\.title: /),
    });
    // Neither the aggregate change nor the event was written.
    expect((await app.pool.query(`SELECT 1 FROM templates.schema_test WHERE id = $1`, [id])).rowCount).toBe(0);
    expect((await app.pool.query(`SELECT 1 FROM templates.outbox WHERE aggregate_id = $1`, [id])).rowCount).toBe(0);
  });

  it("a valid event is written as its schema outputs it and delivered", async () => {
    const [env] = await app.db.templates.$transaction((tx) => appendToOutbox(tx as never, "templates", [{ eventType: PUBLISHED, aggregateId: randomUUID(), aggregateVersion: 1, payload: valid() }]));
    expect(env!.version).toBe(1);
    await eventually(async () => applied.includes(env!.eventId), 10_000, "the delivery");
  });

  it("an event that bypassed validation (inserted raw into the outbox) becomes a dead letter naming the violation", async () => {
    const eventId = await insertUnvalidatedEvent(app.pool, "templates", { eventType: PUBLISHED, payload: { ...valid(), version: "two", publishedBy: "" } });
    const dl = await eventually(() => app.db.messaging.deadLetter.findFirst({ where: { eventId } }), 10_000, "the dead letter");
    expect(dl).toMatchObject({ consumer: "analytics.schema-test", unrecoverable: true, attempts: 1, errorType: "PoisonMessageError" });
    expect(dl.errorMessage).toMatch(/^invalid templator\.events\.v1\.templates\.TemplatePublished payload: version: .*; publishedBy: /);
    expect(dl.errorMessage).toMatch(/\(published schema v1; at \$\.version, \$\.publishedBy\)$/);
    expect(applied).not.toContain(eventId);
  });
});
