import { createHash } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AssetTooLargeError } from "./errors";
import { LocalDiskStorage } from "./storage";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "sy-storage-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function* chunks(n: number, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < n; i++) yield Buffer.alloc(size, i % 256);
}

async function files(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => e.name);
}

describe("local disk storage", () => {
  it("stores bytes under their sha256, once for the same content, and reads them back", async () => {
    const s = new LocalDiskStorage(dir);
    const a = await s.put(chunks(3, 1000), { maxBytes: 10_000 });
    const b = await s.put(chunks(3, 1000), { maxBytes: 10_000 });
    const expected = createHash("sha256");
    for await (const c of chunks(3, 1000)) expected.update(c);
    expect(a).toEqual({ key: expected.digest("hex"), sizeBytes: 3000, sha256: a.key });
    expect(b.key).toBe(a.key);
    const got = await s.get(a.key);
    const parts: Buffer[] = [];
    for await (const c of got!.stream) parts.push(c as Buffer);
    expect(Buffer.concat(parts).length).toBe(3000);
    expect(got!.sizeBytes).toBe(3000);
    expect(await files(path.join(dir, "objects"))).toEqual([a.key]);
    await s.delete(a.key);
    expect(await s.get(a.key)).toBeUndefined();
  });

  it("stops at the first byte past the limit and keeps nothing", async () => {
    const s = new LocalDiskStorage(dir);
    let pulled = 0;
    async function* endless(): AsyncGenerator<Uint8Array> {
      for (;;) {
        pulled++;
        yield Buffer.alloc(1024);
      }
    }
    await expect(s.put(endless(), { maxBytes: 4096 })).rejects.toBeInstanceOf(AssetTooLargeError);
    expect(pulled).toBe(5);
    expect(await files(path.join(dir, "tmp"))).toEqual([]);
  });

  it("refuses keys that are not its own", async () => {
    await expect(new LocalDiskStorage(dir).get("../../etc/passwd")).rejects.toThrow(/not a storage key/);
  });
});
