import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import * as bg from "@prisma/schema-engine-wasm/schema_engine_bg";

/**
 * Loads Prisma's official WebAssembly schema engine (`@prisma/schema-engine-wasm`) once per process.
 * The Prisma CLI would download a native engine, which these machines cannot reach; the wasm engine
 * is the same migration logic shipped on npm (docs/decisions/002-offline-migrations.md).
 */

type EngineModule = typeof bg;
export type SchemaEngine = bg.SchemaEngine;

let ready: Promise<EngineModule> | undefined;

async function loadEngineModule(): Promise<EngineModule> {
  const require = createRequire(import.meta.url);
  const jsPath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
  const bytes = await readFile(jsPath.replace(/\.js$/, ".wasm"));
  const instance = await WebAssembly.instantiate(await WebAssembly.compile(bytes), {
    "./schema_engine_bg.js": bg as unknown as WebAssembly.ModuleImports,
  });
  const exports = instance.exports as Record<string, unknown>;
  (bg as unknown as { __wbg_set_wasm(v: unknown): void }).__wbg_set_wasm(exports);
  if (typeof exports.__wbindgen_start === "function") (exports.__wbindgen_start as () => void)();
  return bg;
}

/** Creates a schema engine for one Prisma schema file, talking to the database through `adapterFactory`. */
export async function openSchemaEngine(
  schemaPath: string,
  schemaContent: string,
  adapterFactory: unknown,
  log: (line: string) => void = () => {},
): Promise<SchemaEngine> {
  ready ??= loadEngineModule();
  const mod = await ready;
  return mod.SchemaEngine.new(
    { datamodels: [[schemaPath, schemaContent]] },
    log,
    bindMigrationAwareSqlAdapterFactory(
      adapterFactory as Parameters<typeof bindMigrationAwareSqlAdapterFactory>[0],
    ),
  );
}

/** The engine reports failures as `Error`s whose message holds the database's reason; keep it readable. */
export function engineErrorMessage(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as Error & { code?: string }).code;
    return `${code ? `${code}: ` : ""}${err.message.split("\n   0:")[0]}`;
  }
  return String(err);
}
