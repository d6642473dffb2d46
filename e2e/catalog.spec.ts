import { expect, test } from "@playwright/test";
import { shot, signIn } from "./support/shots";

const OWNERS: Record<string, string> = {
  ai: "Applied AI",
  analytics: "Insights",
  assets: "Platform",
  auth: "Identity",
  projects: "Workspace",
  templates: "Templates Guild",
};

test("a visitor without a session is sent to the login page, which lists the seeded users", async ({ page }) => {
  await page.goto("/catalog");
  await expect(page).toHaveURL(/\/login\?next=%2Fcatalog$/);
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await expect(page.locator("button.user-pick")).toHaveCount(9);
  await shot(page, "login");
});

test("an engineer signs in and sees the six services with their owners and lifecycles", async ({ page }) => {
  await signIn(page, "priya.raman@templator.dev");
  const rows = page.locator("[data-testid=service-table] tbody tr");
  await expect(rows).toHaveCount(6);
  for (const [service, owner] of Object.entries(OWNERS)) {
    await expect(page.locator(`tr[data-service="${service}"]`)).toContainText(owner);
  }
  await expect(page.locator('tr[data-service="analytics"]')).toContainText("beta");
  await expect(page.getByTestId("user-menu")).toContainText("Priya Raman");
  await expect(page.getByTestId("sync-status")).toContainText("Last catalog sync");
  await shot(page, "catalog");
});

test("filters narrow the catalog by owner and by search", async ({ page }) => {
  await signIn(page, "priya.raman@templator.dev");
  await page.getByLabel("Owner").selectOption("team-platform");
  await expect(page.locator("[data-testid=service-table] tbody tr")).toHaveCount(1);
  await expect(page.locator('tr[data-service="assets"]')).toBeVisible();
  await page.getByLabel("Owner").selectOption("");
  await page.getByLabel("Search services").fill("retrieval");
  await expect(page.locator("[data-testid=service-table] tbody tr")).toHaveCount(1);
  await expect(page.locator('tr[data-service="ai"]')).toBeVisible();
  await page.getByLabel("Search services").fill("nothing-matches-this");
  await expect(page.getByText("No service matches these filters.")).toBeVisible();
  await shot(page, "catalog-filtered-empty");
});

test("a service page shows its owner team, on-call, APIs and who uses them", async ({ page }) => {
  await signIn(page, "jonas.meyer@templator.dev");
  await page.getByRole("link", { name: "Templates", exact: true }).click();
  await expect(page).toHaveURL(/\/catalog\/templates$/);
  const owner = page.getByTestId("owner-card");
  await expect(owner).toContainText("Templates Guild");
  await expect(owner).toContainText("templates-primary@templator.dev");
  await expect(owner).toContainText("Priya Raman");
  const provided = page.getByTestId("provided-apis");
  await expect(provided.locator("tr", { hasText: "templates-events" })).toContainText("Analytics");
  await expect(provided.locator("tr", { hasText: "templates-api" })).toContainText("Projects");
  await expect(page.getByTestId("consumed-apis")).toContainText("auth-api");
  await shot(page, "service-templates");
  // Consumers link to their own pages.
  await provided.getByRole("link", { name: "Projects" }).click();
  await expect(page.getByRole("heading", { name: "Projects" })).toBeVisible();
  await expect(page.getByTestId("owner-card")).toContainText("Workspace");
  await shot(page, "service-projects");
});

test("an unknown service says it is not in the catalog", async ({ page }) => {
  await signIn(page, "jonas.meyer@templator.dev", "/catalog/billing");
  await expect(page.getByRole("alert").filter({ hasText: "Could not load" })).toContainText('no service named "billing" in the catalog');
  await shot(page, "service-unknown");
});

test("a viewer cannot queue a sync; an engineer's Sync now runs one in the worker", async ({ page }) => {
  await signIn(page, "jonas.meyer@templator.dev");
  await expect(page.locator("[data-testid=service-table] tbody tr")).toHaveCount(6);
  await expect(page.getByRole("button", { name: "Sync now" })).toHaveCount(0);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);

  await signIn(page, "amara.okafor@templator.dev");
  await page.getByRole("button", { name: "Sync now" }).click();
  await expect(page.getByRole("button", { name: "Sync queued" })).toBeVisible();
  await expect(page.getByTestId("sync-status")).toContainText("(manual): succeeded", { timeout: 20_000 });
  await shot(page, "catalog-after-sync");
});

test("the health endpoint reports PostgreSQL, Redis and the worker", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  const body = await res.json();
  expect(body.status).toBe("ok");
  expect(body.checks.postgres.ok).toBe(true);
  expect(body.checks.queue).toMatchObject({ ok: true, backend: "redis" });
  expect(body.checks.worker.live).toBeGreaterThanOrEqual(1);
});
