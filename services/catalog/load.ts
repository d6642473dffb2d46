import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import { EntityDocument, entityRefOf, relationsOf, type Relation } from "./entity";

/** An entity read from a descriptor file, ready to store. */
export type LoadedEntity = {
  ref: string;
  doc: EntityDocument;
  relations: Relation[];
  sourcePath: string;
  etag: string;
};

/** Why a document (or a whole file) was not loaded. */
export type LoadError = { file: string; document?: number; message: string };

export type LoadResult = {
  entities: LoadedEntity[];
  errors: LoadError[];
  /** Files read in full; entities from files that failed to parse are kept as they were. */
  filesRead: string[];
};

/** The descriptor files: the repository's `catalog-info.yaml` and each `services/<name>/catalog-info.yaml`. */
export async function findDescriptorFiles(rootDir: string): Promise<string[]> {
  const files: string[] = [];
  if (existsSync(path.join(rootDir, "catalog-info.yaml"))) files.push("catalog-info.yaml");
  const servicesDir = path.join(rootDir, "services");
  if (existsSync(servicesDir)) {
    for (const d of (await readdir(servicesDir, { withFileTypes: true })).filter((e) => e.isDirectory())) {
      const rel = path.posix.join("services", d.name, "catalog-info.yaml");
      if (existsSync(path.join(rootDir, rel))) files.push(rel);
    }
  }
  return files.sort();
}

function issueText(err: { issues: { path: PropertyKey[]; message: string }[] }): string {
  return err.issues.map((i) => `${i.path.map(String).join(".") || "(document)"}: ${i.message}`).join("; ");
}

/** Parses and validates one file's documents. */
export function parseDescriptor(file: string, text: string): { entities: LoadedEntity[]; errors: LoadError[]; fatal: boolean } {
  const entities: LoadedEntity[] = [];
  const errors: LoadError[] = [];
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs)) return { entities, errors: [{ file, message: "not a YAML stream" }], fatal: true };
  docs.forEach((d, i) => {
    const document = i + 1;
    if (d.errors.length > 0) {
      const e = d.errors[0]!;
      const at = e.linePos?.[0] ? ` (line ${e.linePos[0].line}, column ${e.linePos[0].col})` : "";
      errors.push({ file, document, message: `invalid YAML${at}: ${e.message.split("\n")[0]}` });
      return;
    }
    const value: unknown = d.toJS();
    if (value === null || value === undefined) return; // an empty document between separators
    const parsed = EntityDocument.safeParse(value);
    if (!parsed.success) {
      errors.push({ file, document, message: issueText(parsed.error) });
      return;
    }
    try {
      const doc = parsed.data;
      const ref = entityRefOf(doc);
      const etag = createHash("sha256").update(JSON.stringify([file, doc])).digest("hex").slice(0, 32);
      entities.push({ ref, doc, relations: relationsOf(doc), sourcePath: file, etag });
    } catch (err) {
      errors.push({ file, document, message: (err as Error).message });
    }
  });
  // A file with broken YAML keeps its previous entities instead of losing them.
  const fatal = errors.some((e) => e.message.startsWith("invalid YAML"));
  return { entities, errors, fatal };
}

/** Reads every descriptor file under `rootDir`; rejects duplicates (the first file to define a ref keeps it). */
export async function loadDescriptors(rootDir: string): Promise<LoadResult> {
  const result: LoadResult = { entities: [], errors: [], filesRead: [] };
  const seen = new Map<string, string>();
  for (const file of await findDescriptorFiles(rootDir)) {
    const parsed = parseDescriptor(file, await readFile(path.join(rootDir, file), "utf8"));
    result.errors.push(...parsed.errors);
    if (parsed.fatal) continue;
    result.filesRead.push(file);
    for (const e of parsed.entities) {
      const first = seen.get(e.ref);
      if (first) {
        result.errors.push({ file, message: `${e.ref} is already defined in ${first}` });
        continue;
      }
      seen.set(e.ref, file);
      result.entities.push(e);
    }
  }
  return result;
}
