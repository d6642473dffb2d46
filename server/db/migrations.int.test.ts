import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_PG_URL } from "@/tests/helpers/env";
import { ROOT } from "@/tests/helpers/test-app";
import { createMigration, migrateDatabase, MigrationError } from "./migrations";
import { withDatabase } from "./pool";
import { ALL_SCHEMAS } from "./schemas";

const dbName = `sy_t_${Math.floor(Date.now() / 1000)}_migr${process.pid}`;
const url = withDatabase(TEST_PG_URL, dbName);
let admin: pg.Client;
let tmpRoot: string;

async function query<T extends pg.QueryResultRow>(sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql)).rows;
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  admin = new pg.Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${dbName}"`);
  tmpRoot = await mkdtemp(path.join(os.tmpdir(), "sy-migrations-"));
  await cp(path.join(ROOT, "prisma"), path.join(tmpRoot, "prisma"), { recursive: true, filter: (src) => !src.includes(`${path.sep}client`) });
});

afterAll(async () => {
  await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  await admin.end();
  await rm(tmpRoot, { recursive: true, force: true });
});

describe("per-service migrations", () => {
  it("two concurrent runs on a fresh database give every service its schema and its own history", async () => {
    const [a, b] = await Promise.all([migrateDatabase(url, { rootDir: ROOT }), migrateDatabase(url, { rootDir: ROOT })]);
    const applied = [...a, ...b].flatMap((r) => r.applied.map((m) => `${r.schema}/${m}`));
    const committed = (
      await Promise.all(
        ALL_SCHEMAS.map(async (s) =>
          (await readdir(path.join(ROOT, "prisma", s, "migrations")).catch(() => [])).filter((d) => /^\d{14}_/.test(d)).map((d) => `${s}/${d}`),
        ),
      )
    ).flat();
    expect(applied.sort()).toEqual(committed.sort()); // each migration applied exactly once
    const schemas = await query<{ nspname: string }>("SELECT nspname FROM pg_namespace");
    expect(schemas.map((s) => s.nspname)).toEqual(expect.arrayContaining([...ALL_SCHEMAS]));
    const history = await query<{ migration_name: string }>("SELECT migration_name FROM catalog._prisma_migrations WHERE finished_at IS NOT NULL");
    expect(history.map((h) => h.migration_name)).toEqual(committed.filter((c) => c.startsWith("catalog/")).map((c) => c.slice(8)));
    const tables = await query<{ table_schema: string; table_name: string }>(
      "SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema IN ('auth','catalog','portal') ORDER BY 1, 2",
    );
    expect(tables.map((t) => `${t.table_schema}.${t.table_name}`)).toEqual([
      "auth._prisma_migrations", "auth.inbox", "auth.memberships", "auth.outbox", "auth.teams", "auth.users",
      "catalog._prisma_migrations", "catalog.entities", "catalog.relations", "catalog.sync_runs",
      "portal._prisma_migrations", "portal.idempotency_keys", "portal.worker_heartbeats",
    ]);
  });

  it("applies nothing when the database is up to date", async () => {
    const again = await migrateDatabase(url, { rootDir: ROOT });
    expect(again.every((r) => r.applied.length === 0)).toBe(true);
  });

  it("creates a migration from a schema change, and applies it to that service's schema only", { timeout: 60_000 }, async () => {
    const schemaFile = path.join(tmpRoot, "prisma/templates/schema.prisma");
    await writeFile(
      schemaFile,
      `${await readFile(schemaFile, "utf8")}
model Widget {
  id   String @id
  name String
  @@map("widgets")
  @@schema("templates")
}
`,
    );
    const dir = await createMigration(tmpRoot, "templates", "add_widgets", new Date("2030-01-02T03:04:05Z"));
    expect(path.basename(dir!)).toBe("20300102030405_add_widgets");
    const sql = await readFile(path.join(dir!, "migration.sql"), "utf8");
    expect(sql).toContain('CREATE TABLE "templates"."widgets"');
    expect(await createMigration(tmpRoot, "templates", "again")).toBeUndefined();

    const result = await migrateDatabase(url, { rootDir: tmpRoot, schemas: ["templates"] });
    expect(result).toEqual([{ schema: "templates", applied: ["20300102030405_add_widgets"] }]);
    const rows = await query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'templates'");
    expect(rows.map((r) => r.table_name).sort()).toEqual(["_prisma_migrations", "inbox", "modules", "outbox", "template_versions", "templates", "widgets"]);
  });

  it("refuses a migration name that is not lowercase_with_underscores", async () => {
    await expect(createMigration(tmpRoot, "ai", "Add Widgets")).rejects.toThrow(/must be lowercase/);
  });

  it("names the schema and the database's reason when a migration fails", async () => {
    const dir = path.join(tmpRoot, "prisma/ai/migrations/20300101000000_broken");
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, "migration.sql"), 'CREATE TABLE "ai"."runs" (id int REFERENCES nowhere(id));\n');
    const err = await migrateDatabase(url, { rootDir: tmpRoot, schemas: ["ai"] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MigrationError);
    expect((err as Error).message).toMatch(/migrating schema "ai" failed/);
    expect((err as Error).message).toMatch(/nowhere/);
  });
});
