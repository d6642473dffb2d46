import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { shot } from "./support/shots";

/**
 * The README's first command on a machine with nothing configured: `npm start` with DATABASE_URL and
 * REDIS_URL unset brings up an embedded PostgreSQL and a queue backend by itself, and Ctrl-C stops it all.
 */
const root = path.resolve(import.meta.dirname, "..");

type Started = { child: ChildProcess; output: () => string; base: string; dataDir: string };

function startPortal(ports: { web: number; pg: number; redis: number }, extraEnv: Record<string, string> = {}): Promise<Started> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "sy-embedded-"));
  const env: Record<string, string | undefined> = { ...process.env };
  for (const k of ["DATABASE_URL", "REDIS_URL", "QUEUE_BACKEND", "QUEUE_PREFIX", "NODE_ENV", "DEV_LOGIN", "SESSION_SECRET"]) delete env[k];
  Object.assign(env, {
    PORT: String(ports.web),
    EMBEDDED_PG_PORT: String(ports.pg),
    EMBEDDED_REDIS_PORT: String(ports.redis),
    SWITCHYARD_DATA_DIR: dataDir,
    LOG_LEVEL: "warn",
    ...extraEnv,
  });
  // Its own process group, so the test can send Ctrl-C's SIGINT to all of it, as a terminal does.
  const child = spawn("npm", ["start"], { cwd: root, env: env as NodeJS.ProcessEnv, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start was not ready in time:\n${out}`)), 180_000);
    const check = setInterval(() => {
      if (/\[switchyard\] Ready/.test(out)) {
        clearInterval(check);
        clearTimeout(timer);
        resolve({ child, output: () => out, base: `http://127.0.0.1:${ports.web}`, dataDir });
      } else if (child.exitCode !== null) {
        clearInterval(check);
        clearTimeout(timer);
        reject(new Error(`npm start exited with ${child.exitCode}:\n${out}`));
      }
    }, 200);
  });
}

/** Sends SIGINT to the whole group, as Ctrl-C in a terminal does; resolves with how npm ended. */
async function pressCtrlC(started: Started): Promise<string> {
  // "exit" can come before the last output has been read from the pipe (the script prints "stopped" just
  // before it exits), and npm may exit before the script it runs: wait for the pipe to close too (all its
  // writers gone), or at most 15 s more.
  const exited = new Promise<string>((resolve) =>
    started.child.once("exit", (code, signal) => {
      const how = signal ?? `code ${code}`;
      const late = setTimeout(() => resolve(how), 15_000);
      started.child.once("close", () => (clearTimeout(late), resolve(how)));
    }),
  );
  process.kill(-started.child.pid!, "SIGINT");
  return Promise.race([exited, new Promise<string>((_, reject) => setTimeout(() => reject(new Error("did not stop within 45 s")), 45_000))]);
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, "127.0.0.1");
    s.once("connect", () => (s.destroy(), resolve(true)));
    s.once("error", () => resolve(false));
  });
}

test.describe.configure({ mode: "serial", timeout: 300_000 });

for (const variant of [
  { name: "redis-server from PATH", ports: { web: 3200, pg: 54339, redis: 63809 }, env: {} as Record<string, string>, backend: "redis" },
  { name: "BullMQ's PostgreSQL backend", ports: { web: 3201, pg: 54340, redis: 63810 }, env: { QUEUE_BACKEND: "postgres" }, backend: "postgres" },
] as const) {
  test(`npm start with nothing configured runs on an embedded PostgreSQL and ${variant.name}`, async ({ browser }) => {
    const started = await startPortal(variant.ports, variant.env);
    try {
      const out = started.output();
      expect(out).toContain(`PostgreSQL: embedded, 127.0.0.1:${variant.ports.pg}`);
      expect(out).toContain(variant.backend === "redis" ? `Queues: Redis, ` : "Queues: BullMQ's PostgreSQL backend");
      expect(existsSync(path.join(started.dataDir, "postgres", "PG_VERSION"))).toBe(true);

      const health = await fetch(`${started.base}/api/health`);
      expect(health.status).toBe(200);
      const report = (await health.json()) as { checks: { queue: { backend: string; detail: string }; worker: { live: number } } };
      expect(report.checks.queue.backend).toBe(variant.backend);
      expect(report.checks.worker.live).toBe(1);

      const context = await browser.newContext({ baseURL: started.base });
      const page = await context.newPage();
      await page.goto("/catalog");
      await page.locator('button[data-email="yara.haddad@templator.dev"]').click();
      await expect(page.locator("[data-testid=service-table] tbody tr")).toHaveCount(6);
      await expect(page.locator('tr[data-service="analytics"]')).toContainText("Insights");
      await shot(page, `embedded-${variant.backend}-catalog`);
      await context.close();

      // npm re-raises the interrupt it was given (a shell shows 130), after the script has stopped everything.
      expect(["code 0", "SIGINT"]).toContain(await pressCtrlC(started));
      expect(started.output()).toContain("[switchyard] stopped");
      expect(await portOpen(variant.ports.web)).toBe(false);
      expect(await portOpen(variant.ports.pg)).toBe(false);
      if (variant.backend === "redis") expect(await portOpen(variant.ports.redis)).toBe(false);
    } finally {
      try {
        process.kill(-started.child.pid!, "SIGKILL"); // whatever is left of the group, if a check failed
      } catch {
        // already gone
      }
      rmSync(started.dataDir, { recursive: true, force: true });
    }
  });
}
