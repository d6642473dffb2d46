import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEffectTables, effectConsumer, effects, TEMPLATE_PUBLISHED, TEMPLATE_UPDATED } from "@/tests/helpers/messaging";
import { createTestApp, eventually, type TestApp } from "@/tests/helpers/test-app";
import type { NewEvent } from "../envelope";
import { appendToOutbox } from "../outbox";
import { buildSubscriptions } from "../registry";
import { type MessagingRuntime, startMessaging } from "../runtime";
import { createReplayOperation, DeadLetterActionError, discardDeadLetters, editDeadLetterPayload, runReplayOperation } from "./actions";
import { getDeadLetter, groupDeadLetters, listDeadLetters } from "./queries";

const consumer = effectConsumer("analytics.dlq-test", { attempts: 2 });
const subscriptions = buildSubscriptions({ consumers: [consumer] });
let app: TestApp;
let runtime: MessagingRuntime;

async function emit(events: NewEvent[]) {
  return app.db.templates.$transaction((tx) => appendToOutbox(tx as never, "templates", events));
}
const deadLetterOf = (eventId: string) =>
  eventually(async () => app.db.messaging.deadLetter.findFirst({ where: { eventId, status: "dead" } }), 15_000, `a dead letter for ${eventId}`);
const replay = async (target: Parameters<typeof createReplayOperation>[1], actor = "user-ops") => {
  const op = await createReplayOperation(app.db.messaging, target, actor);
  return { op, result: await runReplayOperation({ db: app.db.messaging, queues: app.queues, subscriptions }, op.id) };
};

beforeAll(async () => {
  app = await createTestApp({ env: { OUTBOX_POLL_MS: "100" } });
  await createEffectTables(app);
  runtime = await startMessaging(app, { consumers: [consumer] }, { sweep: false });
});

afterAll(async () => {
  await runtime.stop();
  await app.cleanup();
});

describe("dead letters", () => {
  it("replays a dead letter: applied once, marked replayed, every step audited; a second replay changes nothing", async () => {
    const [env] = await emit([{ eventType: TEMPLATE_UPDATED, aggregateId: randomUUID(), aggregateVersion: 1, payload: { title: "Fails twice", fail: 2 } }]);
    const dl = await deadLetterOf(env!.eventId);
    expect(dl).toMatchObject({ consumer: consumer.name, attempts: 2, status: "dead" });

    const { result } = await replay({ ids: [dl.id] });
    expect(result).toEqual({ replayed: 1, skipped: 0 });
    await eventually(async () => (await getDeadLetter(app.db.messaging, dl.id))?.status === "replayed", 10_000, "replayed");
    expect((await effects(app)).filter((e) => e.event_id === env!.eventId)).toHaveLength(1);

    await expect(replay({ ids: [dl.id] })).rejects.toThrow(/nothing to replay/);
    const full = await getDeadLetter(app.db.messaging, dl.id);
    expect(full!.actions.map((a) => [a.action, a.actor])).toEqual([
      ["replay", "user-ops"],
      ["replayed", "system"],
    ]);
    expect(full!.replayCount).toBe(1);
  });

  it("edits a payload and replays it, keeping the original", async () => {
    const bad = { title: "Launch checklist", templateId: "not-a-uuid" };
    const [env] = await emit([{ eventType: TEMPLATE_PUBLISHED, aggregateId: randomUUID(), aggregateVersion: 1, payload: bad }]);
    const dl = await deadLetterOf(env!.eventId);
    expect(dl.unrecoverable).toBe(true);
    const fixed = { title: "Launch checklist", templateId: randomUUID() };
    await editDeadLetterPayload(app.db.messaging, dl.id, fixed, "user-ops", "templateId was a slug");
    await replay({ ids: [dl.id] });
    await eventually(async () => (await effects(app)).find((e) => e.event_id === env!.eventId), 10_000, "the edited effect");
    const after = await getDeadLetter(app.db.messaging, dl.id);
    expect(after!.status).toBe("replayed");
    expect((after!.envelope as { payload: unknown }).payload).toEqual(bad);
    expect(after!.editedPayload).toEqual(fixed);
    expect(after!.actions[0]).toMatchObject({ action: "edit", actor: "user-ops", reason: "templateId was a slug", details: { before: bad, after: fixed } });
  });

  it("refuses to edit or replay what is not dead, and to discard without a reason", async () => {
    await expect(editDeadLetterPayload(app.db.messaging, randomUUID(), {}, "u")).rejects.toBeInstanceOf(DeadLetterActionError);
    await expect(discardDeadLetters(app.db.messaging, [randomUUID()], "  ", "u")).rejects.toThrow(/reason is required/);
  });

  it("groups by cause, filters, discards with a reason, and bulk-replays all matching a filter with progress", async () => {
    const poison = await emit(
      Array.from({ length: 6 }, (_, i) => ({ eventType: TEMPLATE_UPDATED, aggregateId: randomUUID(), aggregateVersion: 1, payload: { title: `poison ${i}`, poison: true } })),
    );
    const brokenAggregates = Array.from({ length: 4 }, () => randomUUID());
    await app.pool.query(`INSERT INTO analytics.test_broken SELECT unnest($1::text[])`, [brokenAggregates]);
    const flaky = await emit(
      brokenAggregates.map((a, i) => ({ eventType: TEMPLATE_UPDATED, aggregateId: a, aggregateVersion: 1, payload: { title: `flaky ${i}` } })),
    );
    for (const e of [...poison, ...flaky]) await deadLetterOf(e.eventId);

    const groups = await groupDeadLetters(app.db.messaging, { status: "dead", consumer: consumer.name });
    const poisonGroup = groups.find((g) => g.errorType === "PoisonMessageError")!;
    const flakyGroup = groups.find((g) => g.sampleMessage.endsWith("is marked broken"))!;
    expect(poisonGroup.count).toBe(6);
    expect(flakyGroup.count).toBe(4); // "aggregate <uuid> is marked broken" shares one fingerprint
    expect(poisonGroup.eventTypes).toEqual([TEMPLATE_UPDATED]);

    const page = await listDeadLetters(app.db.messaging, { fingerprint: poisonGroup.fingerprint }, { limit: 4 });
    expect(page.items).toHaveLength(4);
    const rest = await listDeadLetters(app.db.messaging, { fingerprint: poisonGroup.fingerprint }, { limit: 4, cursor: page.nextCursor });
    expect(rest.items).toHaveLength(2);
    expect(rest.nextCursor).toBeUndefined();

    const discarded = await discardDeadLetters(app.db.messaging, page.items.map((i) => i.id), "known bad test data", "user-ops");
    expect(discarded).toBe(4);
    expect(await discardDeadLetters(app.db.messaging, page.items.map((i) => i.id), "again", "user-ops")).toBe(0);

    await app.pool.query(`DELETE FROM analytics.test_broken`); // the cause is fixed
    const { op, result } = await replay({ filter: { fingerprint: flakyGroup.fingerprint, status: "dead" } });
    expect(op.total).toBe(4);
    expect(result.replayed).toBe(4);
    const finished = await app.db.messaging.operation.findUniqueOrThrow({ where: { id: op.id } });
    expect(finished).toMatchObject({ status: "done", total: 4, processed: 4, kind: "dlq-replay", actor: "user-ops" });
    await eventually(async () => (await groupDeadLetters(app.db.messaging, { status: "replayed", fingerprint: flakyGroup.fingerprint }))[0]?.count === 4, 10_000, "4 replayed");
    // Poison ones that were not discarded are still dead; discarded ones keep their reason.
    expect((await groupDeadLetters(app.db.messaging, { status: "dead", fingerprint: poisonGroup.fingerprint }))[0]?.count).toBe(2);
    const d = await getDeadLetter(app.db.messaging, page.items[0]!.id);
    expect(d).toMatchObject({ status: "discarded", discardReason: "known bad test data" });
  });

  it("a replayed message that fails again goes back to dead, with a failed-again entry", async () => {
    const [env] = await emit([{ eventType: TEMPLATE_UPDATED, aggregateId: randomUUID(), aggregateVersion: 1, payload: { title: "always", poison: true } }]);
    const dl = await deadLetterOf(env!.eventId);
    await replay({ ids: [dl.id] });
    await eventually(async () => (await getDeadLetter(app.db.messaging, dl.id))?.actions.some((a) => a.action === "failed-again"), 10_000, "failed again");
    const after = await getDeadLetter(app.db.messaging, dl.id);
    expect(after).toMatchObject({ status: "dead", replayCount: 1 });
  });
});
