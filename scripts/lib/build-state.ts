import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

// What a production build is made from; a change to any of these makes `.next` stale.
const SOURCES = ["app", "components", "server", "services", "workers", "proxy.ts", "instrumentation.ts", "next.config.js", "package-lock.json", "tsconfig.json"];

function newestMtime(p: string): number {
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(p)) {
    if (entry === "node_modules" || entry.startsWith(".")) continue;
    newest = Math.max(newest, newestMtime(path.join(p, entry)));
  }
  return newest;
}

/** Why the production build must be (re)made, or undefined when `.next` is current. */
export function buildNeeded(root: string): string | undefined {
  const buildId = path.join(root, ".next", "BUILD_ID");
  if (!existsSync(buildId)) return "no production build yet";
  const built = statSync(buildId).mtimeMs;
  for (const s of SOURCES) {
    const p = path.join(root, s);
    if (existsSync(p) && newestMtime(p) > built) return `${s} changed since the last build`;
  }
  return undefined;
}
