/**
 * The end-to-end server: a fresh database and Redis namespace on the machine's services, then the
 * portal started exactly as `npm start` starts it (scripts/start.ts: migrations, demo data, web, worker).
 */
import { spawn } from "node:child_process";
import path from "node:path";
import pg from "pg";
import { withDatabase } from "../../server/db/pool";
import { TEST_PG_URL, TEST_REDIS_URL } from "../../tests/helpers/env";
import { deleteRedisPrefix } from "../../tests/helpers/test-app";

const root = path.resolve(import.meta.dirname, "../..");
const DB = "switchyard_e2e";
const PREFIX = "switchyard_e2e";

async function main(): Promise<void> {
  const admin = new pg.Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${DB}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${DB}"`);
  await admin.end();
  await deleteRedisPrefix(PREFIX);

  const env: Record<string, string | undefined> = {
    ...process.env,
    DATABASE_URL: withDatabase(TEST_PG_URL, DB),
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: PREFIX,
    PORT: process.env.E2E_PORT ?? "3100",
    HOST: "127.0.0.1",
    SWITCHYARD_DATA_DIR: ".data/e2e",
    LOG_LEVEL: "warn",
    // Specs make the data they assert on; e2e/sagas.spec.ts runs a short burst of the demo traffic itself.
    DEMO_TRAFFIC: "false",
  };
  delete env.NODE_ENV;
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], { cwd: root, env: env as NodeJS.ProcessEnv, stdio: "inherit" });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on("SIGTERM", () => forward("SIGTERM"));
  process.on("SIGINT", () => forward("SIGINT"));
  child.on("exit", (code) => process.exit(code ?? 0));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
