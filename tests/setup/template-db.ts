import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { migrateDatabase } from "../../server/db/migrations";
import { withDatabase } from "../../server/db/pool";

const root = path.resolve(import.meta.dirname, "../..");

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = path.join(dir, e);
    if (e === "client") return [];
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

/** A hash of every schema and migration: the template is rebuilt only when they change. */
export function migrationsHash(): string {
  const h = createHash("sha256");
  for (const f of files(path.join(root, "prisma")).sort()) h.update(f).update(readFileSync(f));
  return h.digest("hex").slice(0, 12);
}

/**
 * Ensures a migrated template database exists (`sy_tpl_<hash>`); test files clone it with
 * CREATE DATABASE ... TEMPLATE, which takes milliseconds instead of re-running migrations.
 * Also drops test databases left behind by runs that crashed more than an hour ago.
 */
export async function ensureTemplateDatabase(adminUrl: string): Promise<string> {
  const name = `sy_tpl_${migrationsHash()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const existing = await admin.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname LIKE 'sy\\_tpl\\_%' OR datname LIKE 'sy\\_t\\_%'",
    );
    const cutoff = Math.floor(Date.now() / 1000) - 3600;
    for (const { datname } of existing.rows) {
      const stamp = /^sy_t_(\d+)_/.exec(datname)?.[1];
      const staleTest = stamp !== undefined && Number(stamp) < cutoff;
      const oldTemplate = datname.startsWith("sy_tpl_") && datname !== name;
      if (staleTest || oldTemplate) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
    if (existing.rows.some((r) => r.datname === name)) return name;
    const building = `${name}_build_${process.pid}`;
    await admin.query(`CREATE DATABASE "${building}"`);
    await migrateDatabase(withDatabase(adminUrl, building), { rootDir: root });
    try {
      await admin.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`);
    } catch {
      // Another run built it first.
      await admin.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`);
    }
    return name;
  } finally {
    await admin.end();
  }
}
