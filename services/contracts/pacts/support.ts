/**
 * Pact test support: where pacts live, the committed-pact check, and a real HTTP server around the
 * portal's REST handler for provider verification.
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import type { AppContext } from "@/server/app";
import { handleRestRequest } from "@/server/rest/handler";

/** The committed pacts: what `switchyard contracts publish` sends, and what providers verify. */
export const PACTS_DIR = path.resolve(import.meta.dirname, "../../../contracts/pacts");

/** A fresh directory for a consumer test's pact files. */
export function freshPactDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), "switchyard-pacts-"));
}

/**
 * Compares a pact a consumer test just wrote with the committed one (contracts/pacts/<name>). With
 * `update` (UPDATE_PACTS=1) the new pact replaces the committed one instead (commit it). Returns what
 * is wrong as text, or "" when they are the same.
 */
export function compareWithCommitted(dir: string, name: string, update: boolean): string {
  const written = path.join(dir, name);
  const committed = path.join(PACTS_DIR, name);
  if (update) {
    copyFileSync(written, committed);
    return "";
  }
  if (!existsSync(committed)) return `contracts/pacts/${name} is missing: run with UPDATE_PACTS=1 and commit it`;
  const a = JSON.parse(readFileSync(written, "utf8")) as unknown;
  const b = JSON.parse(readFileSync(committed, "utf8")) as unknown;
  return JSON.stringify(a) === JSON.stringify(b) ? "" : `contracts/pacts/${name} differs from what the consumer test writes: run it with UPDATE_PACTS=1 and commit the pact`;
}

/** A real HTTP server (127.0.0.1, a free port) serving the portal's public REST API (/api/v1). */
export async function startRestServer(app: AppContext): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void (async () => {
        const headers = new Headers();
        for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(", ") : v);
        const body = req.method === "GET" || req.method === "HEAD" || chunks.length === 0 ? undefined : Buffer.concat(chunks);
        const answer = await handleRestRequest(new Request(`http://127.0.0.1${req.url ?? "/"}`, { method: req.method, headers, body }), app);
        res.writeHead(answer.status, Object.fromEntries(answer.headers));
        res.end(Buffer.from(await answer.arrayBuffer()));
      })().catch((err: unknown) => {
        res.writeHead(500);
        res.end(String(err));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
