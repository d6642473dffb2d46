import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";

const dir = path.resolve(import.meta.dirname, "..", "screenshots");

/** Saves a full-page screenshot of what the user sees to e2e/screenshots/<name>.png. */
export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}

/** Signs in through the development login page as the seeded user with `email`. */
export async function signIn(page: Page, email: string, next = "/catalog"): Promise<void> {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await page.locator(`button[data-email="${email}"]`).click();
  await page.waitForURL((url) => url.pathname === next);
}
