import { expect, test } from "@playwright/test";
import { shot, signIn } from "./support/shots";

/**
 * The contract browser with the start command's demo contract history (services/contracts/demo.ts):
 * every Templator service at 1.0.0, templates also at 0.9.0 and 2.0.0-beta.1 (breaking), pacts with
 * their verifications, deployments to staging and production.
 */
const ENGINEER = "priya.raman@templator.dev";

test("the contracts page lists every service with its counts, versions and verification", async ({ page }) => {
  await signIn(page, ENGINEER, "/contracts");
  const templates = page.locator('[data-testid=contract-services] tr[data-service="templates"]');
  await expect(templates).toContainText("Templator Templates API");
  await expect(templates).toContainText("2.0.0-beta.1");
  await expect(templates).toContainText("production 1.0.0");
  await expect(templates.locator("[data-status]")).toHaveAttribute("data-status", "failed");
  for (const s of ["ai", "analytics", "assets", "projects"]) await expect(page.locator(`[data-testid=contract-services] tr[data-service="${s}"]`)).toBeVisible();
  await shot(page, "contracts");
});

test("a service's page shows its operations, events with every schema version, consumers and deprecations", async ({ page }) => {
  await signIn(page, ENGINEER, "/contracts");
  await page.locator('[data-testid=contract-services] tr[data-service="templates"] a').first().click();
  await expect(page.getByRole("heading", { name: "Templator Templates API" })).toBeVisible();
  const ops = page.getByTestId("operations");
  await expect(ops.locator("[data-operation]")).toHaveCount(10);
  await expect(ops.locator('[data-operation="POST /templates"]')).toContainText("Create a draft template");
  const first = ops.locator("details[open]").first();
  await expect(first).toContainText("Example");
  await shot(page, "contracts-service-operations");

  await page.getByRole("button", { name: /^Events/ }).click();
  const published = page.locator('[data-event="templator.events.v1.templates.TemplatePublished"]');
  await expect(published.locator("[data-version]")).toHaveCount(5);
  await published.locator('[data-version="broker:2.0.0-beta.1"]').click();
  await expect(published).toContainText("schema version v2");
  await expect(published.getByTestId("event-schema")).toContainText("publishedAt");
  await expect(published.getByTestId("event-schema")).toContainText("deprecated · sunset 2027-03-31");
  await shot(page, "contracts-service-events");

  await page.getByRole("button", { name: /^Consumers/ }).click();
  const consumers = page.getByTestId("consumers");
  await expect(consumers.locator('tr[data-consumer="projects"]').first()).toContainText("pact");
  await expect(consumers.locator('tr[data-consumer="analytics"]').first()).toBeVisible();
  await expect(consumers.locator('[data-source="code"]').first()).toBeVisible();
  await shot(page, "contracts-service-consumers");

  await page.getByRole("button", { name: /^Deprecations/ }).click();
  const deprecations = page.getByTestId("deprecations");
  await expect(deprecations).toContainText("GET /modules/{id}");
  await expect(deprecations).toContainText("2027-03-31");
  await expect(deprecations).toContainText("TemplatePublished.publishedBy");
  await shot(page, "contracts-service-deprecations");
});

test("the diff of templates 1.0.0 and 2.0.0-beta.1 is breaking, with every change explained and marked side by side", async ({ page }) => {
  await signIn(page, ENGINEER, "/contracts/templates");
  await page.getByTestId("compare-api").click();
  await expect(page).toHaveURL(/from=broker%3A1\.0\.0&to=broker%3A2\.0\.0-beta\.1/);
  const verdict = page.getByTestId("verdict");
  await expect(verdict).toContainText("breaking");
  await expect(verdict).toContainText("BACKWARD");
  const required = page.locator('[data-testid=changes] tr[data-change="new-required-request-property"]');
  await expect(required).toContainText("ERR");
  await expect(required).toContainText("POST /templates");
  await expect(required).toContainText("Why: Clients built against the old contract do not send this property");
  await expect(page.locator('[data-testid=changes] tr[data-change="response-property-removed"]').filter({ hasText: "GET /templates/{id}" })).toContainText("deprecationReason");
  await expect(page.locator("[data-testid=changes] tr[data-level=INFO]").first()).toBeVisible();
  await required.click();
  const sbs = page.getByTestId("side-by-side");
  await expect(sbs.locator("tr[data-changes]").filter({ hasText: '"ownerTeam"' }).first()).toBeVisible();
  await expect(sbs.locator('tr[data-kind="removed"]').filter({ hasText: "deprecationReason" }).first()).toBeAttached();
  await shot(page, "contracts-diff-openapi");

  await page.getByLabel("From").selectOption("broker:0.9.0");
  await page.getByLabel("To").selectOption("broker:1.0.0");
  await expect(page).toHaveURL(/from=broker%3A0\.9\.0&to=broker%3A1\.0\.0/);
  await expect(page.getByTestId("verdict")).toContainText("compatible");
  await expect(page.locator('[data-testid=changes] tr[data-change="endpoint-added"]')).toBeVisible();
  await shot(page, "contracts-diff-openapi-compatible");
});

test("an event's v1 -> v2 diff explains the breaking schema change", async ({ page }) => {
  await signIn(page, ENGINEER, "/contracts/templates");
  await page.goto("/contracts/templates/diff?kind=event&subject=templator.events.v1.templates.TemplatePublished&from=released%3Av1&to=broker%3A2.0.0-beta.1&mode=FULL");
  const verdict = page.getByTestId("verdict");
  await expect(verdict).toContainText("breaking");
  await expect(verdict).toContainText("FULL");
  const changes = page.getByTestId("changes");
  await expect(changes.locator("tr[data-level=ERR]").filter({ hasText: "#/properties/publishedAt" }).first()).toContainText("Why:");
  await expect(changes.locator("tr[data-level=ERR]").filter({ hasText: "#/properties/title" }).first()).toBeVisible();
  await shot(page, "contracts-diff-event");
});

test("the matrix shows consumers x providers with verification status, versions and deployments", async ({ page }) => {
  await signIn(page, ENGINEER, "/contracts/matrix");
  const cell = (consumer: string, provider: string) => page.locator(`[data-testid=matrix-cell][data-consumer="${consumer}"][data-provider="${provider}"]`);
  await expect(cell("projects", "templates")).toHaveAttribute("data-status", "failed");
  await expect(cell("projects", "templates")).toContainText("HTTP pact");
  await expect(cell("projects", "templates")).toContainText("templates 2.0.0-beta.1");
  await expect(cell("projects", "templates")).toContainText("templates 1.0.0");
  await expect(cell("projects", "templates")).toContainText("production 1.0.0");
  await expect(cell("analytics", "templates")).toContainText("message pact");
  await expect(cell("ai", "assets")).toHaveAttribute("data-status", "ok");
  await expect(page.getByTestId("matrix-legend")).toContainText("the newest verification failed");
  await shot(page, "contracts-matrix");
});
