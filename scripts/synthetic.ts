/**
 * npm run synthetic [-- --base http://127.0.0.1:3000] [-- --only <regex>]
 *
 * End-to-end synthetic checks through the gateway: every Templator scenario (templates, the publication
 * saga both ways, ai analyze/generate/retrieval, assets, the project chain, analytics and reports, and
 * the gateway's refusals), driven over HTTP as seeded users. Without --base it starts a portal of its
 * own exactly as `npm start` does, on a fresh database of the machine's PostgreSQL, and stops it after.
 * Exits non-zero when any scenario fails.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import pg from "pg";
import { withDatabase } from "../server/db/pool";
import { TEST_PG_URL, TEST_REDIS_URL } from "../tests/helpers/env";
import { PortalClient } from "./lib/portal-client";
import { runScenarios } from "./lib/scenarios";

const root = path.resolve(import.meta.dirname, "..");
const argValue = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};

async function startOwnPortal(port: number): Promise<{ base: string; stop(): Promise<void> }> {
  const db = "switchyard_synthetic";
  const admin = new pg.Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${db}"`);
  await admin.end();
  const env: Record<string, string | undefined> = {
    ...process.env,
    DATABASE_URL: withDatabase(TEST_PG_URL, db),
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: `synthetic_${randomBytes(3).toString("hex")}`,
    PORT: String(port),
    HOST: "127.0.0.1",
    SWITCHYARD_DATA_DIR: ".data/synthetic",
    LOG_LEVEL: "warn",
    DEMO_TRAFFIC: "false",
  };
  delete env.NODE_ENV;
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], { cwd: root, env: env as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the portal did not start within 5 minutes")), 300_000);
    child.stdout!.on("data", (d: Buffer) => {
      process.stdout.write(d);
      if (d.toString().includes("[switchyard] Ready")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => reject(new Error(`the portal exited with ${code} before it was ready`)));
  });
  return {
    base: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const force = setTimeout(() => child.kill("SIGKILL"), 20_000);
        child.once("exit", () => (clearTimeout(force), resolve()));
        child.kill("SIGTERM");
      }),
  };
}

async function main(): Promise<number> {
  const given = argValue("base");
  const only = argValue("only");
  const portal = given ? { base: given.replace(/\/$/, ""), stop: async () => {} } : await startOwnPortal(Number(argValue("port") ?? 3200));
  try {
    console.log(`synthetic checks against ${portal.base}`);
    const clients = {
      engineer: await PortalClient.signIn(portal.base, "priya.raman@templator.dev"),
      viewer: await PortalClient.signIn(portal.base, "jonas.meyer@templator.dev"),
      tag: randomBytes(3).toString("hex"),
    };
    const { ok, lines } = await runScenarios(clients, only ? new RegExp(only) : undefined);
    const failed = lines.filter((l) => l.startsWith("FAIL")).length;
    console.log(`\n${lines.length - failed} passed, ${failed} failed`);
    return ok ? 0 : 1;
  } finally {
    await portal.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`synthetic: ${(err as Error).message}`);
    process.exit(2);
  },
);
