import { createHash, randomUUID } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { finished } from "node:stream/promises";
import { AssetTooLargeError } from "./errors";


export type StoredObject = { key: string; sizeBytes: number; sha256: string };

/**
 * Where asset bytes live. `put` reads a stream to its end (or fails on the first byte past
 * `maxBytes`, keeping nothing); keys are opaque to callers.
 */
export type AssetStorage = {
  put(source: AsyncIterable<Uint8Array>, opts: { maxBytes: number }): Promise<StoredObject>;
  /** The bytes of `key`, or undefined when there is no such object. */
  get(key: string): Promise<{ stream: Readable; sizeBytes: number } | undefined>;
  delete(key: string): Promise<void>;
};

const KEY = /^[0-9a-f]{64}$/;

/**
 * Local disk, content-addressed: an object's key is the sha256 of its bytes, stored at
 * `objects/ab/cd/<sha256>`. A write goes to `tmp/` first and is renamed into place once complete
 * and within the limit, so a reader never sees a partial object and a refused upload leaves nothing.
 * The same bytes uploaded twice are stored once.
 */
export class LocalDiskStorage implements AssetStorage {
  constructor(readonly root: string) {}

  private objectPath(key: string): string {
    if (!KEY.test(key)) throw new Error(`not a storage key: ${key}`);
    return path.join(this.root, "objects", key.slice(0, 2), key.slice(2, 4), key);
  }

  async put(source: AsyncIterable<Uint8Array>, opts: { maxBytes: number }): Promise<StoredObject> {
    const tmpDir = path.join(this.root, "tmp");
    await mkdir(tmpDir, { recursive: true });
    const tmp = path.join(tmpDir, randomUUID());
    const out = createWriteStream(tmp, { flags: "wx" });
    const hash = createHash("sha256");
    let size = 0;
    let writeError: Error | undefined;
    out.on("error", (err) => (writeError = err));
    try {
      for await (const chunk of source) {
        if (writeError) throw writeError;
        size += chunk.length;
        if (size > opts.maxBytes) throw new AssetTooLargeError(opts.maxBytes);
        hash.update(chunk);
        if (!out.write(chunk)) await new Promise<void>((resolve, reject) => {
          out.once("drain", resolve);
          out.once("error", reject);
        });
      }
      out.end();
      await finished(out);
      const sha256 = hash.digest("hex");
      const final = this.objectPath(sha256);
      await mkdir(path.dirname(final), { recursive: true });
      // Same name, same bytes: replacing an existing object changes nothing.
      await rename(tmp, final);
      return { key: sha256, sizeBytes: size, sha256 };
    } catch (err) {
      // The file may still be opening: wait until the stream has closed, or rm would run first and the
      // late open would leave an empty temp file behind.
      out.destroy();
      if (!out.closed) await new Promise<void>((resolve) => out.once("close", () => resolve()));
      await rm(tmp, { force: true });
      throw err;
    }
  }

  async get(key: string): Promise<{ stream: Readable; sizeBytes: number } | undefined> {
    const file = this.objectPath(key);
    try {
      const s = await stat(file);
      return { stream: createReadStream(file), sizeBytes: s.size };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.objectPath(key), { force: true });
  }
}

const stores = new Map<string, AssetStorage>();

/** The storage for a configured directory (one instance per directory per process). */
export function localStorageAt(dir: string): AssetStorage {
  let s = stores.get(dir);
  if (!s) stores.set(dir, (s = new LocalDiskStorage(dir)));
  return s;
}
