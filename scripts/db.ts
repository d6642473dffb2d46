/**
 * Database commands (see README "Database"):
 *   db.ts migrate                     apply pending migrations of every schema to DATABASE_URL
 *   db.ts create <schema> <name>      write a new migration from the change in prisma/<schema>/schema.prisma
 *   db.ts check                       fail when any schema.prisma differs from its committed migrations
 *   db.ts generate                    generate every schema's Prisma client (runs on npm install)
 */
import { spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ConfigError, getConfig, requireDatabaseUrl } from "../server/config";
import { createMigration, diffSchema, migrateDatabase, MigrationError } from "../server/db/migrations";
import { ALL_SCHEMAS, isSchemaName } from "../server/db/schemas";

const root = path.resolve(import.meta.dirname, "..");

function usage(message?: string): never {
  if (message) console.error(`error: ${message}`);
  console.error("usage: db.ts migrate | create <schema> <name> | check | generate");
  console.error(`schemas: ${ALL_SCHEMAS.join(", ")}`);
  process.exit(2);
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "migrate": {
      const url = requireDatabaseUrl(getConfig());
      const results = await migrateDatabase(url, { rootDir: root });
      for (const r of results) {
        console.log(`${r.schema.padEnd(10)} ${r.applied.length ? `applied ${r.applied.join(", ")}` : "up to date"}`);
      }
      return 0;
    }
    case "create": {
      const [schema, name] = rest;
      if (!schema || !name) usage("create needs a schema and a migration name");
      if (!isSchemaName(schema)) usage(`unknown schema "${schema}"`);
      const dir = await createMigration(root, schema, name);
      console.log(dir ? `wrote ${path.relative(root, dir)}/migration.sql` : `no changes in prisma/${schema}/schema.prisma`);
      return 0;
    }
    case "check": {
      let drift = 0;
      for (const schema of ALL_SCHEMAS) {
        const sql = await diffSchema(root, schema);
        if (sql) {
          drift++;
          console.error(`prisma/${schema}/schema.prisma differs from its migrations; run: npm run db:migration -- ${schema} <name>\n${sql}\n`);
        } else {
          console.log(`${schema.padEnd(10)} migrations match schema.prisma`);
        }
      }
      return drift ? 1 : 0;
    }
    case "generate": {
      // `prisma generate` only needs the engine path to name an existing file: the generated
      // client is engine-free, and the CLI's native engine cannot be downloaded here.
      const placeholder = path.join(os.tmpdir(), "switchyard-no-schema-engine");
      if (!existsSync(placeholder)) writeFileSync(placeholder, "");
      const prismaBin = path.join(root, "node_modules", ".bin", "prisma");
      for (const schema of ALL_SCHEMAS) {
        const res = spawnSync(prismaBin, ["generate", "--schema", `prisma/${schema}/schema.prisma`], {
          cwd: root,
          env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: placeholder, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
          encoding: "utf8",
        });
        if (res.status !== 0) {
          console.error(res.stdout, res.stderr);
          return 1;
        }
        console.log(`${schema.padEnd(10)} client generated`);
      }
      return 0;
    }
    default:
      usage(command ? `unknown command "${command}"` : undefined);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof ConfigError || err instanceof MigrationError) console.error(`error: ${err.message}`);
    else console.error(err);
    process.exit(1);
  },
);
