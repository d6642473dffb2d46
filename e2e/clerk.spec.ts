import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { expect, test } from "@playwright/test";
import pg from "pg";
import { withDatabase } from "../server/db/pool";
import { fakeClerkIssuer } from "../tests/helpers/clerk-token";
import { TEST_PG_URL, TEST_REDIS_URL } from "../tests/helpers/env";
import { shot } from "./support/shots";

/**
 * The portal with Clerk configured (Clerk itself, a third party, is faked: a local key pair signs
 * Clerk-shaped session tokens and the browser's requests to Clerk's CDN get an empty answer).
 * It runs the same production build on the end-to-end database, with the development login off.
 */
const root = path.resolve(import.meta.dirname, "..");
const PORT = 3300;
const base = `http://127.0.0.1:${PORT}`;
const clerk = fakeClerkIssuer("clerk.switchyard.test");
let server: ChildProcess;

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  const db = new pg.Client({ connectionString: withDatabase(TEST_PG_URL, "switchyard_e2e") });
  await db.connect();
  await db.query("UPDATE auth.users SET clerk_user_id = 'user_2sofia' WHERE email = 'sofia.novak@templator.dev'");
  await db.end();
  const env: Record<string, string | undefined> = {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: withDatabase(TEST_PG_URL, "switchyard_e2e"),
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: "switchyard_e2e",
    DEV_LOGIN: "false",
    CLERK_PUBLISHABLE_KEY: clerk.publishableKey,
    CLERK_SECRET_KEY: clerk.secretKey,
    CLERK_JWT_KEY: clerk.jwtKey,
    CLERK_AUTHORIZED_PARTIES: base,
    CLERK_TELEMETRY_DISABLED: "1",
    LOG_LEVEL: "warn",
  };
  server = spawn(path.join(root, "node_modules/.bin/next"), ["start", "-H", "127.0.0.1", "-p", String(PORT)], { cwd: root, env: env as NodeJS.ProcessEnv, stdio: "ignore" });
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if ((await fetch(`${base}/api/health`).catch(() => undefined))?.ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error("the Clerk-configured portal did not start");
});

test.afterAll(() => {
  server?.kill("SIGTERM");
});

test.beforeEach(async ({ page }) => {
  // clerk-js would come from Clerk's CDN (the publishable key's domain): answer with nothing.
  await page.route("https://clerk.switchyard.test/**", (route) => route.fulfill({ status: 200, contentType: "application/javascript", body: "" }));
});

test("without a Clerk session, pages send the visitor to sign in and the dev login is not offered", async ({ page }) => {
  await page.goto(`${base}/catalog`);
  await expect(page).toHaveURL(/\/login\?next=%2Fcatalog$/);
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await expect(page.locator("button.user-pick")).toHaveCount(0);
  const devLogin = await fetch(`${base}/api/auth/dev-login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ userId: "x" }) });
  expect(devLogin.status).toBe(403);
});

test("a Clerk session for a linked user shows the catalog as that user", async ({ page, context }) => {
  await context.addCookies([{ name: "__session", value: clerk.token("user_2sofia", { azp: base }, 600), domain: "127.0.0.1", path: "/" }]);
  await page.goto(`${base}/catalog`);
  await expect(page.locator("[data-testid=service-table] tbody tr")).toHaveCount(6);
  await expect(page.getByTestId("user-menu")).toContainText("Sofia Novak · engineer");
  await expect(page.getByRole("button", { name: "Sync now" })).toBeVisible();
  await shot(page, "clerk-catalog");
});

test("an expired or foreign Clerk token gets no data", async ({ page, context }) => {
  const expired = clerk.token("user_2sofia", { azp: base }, 60, Math.floor(Date.now() / 1000) - 3600);
  await context.addCookies([{ name: "__session", value: expired, domain: "127.0.0.1", path: "/" }]);
  await page.goto(`${base}/catalog`);
  await expect(page.getByText("Your session has ended.")).toBeVisible();
  const foreign = fakeClerkIssuer("clerk.switchyard.test").token("user_2sofia", { azp: base });
  const res = await fetch(`${base}/api/trpc/auth.whoami`, { headers: { cookie: `__session=${foreign}` } });
  expect(res.status).toBe(401);
});
