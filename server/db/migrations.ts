import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { ALL_SCHEMAS, EXTERNAL_TABLES, type SchemaName } from "./schemas";
import { engineErrorMessage, openSchemaEngine } from "./schema-engine";

/**
 * Per-service migrations: `prisma/<schema>/schema.prisma` and `prisma/<schema>/migrations/<ts>_<name>/migration.sql`,
 * committed as SQL, applied in order, recorded in `<schema>._prisma_migrations` (Prisma's own history table).
 */

function filtersFor(schema: SchemaName) {
  return { externalTables: EXTERNAL_TABLES[schema] ?? [], externalEnums: [] };
}
const LOCKFILE = "migration_lock.toml";
const LOCKFILE_CONTENT = '# Written by Switchyard (see docs/decisions/002-offline-migrations.md)\nprovider = "postgresql"\n';
// Arbitrary, fixed: serialises concurrent `db:migrate` runs against one database.
const MIGRATION_LOCK_KEY = 7_310_482_116;

/**
 * adapter-pg runs a migration script by splitting it on ";", which breaks function bodies and string
 * literals. Send the whole script as one simple-protocol query instead: the server parses it, and
 * runs it as one implicit transaction, so a failing migration leaves nothing half-applied.
 */
class WholeScriptPg extends PrismaPg {
  override async connect() {
    const adapter = await super.connect();
    const pool = adapter.underlyingDriver();
    adapter.executeScript = async (script: string) => {
      try {
        await pool.query(script);
      } catch (err) {
        (adapter as unknown as { onError(e: unknown): never }).onError(err);
      }
    };
    return adapter;
  }
}

export type SchemaPaths = { schemaFile: string; migrationsDir: string };

/** Where a schema's Prisma file and migrations live. */
export function schemaPaths(rootDir: string, schema: SchemaName): SchemaPaths {
  const dir = path.join(rootDir, "prisma", schema);
  return { schemaFile: path.join(dir, "schema.prisma"), migrationsDir: path.join(dir, "migrations") };
}

type MigrationList = {
  baseDir: string;
  lockfile: { path: string; content: string | null };
  shadowDbInitScript: string;
  migrationDirectories: { path: string; migrationFile: { path: string; content: { tag: "ok"; value: string } } }[];
};

/** Reads a schema's committed migrations in name (timestamp) order. */
export async function readMigrationList(paths: SchemaPaths): Promise<MigrationList> {
  const dirs = existsSync(paths.migrationsDir)
    ? (await readdir(paths.migrationsDir, { withFileTypes: true }))
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
    : [];
  const migrationDirectories = await Promise.all(
    dirs.map(async (name) => ({
      path: name,
      migrationFile: {
        path: "migration.sql",
        content: {
          tag: "ok" as const,
          value: await readFile(path.join(paths.migrationsDir, name, "migration.sql"), "utf8"),
        },
      },
    })),
  );
  const lockPath = path.join(paths.migrationsDir, LOCKFILE);
  return {
    baseDir: paths.migrationsDir,
    lockfile: {
      path: LOCKFILE,
      content: existsSync(lockPath) ? await readFile(lockPath, "utf8") : LOCKFILE_CONTENT,
    },
    shadowDbInitScript: "",
    migrationDirectories,
  };
}

export type MigrateResult = { schema: SchemaName; applied: string[] };

/** Thrown when a migration cannot be applied; names the schema and carries the database's reason. */
export class MigrationError extends Error {
  constructor(
    public readonly schema: string,
    reason: string,
  ) {
    super(`migrating schema "${schema}" failed: ${reason}`);
    this.name = "MigrationError";
  }
}

/**
 * Applies every pending migration of the given schemas (all by default), one schema at a time,
 * under an advisory lock so concurrent runs against one database take turns.
 */
export async function migrateDatabase(
  databaseUrl: string,
  opts: { rootDir: string; schemas?: readonly SchemaName[]; log?: (line: string) => void },
): Promise<MigrateResult[]> {
  const lockClient = new pg.Client({ connectionString: databaseUrl });
  await lockClient.connect();
  const results: MigrateResult[] = [];
  try {
    await lockClient.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    for (const schema of opts.schemas ?? ALL_SCHEMAS) {
      results.push({ schema, applied: await migrateSchema(databaseUrl, schema, opts.rootDir, opts.log) });
    }
  } finally {
    await lockClient.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => {});
    await lockClient.end();
  }
  return results;
}

async function migrateSchema(
  databaseUrl: string,
  schema: SchemaName,
  rootDir: string,
  log?: (line: string) => void,
): Promise<string[]> {
  const paths = schemaPaths(rootDir, schema);
  const migrationsList = await readMigrationList(paths);
  // The history table is created unqualified; pinning search_path keeps it inside the service's schema.
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2, options: `-c search_path=${schema}` });
  try {
    await pool.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    const engine = await openSchemaEngine(
      paths.schemaFile,
      await readFile(paths.schemaFile, "utf8"),
      new WholeScriptPg(pool, { schema }),
      log,
    );
    try {
      const out = await engine.applyMigrations({ migrationsList, filters: filtersFor(schema) });
      return out.appliedMigrationNames;
    } catch (err) {
      throw new MigrationError(schema, engineErrorMessage(err));
    } finally {
      engine.free();
    }
  } finally {
    await pool.end();
  }
}

/** A PGlite factory used as the shadow database: in-process, so no second PostgreSQL is needed. */
function pgliteShadowFactory(): unknown {
  const factory = new PrismaPGlite(new PGlite()) as PrismaPGlite & { connectToShadowDb?: () => Promise<unknown> };
  factory.connectToShadowDb = async () => new PrismaPGlite(new PGlite()).connect();
  return factory;
}

/**
 * The SQL that takes a database from the schema's committed migrations to its current `schema.prisma`,
 * computed by replaying the migrations into an in-memory PGlite shadow database. Empty when they agree.
 */
export async function diffSchema(rootDir: string, schema: SchemaName): Promise<string> {
  const paths = schemaPaths(rootDir, schema);
  const content = await readFile(paths.schemaFile, "utf8");
  const engine = await openSchemaEngine(paths.schemaFile, content, pgliteShadowFactory());
  try {
    const out = await engine.diff({
      from: { tag: "migrations", ...(await readMigrationList(paths)) },
      to: { tag: "schemaDatamodel", files: [{ path: paths.schemaFile, content }] },
      script: true,
      exitCode: null,
      filters: filtersFor(schema),
    });
    const sql = (out.stdout ?? "").trim();
    return sql === "-- This is an empty migration." ? "" : sql;
  } catch (err) {
    throw new MigrationError(schema, engineErrorMessage(err));
  } finally {
    engine.free();
  }
}

/** Timestamp prefix in Prisma's style (UTC, YYYYMMDDHHMMSS) so directories sort by creation. */
export function migrationTimestamp(d = new Date()): string {
  return d.toISOString().replace(/[-:T]/g, "").slice(0, 14);
}

/**
 * Writes a new migration for `schema` from the difference between its migrations and `schema.prisma`.
 * Returns the directory written, or `undefined` when there is nothing to migrate.
 */
export async function createMigration(
  rootDir: string,
  schema: SchemaName,
  name: string,
  now = new Date(),
): Promise<string | undefined> {
  if (!/^[a-z0-9_]+$/.test(name)) {
    throw new MigrationError(schema, `migration name "${name}" must be lowercase letters, digits and underscores`);
  }
  const sql = await diffSchema(rootDir, schema);
  if (!sql) return undefined;
  const paths = schemaPaths(rootDir, schema);
  const dir = path.join(paths.migrationsDir, `${migrationTimestamp(now)}_${name}`);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, "migration.sql"), `${sql}\n`);
  const lockPath = path.join(paths.migrationsDir, LOCKFILE);
  if (!existsSync(lockPath)) await writeFile(lockPath, LOCKFILE_CONTENT);
  return dir;
}
