import { randomUUID } from "node:crypto";
import { context, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { BasicTracerProvider } from "@opentelemetry/sdk-trace-base";
import { expect, type Locator, type Page, test } from "@playwright/test";
import pg from "pg";
import { withDatabase } from "../server/db/pool";
import type { NewEvent, ServiceName } from "../server/messaging/envelope";
import { appendToOutbox } from "../server/messaging/outbox";
import { sqlTransactions } from "../server/messaging/sql-tx";
import { TEST_PG_URL } from "../tests/helpers/env";
import { shot, signIn } from "./support/shots";

/**
 * The on-call messaging console, on dead letters made by the real pipeline: events are written to the
 * services' outboxes the way services write them (appendToOutbox, in a transaction, with a producer
 * span), the worker's dispatcher publishes them, and the analytics event-feed consumer dead-letters
 * those whose payload breaks the event's schema.
 */

const ENGINEER = "priya.raman@templator.dev";
// Other consumers subscribe to the same events (and dead-letter them too): the tests follow this one's.
const FEED = "analytics.event-feed";
const VIEWER = "jonas.meyer@templator.dev";
const ASSET_UPLOADED = "templator.events.v1.assets.AssetUploaded";
const PROMPT_RUN = "templator.events.v1.ai.PromptRunRecorded";
const AI_ERRORS = "templator.events.v1.ai.AIErrorsOccurred";
const TEMPLATE_UPDATED = "templator.events.v1.templates.TemplateUpdated";
const TEMPLATE_PUBLISHED = "templator.events.v1.templates.TemplatePublished";
const PROJECT_CREATED = "templator.events.v1.projects.ProjectCreated";

// Services run with a tracer, so their events carry a traceparent (and dead letters a trace id).
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
trace.setGlobalTracerProvider(new BasicTracerProvider());

let pool: pg.Pool;
const tag = randomUUID().slice(0, 6);

/** Writes events to a service's outbox in one transaction, as the service's own code does. */
async function emit(service: ServiceName, events: NewEvent[]): Promise<void> {
  await sqlTransactions(pool).$transaction((tx) => appendToOutbox(tx, service, events));
}

const upload = (i: number, overrides: Record<string, unknown>): NewEvent => ({
  eventType: ASSET_UPLOADED,
  aggregateId: `asset-${tag}-${i}`,
  aggregateVersion: 1,
  payload: {
    assetId: randomUUID(),
    fileName: ["brand-guide-v3.pdf", "hero-banner@2x.png", "pricing-table.xlsx", "onboarding-script.docx"][i % 4],
    contentType: ["application/pdf", "image/png", "application/vnd.ms-excel", "application/msword"][i % 4],
    sizeBytes: 18_000 + i * 7_919,
    uploadedBy: "u_4f1c2a",
    ...overrides,
  },
});

const promptRun = (aggregateId: string, overrides: Record<string, unknown>): NewEvent => ({
  eventType: PROMPT_RUN,
  aggregateId,
  aggregateVersion: 1,
  correlationId: `req-${aggregateId}`,
  payload: { runId: randomUUID(), model: "gpt-4.1-mini", promptTokens: 812, completionTokens: 164, latencyMs: 1432, costUsd: 0.0021, outcome: "success", ...overrides },
});

test.beforeAll(async () => {
  pool = new pg.Pool({ connectionString: withDatabase(TEST_PG_URL, "switchyard_e2e"), max: 2 });
  // Ordinary traffic that the consumer applies…
  await emit("templates", [
    { eventType: TEMPLATE_UPDATED, aggregateId: randomUUID(), aggregateVersion: 3, payload: { templateId: randomUUID(), version: 3, title: "Quarterly review deck", changedFields: ["body"] } },
    { eventType: TEMPLATE_PUBLISHED, aggregateId: randomUUID(), aggregateVersion: 2, payload: { templateId: randomUUID(), version: 2, title: "Launch checklist", publishedBy: "u_priya" } },
  ]);
  await emit("projects", [
    { eventType: PROJECT_CREATED, aggregateId: randomUUID(), aggregateVersion: 1, payload: { projectId: randomUUID(), templateId: randomUUID(), name: "Spring campaign", createdBy: "u_kenji" } },
  ]);
  await emit("ai", [0, 1, 2].map((i) => promptRun(`run-${tag}-ok${i}`, {})));
  await emit("assets", [upload(90, {})]);
  // …and the kinds of broken payloads that become dead letters, several of each cause.
  await emit("assets", [0, 1, 2, 3].map((i) => upload(i, { assetId: `asset-${tag}-${i}` })));
  await emit("assets", [4, 5].map((i) => upload(i, { sizeBytes: -1 })));
  await emit("ai", [0, 1, 2].map((i) => promptRun(`run-${tag}-c${i}`, { outcome: "cancelled" })));
});

test.afterAll(async () => {
  await pool.end();
});

const groups = (page: Page) => page.getByTestId("dead-letter-groups");
const groupRow = (page: Page, text: string) => groups(page).locator("tbody tr", { hasText: text }).filter({ hasText: FEED });
const listRows = (page: Page) => page.locator("[data-testid=dead-letter-list] tbody tr");

/** The console showing this consumer's dead letters only. */
async function openFeedConsole(page: Page): Promise<void> {
  await page.goto(`/messaging?consumer=${FEED}`);
}

/** Reloads until `check` passes: dead letters appear once the worker has dispatched and consumed the events. */
async function untilShown(page: Page, check: () => Promise<void>): Promise<void> {
  await expect(async () => {
    await page.reload();
    await check();
  }).toPass({ timeout: 45_000, intervals: [500, 1000, 2000] });
}

async function groupCount(page: Page, text: string, n: number): Promise<void> {
  await expect(groupRow(page, text).locator("td.msg-num")).toHaveText(String(n), { timeout: 3_000 });
}

/** Opens the console filtered to one aggregate (any status) and waits for its dead letter. */
async function openAggregate(page: Page, aggregateId: string, status = "any"): Promise<Locator> {
  await page.goto(`/messaging?status=${status}&consumer=${FEED}&aggregate=${encodeURIComponent(aggregateId)}`);
  const row = page.locator(`[data-testid=dead-letter-list] tr[data-aggregate="${aggregateId}"]`);
  await untilShown(page, () => expect(row).toBeVisible({ timeout: 3_000 }));
  return row;
}

test("an engineer sees dead letters grouped by cause and filters the list by a group", async ({ page }) => {
  await signIn(page, ENGINEER, "/messaging");
  await openFeedConsole(page);
  await untilShown(page, async () => {
    await groupCount(page, "AssetUploaded payload: assetId", 4);
    await groupCount(page, "AssetUploaded payload: sizeBytes", 2);
    await groupCount(page, "PromptRunRecorded payload: outcome", 3);
  });
  // Everything, as on-call first sees it.
  await page.goto("/messaging");
  await expect(groupRow(page, "AssetUploaded payload: assetId")).toBeVisible();
  await expect(page.getByTestId("count-dead")).toContainText(/[1-9]/);
  await expect(listRows(page).first()).toBeVisible();
  await shot(page, "messaging-list");

  await openFeedConsole(page);
  await expect(page.getByLabel("Consumer", { exact: true })).toHaveValue(FEED);
  const assetGroup = groupRow(page, "AssetUploaded payload: assetId");
  await expect(assetGroup).toContainText("assets.AssetUploaded");
  await expect(assetGroup).toContainText("PoisonMessageError");

  await assetGroup.getByRole("button").click();
  await expect(page).toHaveURL(/[?&]group=[0-9a-f]{16}/);
  await expect(listRows(page)).toHaveCount(4);
  for (const row of await listRows(page).all()) await expect(row).toContainText("assetId: Invalid UUID");
  await expect(page.getByTestId("group-filter")).toContainText("assetId");
  await expect(assetGroup).toHaveClass(/selected/);
  await shot(page, "messaging-groups-filter");

  // The filter lives in the URL: a reload (or a shared link) shows the same list.
  await page.reload();
  await expect(listRows(page)).toHaveCount(4);
  await page.getByRole("button", { name: "Show every cause" }).click();
  await expect(page).not.toHaveURL(/group=/);

  await page.getByLabel("Event type").selectOption(PROMPT_RUN);
  await expect(page).toHaveURL(/type=templator\.events\.v1\.ai\.PromptRunRecorded/);
  await expect(listRows(page).first()).toContainText("ai.PromptRunRecorded");
  for (const row of await listRows(page).all()) await expect(row).toContainText("ai.PromptRunRecorded");
  await page.getByLabel("Error text").fill("sizeBytes");
  await expect(page.getByText("No dead letter matches these filters.")).toBeVisible();
  await page.getByRole("button", { name: "Clear filters" }).click();
  await expect(page).toHaveURL(/\/messaging$/);
  await expect(page.getByLabel("Error text")).toHaveValue("");
});

test("a large group is listed a page at a time with Load more", async ({ page }) => {
  await emit("assets", Array.from({ length: 30 }, (_, i) => upload(100 + i, { contentType: "" })));
  await signIn(page, ENGINEER, "/messaging");
  await openFeedConsole(page);
  await untilShown(page, () => groupCount(page, "AssetUploaded payload: contentType", 30));
  await groupRow(page, "AssetUploaded payload: contentType").getByRole("button").click();
  await expect(listRows(page)).toHaveCount(25);
  await expect(page.getByTestId("list-footer")).toHaveText("Showing 25 dead letters; more match");
  await page.getByRole("button", { name: "Load more" }).click();
  await expect(listRows(page)).toHaveCount(30);
  await expect(page.getByTestId("list-footer")).toHaveText("Showing 30 dead letters");
  await expect(page.getByRole("button", { name: "Load more" })).toHaveCount(0);
  // Every row is a different dead letter, newest failure first.
  const aggregates = await listRows(page).evaluateAll((rows) => rows.map((r) => r.getAttribute("data-aggregate")));
  expect(new Set(aggregates).size).toBe(30);
  await page.getByRole("checkbox", { name: "Select every open dead letter shown" }).check();
  await expect(page.getByRole("button", { name: "Replay selected (30)" })).toBeEnabled();
});

test("an engineer inspects a dead letter: envelope, error, stack and the payload", async ({ page }) => {
  await signIn(page, ENGINEER, "/messaging");
  const row = await openAggregate(page, `asset-${tag}-2`);
  await row.getByRole("link").click();
  await expect(page).toHaveURL(/\/messaging\/dead-letters\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { name: "assets.AssetUploaded" })).toBeVisible();
  const envelope = page.getByTestId("envelope");
  await expect(envelope).toContainText(`asset-${tag}-2`);
  await expect(envelope).toContainText(FEED);
  await expect(envelope).toContainText(ASSET_UPLOADED);
  await expect(envelope.locator("dd").filter({ hasText: /^[0-9a-f]{32}$/ })).toHaveCount(1); // the trace id
  await expect(page.getByTestId("error")).toContainText("PoisonMessageError");
  await expect(page.getByTestId("error")).toContainText("assetId: Invalid UUID");
  await expect(page.getByTestId("stack")).toContainText(/at .+consumer/);
  await expect(page.getByLabel("Payload JSON")).toHaveValue(new RegExp(`"assetId": "asset-${tag}-2"`));
  await expect(page.getByTestId("dead-letter-status")).toHaveText("dead");
  await expect(page.getByTestId("audit-timeline")).toContainText(`${FEED} gave up on it`);
  await shot(page, "messaging-detail");
});

test("invalid JSON is refused inline, before any request", async ({ page }) => {
  await signIn(page, ENGINEER, "/messaging");
  const row = await openAggregate(page, `asset-${tag}-3`);
  await row.getByRole("link").click();
  const editor = page.getByLabel("Payload JSON");
  await expect(editor).toHaveValue(/"fileName"/);
  await editor.fill('{\n  "assetId": "7d0f8c1e-5b9a-4a57-9f39-2f4b8e0c6a11",\n  "fileName": "onboarding-script.docx",\n  "sizeBytes": 42,\n');
  await expect(page.getByTestId("json-error")).toContainText("Invalid JSON");
  await expect(page.getByTestId("json-error")).toContainText("nothing was sent");
  await expect(page.getByRole("button", { name: "Save", exact: true })).toBeDisabled();
  await expect(page.getByRole("button", { name: "Save and replay" })).toBeDisabled();
  await expect(page.getByTestId("original-payload")).toContainText(`asset-${tag}-3`);
  await shot(page, "messaging-edit-error");
  await editor.fill("[1, 2]");
  await expect(page.getByTestId("json-error")).toContainText("must be a JSON object");
  // Nothing reached the server: no edit in the audit trail, the payload is unchanged.
  await page.reload();
  await expect(page.getByTestId("audit-timeline").locator("li[data-action]")).toHaveCount(0);
  await expect(page.getByLabel("Payload JSON")).toHaveValue(new RegExp(`"assetId": "asset-${tag}-3"`));
});

test("an engineer fixes a payload and replays it: replayed, with the edit and the replay in the audit trail", async ({ page }) => {
  const aggregateId = `run-${tag}-fix`;
  await emit("ai", [promptRun(aggregateId, { runId: "pr_8812-west" })]);
  await signIn(page, ENGINEER, "/messaging");
  const row = await openAggregate(page, aggregateId);
  await expect(row).toContainText("runId: Invalid UUID");
  await row.getByRole("link").click();

  const editor = page.getByLabel("Payload JSON");
  await expect(editor).toHaveValue(/"runId": "pr_8812-west"/);
  const fixedRunId = randomUUID();
  const fixed = (await editor.inputValue()).replace('"pr_8812-west"', `"${fixedRunId}"`);
  await editor.fill(fixed);
  await page.getByLabel("Why the change (optional, kept in the audit trail)").fill("runId was the provider's run slug, not ours");
  await page.getByRole("button", { name: "Save and replay" }).click();

  await expect(page.getByTestId("operation-progress")).toContainText("done");
  await expect(page.getByTestId("dead-letter-status")).toHaveText("replayed", { timeout: 20_000 });
  const timeline = page.getByTestId("audit-timeline");
  await expect(timeline.locator("li[data-action=edit]")).toContainText(`${ENGINEER} edited the payload`);
  await expect(timeline.locator("li[data-action=edit]")).toContainText("runId was the provider's run slug, not ours");
  await expect(timeline.locator("li[data-action=replay]")).toContainText(`${ENGINEER} replayed it with the edited payload`);
  await expect(timeline.locator("li[data-action=replayed]")).toContainText(`${FEED} applied the replay`);
  // The original stays visible beside the edited payload, which is what was applied.
  await expect(page.getByTestId("original-payload")).toContainText("pr_8812-west");
  await expect(editor).toHaveValue(new RegExp(fixedRunId));
  await expect(page.getByRole("button", { name: "Replay", exact: true })).toHaveCount(0);
  await shot(page, "messaging-detail-replayed");

  await page.goto(`/messaging?status=replayed&consumer=${FEED}&aggregate=${aggregateId}`);
  await expect(listRows(page)).toHaveCount(1);
  await expect(listRows(page).first()).toContainText("replayed");
  await expect(listRows(page).first()).toContainText("edited");
});

test("replaying all dead letters of a group shows the operation's progress until it is done", async ({ page }) => {
  await signIn(page, ENGINEER, "/messaging");
  await openFeedConsole(page);
  await untilShown(page, () => groupCount(page, "PromptRunRecorded payload: outcome", 3));
  await groupRow(page, "PromptRunRecorded payload: outcome").getByRole("button").click();
  await expect(listRows(page)).toHaveCount(3);
  await page.getByRole("button", { name: "Replay all matching filter (3)" }).click();
  await expect(page.getByTestId("confirm-replay-all")).toContainText("Replay 3 open dead letters matching the current filter?");
  await page.getByRole("button", { name: "Replay them" }).click();

  const progress = page.getByTestId("operation-progress");
  await expect(progress).toContainText("Replay of 3 dead letters");
  await expect(progress).toContainText("done", { timeout: 20_000 });
  await expect(progress.getByTestId("operation-counts")).toHaveText("3 / 3 dead letters re-delivered");
  // Nothing was fixed, so the consumer refuses them again: they come back as dead.
  await expect(progress).toContainText("3 failed again", { timeout: 20_000 });
  await shot(page, "messaging-replay-progress");
  await page.reload();
  await expect(listRows(page)).toHaveCount(3);
  await listRows(page).first().getByRole("link").click();
  await expect(page.getByTestId("audit-timeline").locator("li[data-action=replay]")).toContainText(`${ENGINEER} replayed it`);
  await expect(page.getByTestId("audit-timeline").locator("li[data-action=failed-again]")).toContainText(`${FEED} refused it again`);
});

test("discarding needs a reason of 3+ characters; with one it is discarded and audited", async ({ page }) => {
  const aggregateId = `err-${tag}-1`;
  await emit("ai", [
    { eventType: AI_ERRORS, aggregateId, aggregateVersion: 1, payload: { model: "", errorCode: "rate_limited", message: "429 from provider" } },
    { eventType: AI_ERRORS, aggregateId: `err-${tag}-2`, aggregateVersion: 1, payload: { model: "", errorCode: "timeout", message: "no answer in 30 s" } },
  ]);
  await signIn(page, ENGINEER, "/messaging");
  const row = await openAggregate(page, aggregateId, "dead");
  await row.getByRole("checkbox").check();
  await page.getByRole("button", { name: "Discard selected (1)" }).click();
  const form = page.getByTestId("discard-form");
  await form.getByRole("textbox").fill("no");
  await form.getByRole("button", { name: "Discard 1" }).click();
  await expect(form.getByRole("alert")).toContainText("say why (3+ characters)");
  await shot(page, "messaging-discard-refused");

  await form.getByRole("textbox").fill("Replayed model-less errors from the load test, not real traffic");
  await form.getByRole("button", { name: "Discard 1" }).click();
  await expect(page.getByRole("status").filter({ hasText: "1 dead letter discarded" })).toBeVisible();
  await expect(page.getByText("No dead letter matches these filters.")).toBeVisible();

  await page.goto(`/messaging?status=discarded&consumer=${FEED}&aggregate=${aggregateId}`);
  await expect(listRows(page)).toHaveCount(1);
  await listRows(page).first().getByRole("link").click();
  await expect(page.getByTestId("dead-letter-status")).toHaveText("discarded");
  const discard = page.getByTestId("audit-timeline").locator("li[data-action=discard]");
  await expect(discard).toContainText(`${ENGINEER} discarded it`);
  await expect(discard).toContainText("Replayed model-less errors from the load test");
  await expect(page.getByTestId("envelope")).toContainText("Replayed model-less errors from the load test");
});

test("a viewer sees the dead letters but no action buttons", async ({ page }) => {
  await signIn(page, VIEWER, "/messaging");
  await openFeedConsole(page);
  await untilShown(page, () => groupCount(page, "AssetUploaded payload: sizeBytes", 2));
  await expect(page.getByTestId("viewer-note")).toContainText("need the engineer role");
  await expect(listRows(page).first()).toBeVisible();
  for (const name of [/Replay selected/, /Replay all matching/, /Discard selected/]) await expect(page.getByRole("button", { name })).toHaveCount(0);
  await expect(page.getByRole("checkbox")).toHaveCount(0);
  await shot(page, "messaging-viewer");

  await listRows(page).first().getByRole("link").click();
  await expect(page.getByTestId("error")).toBeVisible();
  await expect(page.getByLabel("Payload JSON")).not.toBeEditable();
  for (const name of ["Save", "Save and replay", "Replay", "Discard…"]) await expect(page.getByRole("button", { name, exact: true })).toHaveCount(0);
  await expect(page.getByTestId("payload")).toContainText("need the engineer role");

  await page.goto("/messaging/outbox");
  await expect(page.locator("[data-testid=outbox-summary] tbody tr")).toHaveCount(6);
  await expect(page.getByRole("button", { name: "Start replay" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /Retry/ })).toHaveCount(0);
});

test("an unknown dead letter says so", async ({ page }) => {
  await signIn(page, ENGINEER, "/messaging");
  const id = randomUUID();
  await page.goto(`/messaging/dead-letters/${id}`);
  await expect(page.getByTestId("not-found")).toContainText(`No dead letter with id “${id}”`);
  await page.goto("/messaging/dead-letters/not-an-id");
  await expect(page.getByTestId("not-found")).toContainText("No dead letter with id “not-an-id”");
  await page.getByRole("link", { name: "Back to the dead letters" }).click();
  await expect(page).toHaveURL(/\/messaging$/);
});

test("the outbox page shows the six services, the event store's partitions, and replays the store to a consumer", async ({ page }) => {
  await signIn(page, ENGINEER, "/catalog");
  await page.getByRole("link", { name: "Messaging" }).click();
  await expect(page).toHaveURL(/\/messaging$/);
  await page.getByRole("link", { name: "Outbox & event store" }).click();
  await expect(page).toHaveURL(/\/messaging\/outbox$/);

  const summary = page.locator("[data-testid=outbox-summary] tbody tr");
  await expect(summary).toHaveCount(6);
  for (const service of ["auth", "templates", "ai", "projects", "assets", "analytics"]) await expect(summary.filter({ has: page.locator(`text="${service}"`) })).toHaveCount(1);
  await expect(page.locator('tr[data-service="ai"] td').nth(2)).not.toHaveText("0"); // sent
  await expect(page.getByTestId("unsent-events")).toContainText("Nothing waiting");
  const month = new Date();
  const partition = `event_store_y${month.getUTCFullYear()}m${String(month.getUTCMonth() + 1).padStart(2, "0")}`;
  await expect(page.locator(`[data-testid=partitions] tr[data-partition="${partition}"]`)).toBeVisible();

  const form = page.getByTestId("event-replay-form");
  await form.getByLabel("Consumer to replay to").selectOption(FEED);
  for (const type of ["templates.TemplateUpdated", "templates.TemplatePublished", "projects.ProjectCreated"]) await form.getByLabel(type).check();
  await form.getByRole("button", { name: "Start replay" }).click();
  const progress = form.getByTestId("operation-progress");
  await expect(progress).toContainText(`Event-store replay to ${FEED} (3 event types)`);
  await expect(progress).toContainText("done", { timeout: 20_000 });
  await expect(progress.getByTestId("operation-counts")).toHaveText(/^(\d+) \/ \1 events re-delivered$/);
  await expect(progress).toContainText(/[1-9]\d* applied by the consumer/);
  await shot(page, "messaging-outbox");
});
