import { expect, test } from "@playwright/test";
import { runDemoTraffic } from "../scripts/lib/traffic";
import { shot, signIn } from "./support/shots";

/**
 * The saga pages with the demo's data: a short burst of the start command's demo traffic (through the
 * gateway, over HTTP) publishes five templates and turns one down, then an engineer looks at the runs.
 */
test.beforeAll(async ({ baseURL }) => {
  test.setTimeout(240_000);
  await runDemoTraffic(baseURL!, { rounds: 2, pauseMs: 200, log: () => {} });
});

test("the saga list shows every publication run, completed and compensated, with its step trail", async ({ page }) => {
  await signIn(page, "priya.raman@templator.dev", "/sagas");
  const rows = page.locator("[data-testid=saga-table] tbody tr");
  await expect(rows).toHaveCount(6, { timeout: 60_000 });
  await expect(page.locator("[data-testid=saga-table] tbody tr", { hasText: "compensated" })).toHaveCount(1, { timeout: 60_000 });
  await expect(page.locator("[data-testid=saga-table] tbody tr", { hasText: "completed" })).toHaveCount(5, { timeout: 60_000 });
  await shot(page, "sagas");
  await page.getByLabel("Status").selectOption("compensated");
  await expect(rows).toHaveCount(1);
});

test("a compensated run's timeline shows the failed quality gate and the undo, and the steps it never reached", async ({ page }) => {
  await signIn(page, "priya.raman@templator.dev", "/sagas");
  await page.getByLabel("Status").selectOption("compensated");
  await page.locator("[data-testid=saga-table] tbody tr a").first().click();
  await expect(page.getByRole("heading", { name: /templates\.publish/ })).toBeVisible();
  await expect(page.getByTestId("saga-error")).toContainText("quality-gate: quality score");
  const steps = page.getByTestId("saga-steps");
  await expect(steps.locator('tr[data-step="quality-gate:forward"]')).toContainText("failed");
  await expect(steps.locator('tr[data-step="request-publication:compensate"]')).toContainText("succeeded");
  await expect(page.getByTestId("saga-plan").locator("li.saga-plan-unreached")).toHaveCount(2);
  await shot(page, "saga-compensated");
});

test("a completed run's timeline shows the four steps across three services", async ({ page }) => {
  await signIn(page, "priya.raman@templator.dev", "/sagas");
  await page.getByLabel("Status").selectOption("completed");
  await page.locator("[data-testid=saga-table] tbody tr a").first().click();
  const steps = page.getByTestId("saga-steps");
  await expect(steps.locator("tbody tr")).toHaveCount(4);
  for (const name of ["request-publication", "quality-gate", "check-assets", "publish"]) {
    await expect(steps.locator(`tr[data-step="${name}:forward"]`)).toContainText("succeeded");
  }
  await shot(page, "saga-completed");
});

test("a project's correlation id shows the choreographed chain: ProjectCreated, then the ai starter's prompt run", async ({ page }) => {
  await signIn(page, "kenji.watanabe@templator.dev", "/events");
  await page.getByLabel("Service").selectOption("projects");
  const created = page.locator('[data-testid=event-feed] tr[data-event="projects.ProjectCreated"]').first();
  await expect(created).toBeVisible({ timeout: 30_000 });
  await created.locator("a").click();
  await expect(page).toHaveURL(/correlation=demo-project-/);
  await page.getByLabel("Service").selectOption("");
  await expect(page.locator('[data-testid=event-feed] tr[data-event="projects.ProjectCreated"]')).toHaveCount(1, { timeout: 30_000 });
  await expect(page.locator('[data-testid=event-feed] tr[data-event="ai.PromptRunRecorded"]')).toContainText("outcome: success", { timeout: 30_000 });
  await shot(page, "events-project-chain");
});

test("a publication's correlation id shows its events with the saga run that caused them", async ({ page }) => {
  await signIn(page, "priya.raman@templator.dev", "/events");
  await page.goto("/events?correlation=demo-publish-incident-postmortem");
  await expect(page.locator('[data-testid=event-feed] tr[data-event="templates.TemplatePublished"]')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("chain-sagas")).toContainText("templates.publish");
  await expect(page.getByTestId("chain-sagas")).toContainText("completed");
  await shot(page, "events-publication-chain");
  await page.goto("/events");
  await expect(page.locator("[data-testid=event-feed] tbody tr").first()).toBeVisible();
  await shot(page, "events");
});
