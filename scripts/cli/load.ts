/**
 * Reads contract files for the CLI: JSON or YAML by extension (content sniffed otherwise), and
 * directories of versions in natural order (v2 before v10).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import type { TContractVersion } from "../../services/contracts/compat";

/** Unreadable or invalid input: the CLI prints the message and exits 2. */
export class InputError extends Error {}

const CONTRACT_EXTENSIONS = new Set([".json", ".yaml", ".yml"]);

function parseJson(text: string, label: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`${label}: invalid JSON: ${(error as Error).message}`);
  }
}

/** True when a value contains itself (possible with YAML aliases); JSON has no such thing. */
function isCyclic(value: unknown, ancestors = new Set<object>(), checked = new Set<object>()): boolean {
  if (typeof value !== "object" || value === null || checked.has(value)) return false;
  if (ancestors.has(value)) return true;
  ancestors.add(value);
  const cyclic = Object.values(value).some((child) => isCyclic(child, ancestors, checked));
  ancestors.delete(value);
  checked.add(value);
  return cyclic;
}

function parseYamlText(text: string, label: string): unknown {
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    throw new InputError(`${label}: invalid YAML: ${(error as Error).message.split("\n")[0]}`);
  }
  if (isCyclic(document)) throw new InputError(`${label}: invalid YAML: an alias refers to a node that contains it (use $ref for recursion)`);
  return document;
}

/** Parses one contract file. */
export function readContract(file: string, label: string): TContractVersion {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(code === "ENOENT" ? `${label}: no such file` : `${label}: cannot read (${code ?? (error as Error).message})`);
  }
  const ext = path.extname(file).toLowerCase();
  if (ext === ".json") return { label, document: parseJson(text, label) };
  if (ext === ".yaml" || ext === ".yml") return { label, document: parseYamlText(text, label) };
  // Unknown extension: JSON if it looks like JSON, else YAML (a superset of JSON).
  return { label, document: /^\s*[{[]/.test(text) ? parseJson(text, label) : parseYamlText(text, label) };
}

function isDirectory(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}

function naturalOrder(a: string, b: string): number {
  return a.localeCompare(b, "en", { numeric: true, sensitivity: "base" });
}

/**
 * The previous versions named by the OLD arguments, oldest first: files as given, directories
 * expanded to their .json/.yaml/.yml files in natural order. When NEW itself lies in such a
 * directory, only the files sorting before it count as previous versions.
 */
export function expandPrevious(args: readonly string[], newFile: string, cwd: string): { file: string; label: string }[] {
  const newPath = path.resolve(cwd, newFile);
  const result: { file: string; label: string }[] = [];
  for (const arg of args) {
    const abs = path.resolve(cwd, arg);
    if (!isDirectory(abs)) {
      result.push({ file: abs, label: arg });
      continue;
    }
    let names = readdirSync(abs)
      .filter((n) => CONTRACT_EXTENSIONS.has(path.extname(n).toLowerCase()) && !isDirectory(path.join(abs, n)))
      .sort(naturalOrder);
    if (path.dirname(newPath) === abs) {
      const own = path.basename(newPath);
      names = names.filter((n) => naturalOrder(n, own) < 0);
    }
    if (names.length === 0) throw new InputError(`${arg}: no earlier .json/.yaml/.yml versions in this directory`);
    for (const n of names) result.push({ file: path.join(abs, n), label: path.join(arg, n) });
  }
  return result;
}

/** Rejects a directory where a single file is expected. */
export function assertFile(file: string, label: string, cwd: string): string {
  const abs = path.resolve(cwd, file);
  if (isDirectory(abs)) throw new InputError(`${label}: is a directory (NEW must be one file)`);
  return abs;
}
