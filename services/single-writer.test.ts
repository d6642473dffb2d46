import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DOMAIN_SCHEMAS } from "@/server/db/schemas";

/**
 * The single-writer rule, checked on the source: a Templator service reads and writes only its own
 * schema. It may not use another service's Prisma client, name another service's tables in SQL, or
 * import another service's code — other than its published event definitions (`events.ts`), which
 * are contracts. It learns the rest through events and public procedures (server/service-calls.ts).
 */
const root = path.resolve(import.meta.dirname, "..");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return /\.tsx?$/.test(name) && !/\.(int\.)?test\.ts$/.test(name) ? [p] : [];
  });
}

/** Table names each schema declares in its Prisma schema (`@@map("...")`). */
function tablesOf(schema: string): string[] {
  const text = readFileSync(path.join(root, "prisma", schema, "schema.prisma"), "utf8");
  return [...text.matchAll(/@@map\("([a-z_]+)"\)/g)].map((m) => m[1]!);
}

type Breach = { file: string; line: number; what: string };

function breaches(service: string, files = sourceFiles(path.join(root, "services", service))): Breach[] {
  const others = DOMAIN_SCHEMAS.filter((s) => s !== service);
  const found: Breach[] = [];
  for (const file of files) {
    const lines = readFileSync(file, "utf8").split("\n");
    lines.forEach((text, i) => {
      const at = (what: string) => found.push({ file: path.relative(root, file), line: i + 1, what });
      for (const other of others) {
        if (new RegExp(`\\bdb\\.${other}\\b`).test(text)) at(`uses the ${other} service's database client`);
        for (const table of tablesOf(other)) {
          // `auth.users.get(...)` is a procedure path, not a table: a table name is not followed by "." or "(".
          if (new RegExp(`"?\\b${other}"?\\."?${table}\\b"?(?![.(])`).test(text)) at(`names ${other}.${table} in SQL`);
        }
        const imp = new RegExp(`from ["']@/services/${other}/([^"']+)["']`).exec(text);
        if (imp && imp[1] !== "events") at(`imports ${other}'s code (services/${other}/${imp[1]})`);
      }
    });
  }
  return found;
}

describe("single writer: each service touches only its own schema", () => {
  for (const service of DOMAIN_SCHEMAS) {
    it(`${service} reads and writes only the ${service} schema`, () => {
      expect(breaches(service)).toEqual([]);
    });
  }

  it("the check finds a breach when there is one", () => {
    // The templates service's own files, read as if the ai service had written them, break the rule.
    const found = breaches("ai", ["services/templates/publication.ts", "services/templates/router.ts"].map((f) => path.join(root, f)));
    expect(found).toContainEqual(expect.objectContaining({ file: "services/templates/publication.ts", what: "names templates.templates in SQL" }));
    expect(found).toContainEqual(expect.objectContaining({ file: "services/templates/router.ts", what: "uses the templates service's database client" }));
  });
});
