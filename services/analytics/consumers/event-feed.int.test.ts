import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { appendToOutbox } from "@/server/messaging/outbox";
import { insertUnvalidatedEvent } from "@/services/contracts/test-support";
import { type MessagingRuntime, startMessaging } from "@/server/messaging/runtime";
import { createTestApp, eventually, type TestApp } from "@/tests/helpers/test-app";
import { messagingRegistry } from "@/workers/consumers";

let app: TestApp;
let runtime: MessagingRuntime;

beforeAll(async () => {
  app = await createTestApp({ env: { OUTBOX_POLL_MS: "100" } });
  runtime = await startMessaging(app, messagingRegistry, { sweep: false });
});

afterAll(async () => {
  await runtime.stop();
  await app.cleanup();
});

it("analytics.event-feed records every valid domain event and dead-letters one that breaks its schema", async () => {
  const runId = randomUUID();
  const [good] = await app.db.ai.$transaction((tx) =>
    appendToOutbox(tx as never, "ai", [
      {
        eventType: "templator.events.v1.ai.PromptRunRecorded",
        aggregateId: runId,
        aggregateVersion: 1,
        correlationId: "corr-42",
        payload: { runId, model: "local-echo", promptTokens: 120, completionTokens: 80, latencyMs: 35, costUsd: 0, outcome: "success" },
      },
    ]),
  );
  // Past the outbox's schema check, as a buggy or older producer would write it.
  const bad = {
    eventId: await insertUnvalidatedEvent(app.pool, "assets", {
      eventType: "templator.events.v1.assets.AssetUploaded",
      aggregateId: "a-1",
      payload: { assetId: "not-a-uuid", fileName: "x.txt", contentType: "text/plain", sizeBytes: 3, uploadedBy: "u" },
    }),
  };
  const row = await eventually(() => app.db.analytics.eventFeedEntry.findUnique({ where: { eventId: good!.eventId } }), 10_000, "the feed entry");
  expect(row).toMatchObject({ eventType: "templator.events.v1.ai.PromptRunRecorded", service: "ai", aggregateId: runId, correlationId: "corr-42" });
  expect(row.payload).toMatchObject({ model: "local-echo", promptTokens: 120 });

  const dl = await eventually(() => app.db.messaging.deadLetter.findFirst({ where: { eventId: bad.eventId, consumer: "analytics.event-feed" } }), 10_000, "the dead letter");
  expect(dl).toMatchObject({ consumer: "analytics.event-feed", unrecoverable: true, attempts: 1 });
  expect(dl.errorMessage).toMatch(/invalid templator\.events\.v1\.assets\.AssetUploaded payload: assetId/);
  expect(await app.db.analytics.eventFeedEntry.count({ where: { eventId: bad.eventId } })).toBe(0);
});
