/**
 * `npm start`: a fresh clone to a running portal with demo data at http://127.0.0.1:3000.
 *   - PostgreSQL: DATABASE_URL, else an embedded PostgreSQL (data under .data/postgres)
 *   - queues: REDIS_URL, else a redis-server found on PATH (data under .data/redis), else BullMQ's PostgreSQL backend
 *   - migrations, demo data, a production build when needed, then web + worker; Ctrl-C stops everything.
 * `npm run dev` does the same with `next dev` instead of a production build.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ConfigError, parseConfig } from "../server/config";
import { migrateDatabase } from "../server/db/migrations";
import { buildNeeded } from "./lib/build-state";
import { type Embedded, findOnPath, startEmbeddedPostgres, startRedisServer } from "./lib/embedded";

const root = path.resolve(import.meta.dirname, "..");
const dev = process.argv.includes("--dev");
const say = (line: string) => console.log(`[switchyard] ${line}`);

function sessionSecret(dataDir: string): string {
  const file = path.join(dataDir, "session-secret");
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString("hex"), { mode: 0o600 });
  return readFileSync(file, "utf8").trim();
}

async function waitFor(what: string, timeoutMs: number, probe: () => Promise<boolean>, alive: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!alive()) throw new Error(`a process exited while waiting for ${what}`);
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
}

async function main(): Promise<void> {
  const env = { ...process.env };
  const config = parseConfig(env);
  mkdirSync(config.dataDir, { recursive: true });
  const stops: (() => Promise<void>)[] = [];
  const children: ChildProcess[] = [];
  let shuttingDown = false;
  // The demo traffic stops first, so no request is in flight while the processes shut down.
  const traffic = new AbortController();

  const shutdown = async (code: number) => {
    if (shuttingDown) return;
    shuttingDown = true;
    say("stopping…");
    traffic.abort();
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null || c.signalCode !== null) return resolve();
            const kill = setTimeout(() => c.kill("SIGKILL"), 10_000);
            c.once("exit", () => {
              clearTimeout(kill);
              resolve();
            });
            c.kill("SIGTERM");
          }),
      ),
    );
    for (const stop of stops.reverse()) await Promise.race([stop().catch(() => {}), new Promise((r) => setTimeout(r, 5000))]);
    say("stopped");
    process.exit(code);
  };
  process.on("SIGINT", () => void shutdown(0));
  process.on("SIGTERM", () => void shutdown(0));

  try {
    let databaseUrl = config.databaseUrl;
    if (databaseUrl) {
      say(`PostgreSQL: ${new URL(databaseUrl).host}${new URL(databaseUrl).pathname} (DATABASE_URL)`);
    } else {
      const pg: Embedded = await startEmbeddedPostgres(config.dataDir, config.embedded.pgPort, "switchyard");
      stops.push(pg.stop);
      databaseUrl = pg.url;
      say(`PostgreSQL: embedded, 127.0.0.1:${config.embedded.pgPort}, data in ${path.relative(root, config.dataDir) || "."}/postgres`);
    }
    env.DATABASE_URL = databaseUrl;

    const redisBin = findOnPath("redis-server");
    if (config.queueBackendForced === "postgres") {
      delete env.REDIS_URL;
      say("Queues: BullMQ's PostgreSQL backend (QUEUE_BACKEND=postgres)");
    } else if (env.REDIS_URL) {
      say(`Queues: Redis ${new URL(env.REDIS_URL).host} (REDIS_URL)`);
    } else if (redisBin) {
      const redis = await startRedisServer(redisBin, config.dataDir, config.embedded.redisPort);
      stops.push(redis.stop);
      env.REDIS_URL = redis.url;
      say(`Queues: Redis, ${redisBin} on 127.0.0.1:${config.embedded.redisPort}, data in ${path.relative(root, config.dataDir) || "."}/redis`);
    } else {
      env.QUEUE_BACKEND = "postgres";
      say("Queues: BullMQ's PostgreSQL backend (no REDIS_URL and no redis-server on PATH)");
    }

    const migrated = await migrateDatabase(databaseUrl, { rootDir: root });
    const applied = migrated.flatMap((m) => m.applied.map((a) => `${m.schema}/${a}`));
    say(`Migrations: ${applied.length ? `applied ${applied.join(", ")}` : "up to date"}`);

    if (!dev) {
      env.NODE_ENV = "production";
      // The demo portal signs in with seeded users; production deployments leave DEV_LOGIN unset.
      env.DEV_LOGIN ??= "true";
      // ... and lets the demo inject a few poison messages for the DLQ console to show.
      env.CHAOS_ENABLED ??= "true";
      env.SESSION_SECRET ??= sessionSecret(config.dataDir);
    }
    env.NEXT_TELEMETRY_DISABLED = "1";
    const runConfig = parseConfig(env);

    const { seedDemoData } = await import("./lib/seed");
    const seeded = await seedDemoData(runConfig);
    say(`Demo data: ${seeded}`);

    const nextBin = path.join(root, "node_modules", ".bin", "next");
    if (!dev) {
      const why = buildNeeded(root);
      if (why) {
        say(`Building the portal (${why}); the first build takes a minute or two…`);
        const build = spawnSync(nextBin, ["build"], { cwd: root, env, stdio: "inherit" });
        if (build.status !== 0) throw new Error("next build failed");
      }
    }

    const spawnChild = (name: string, cmd: string, args: string[]) => {
      const child = spawn(cmd, args, { cwd: root, env, stdio: "inherit" });
      child.on("exit", (code, signal) => {
        if (!shuttingDown) {
          say(`${name} exited (${signal ?? `code ${code}`}); stopping the rest`);
          void shutdown(1);
        }
      });
      children.push(child);
      return child;
    };
    spawnChild("worker", process.execPath, ["--import", "tsx", "workers/main.ts"]);
    spawnChild("web", nextBin, [dev ? "dev" : "start", "-H", runConfig.host, "-p", String(runConfig.port)]);

    const base = `http://${runConfig.host}:${runConfig.port}`;
    const alive = () => children.every((c) => c.exitCode === null && c.signalCode === null);
    await waitFor("the health check", 180_000, async () => (await fetch(`${base}/api/health`)).status === 200, alive);
    const { countCatalogServices } = await import("./lib/seed");
    await waitFor("the catalog to load", 60_000, async () => (await countCatalogServices(runConfig)) > 0, alive);
    say(`Ready: ${base}  (sign in as any seeded user${runConfig.devLoginEnabled ? "" : " via Clerk"}; Ctrl-C stops)`);
    if (runConfig.demoTraffic && runConfig.devLoginEnabled) {
      say("Demo traffic: templates, publications, assets, projects, generations and a few failures, through the gateway (DEMO_TRAFFIC=false turns it off)");
      const { runDemoTraffic } = await import("./lib/traffic");
      void runDemoTraffic(base, { signal: traffic.signal, log: (line) => say(`demo traffic: ${line}`) }).catch((err: unknown) => {
        if (!traffic.signal.aborted) say(`demo traffic stopped: ${(err as Error).message}`);
      });
    }
  } catch (err) {
    console.error(`[switchyard] ${err instanceof ConfigError ? err.message : (err as Error).message}`);
    await shutdown(1);
  }
}

void main();
