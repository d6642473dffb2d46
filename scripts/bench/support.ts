import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import pg from "pg";
import { migrateDatabase } from "../../server/db/migrations";
import { withDatabase } from "../../server/db/pool";

export const root = path.resolve(import.meta.dirname, "../..");

/** A fresh, migrated database for a benchmark run. */
export async function freshDatabase(adminUrl: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = withDatabase(adminUrl, name);
  await migrateDatabase(url, { rootDir: root });
  return url;
}

/**
 * Starts a child process (node + tsx) and resolves once it prints `ready`. With BENCH_CPU_PROF=<dir>
 * each child writes a V8 CPU profile there when it exits (open it in Chrome DevTools).
 */
export function startChild(script: string, env: Record<string, string>, ready = "ready"): Promise<ChildProcess> {
  const prof = process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const child = spawn(process.execPath, [...prof, "--import", "tsx", script], { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => d.toString().includes(ready) && resolve(child));
    child.once("exit", (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const t = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => (clearTimeout(t), resolve()));
    child.kill("SIGTERM");
  });
}

/** The p-th percentile (0-100) of sorted numbers. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
