import { randomUUID } from "node:crypto";
import type { z } from "zod";
import type { Config } from "@/server/config";
import { DomainError } from "@/server/errors";
import { transactWithEvents } from "@/server/messaging/outbox";
import { contentMatchesType, effectiveContentType, isTextType, sanitizeFileName, SNIFF_BYTES } from "./content-types";
import type { AssetsDb } from "./db";
import { InvalidUploadError, UnsupportedAssetTypeError } from "./errors";
import { assetEvents } from "./events";
import { contentUrl, type AssetView, type ListAssetsInput } from "./schemas";
import type { AssetStorage, StoredObject } from "./storage";

type Tx = Parameters<Parameters<AssetsDb["$transaction"]>[0]>[0];
type Row = NonNullable<Awaited<ReturnType<AssetsDb["asset"]["findUnique"]>>>;
export type AssetSettings = Config["assets"];

function view(a: Row): AssetView {
  return {
    id: a.id,
    fileName: a.fileName,
    contentType: a.contentType,
    sizeBytes: a.sizeBytes,
    sha256: a.sha256,
    uploadedBy: a.uploadedBy,
    createdAt: a.createdAt,
    contentUrl: contentUrl(a.id),
  };
}

/**
 * Checks an upload's name and type before a byte is read: the name must survive sanitizing, the type
 * (declared, or from the extension when the declaration says nothing) must be allowed.
 */
export function admitUpload(settings: AssetSettings, fileName: string | undefined, declaredType: string | null | undefined): { fileName: string; contentType: string } {
  const name = sanitizeFileName(fileName ?? "");
  if (!name) throw new InvalidUploadError("the upload has no file name (multipart filename, X-File-Name or Content-Disposition)");
  const contentType = effectiveContentType(declaredType, name);
  if (!settings.allowedTypes.includes(contentType)) {
    throw new UnsupportedAssetTypeError(`${contentType} is not accepted; allowed: ${settings.allowedTypes.join(", ")}`);
  }
  return { fileName: name, contentType };
}

/**
 * Passes bytes through while checking they are what `contentType` says: the signature of a binary
 * format in the first bytes, valid UTF-8 without NUL bytes for text.
 */
async function* checkedContent(source: AsyncIterable<Uint8Array>, contentType: string): AsyncGenerator<Uint8Array> {
  const utf8 = isTextType(contentType) ? new TextDecoder("utf-8", { fatal: true }) : undefined;
  let head: Buffer | undefined = Buffer.alloc(0);
  const mismatch = () => new UnsupportedAssetTypeError(`the content is not ${contentType}`);
  for await (let chunk of source) {
    if (head) {
      head = Buffer.concat([head, chunk]);
      if (head.length < SNIFF_BYTES) continue;
      if (!contentMatchesType(contentType, head)) throw mismatch();
      chunk = head;
      head = undefined;
    }
    if (utf8) {
      if (chunk.includes(0)) throw mismatch();
      try {
        utf8.decode(chunk, { stream: true });
      } catch {
        throw mismatch();
      }
    }
    yield chunk;
  }
  if (head?.length) {
    if (!contentMatchesType(contentType, head)) throw mismatch();
    if (utf8) {
      try {
        utf8.decode(head, { stream: true });
      } catch {
        throw mismatch();
      }
    }
    yield head;
  }
  if (utf8) {
    try {
      utf8.decode();
    } catch {
      throw mismatch();
    }
  }
}

/**
 * Streams an admitted upload into storage, refusing it — and keeping nothing — at the first byte
 * past the size limit or at bytes that contradict its type. An empty file is refused too.
 */
export async function storeUpload(storage: AssetStorage, settings: AssetSettings, source: AsyncIterable<Uint8Array>, contentType: string): Promise<StoredObject> {
  const stored = await storage.put(checkedContent(source, contentType), { maxBytes: settings.maxBytes });
  if (stored.sizeBytes === 0) {
    await deleteIfUnused(undefined, storage, stored.key);
    throw new InvalidUploadError("the file is empty");
  }
  return stored;
}

async function deleteIfUnused(db: AssetsDb | undefined, storage: AssetStorage, key: string): Promise<void> {
  if (db && (await db.asset.count({ where: { storageKey: key } })) > 0) return;
  await storage.delete(key);
}

/**
 * Records a stored upload as an asset and emits AssetUploaded, in one transaction. Should that fail,
 * the stored bytes are removed again unless another asset has the same content.
 */
export async function recordUpload(
  db: AssetsDb,
  storage: AssetStorage,
  upload: { fileName: string; contentType: string; stored: StoredObject },
  actor: string,
  correlationId?: string,
): Promise<AssetView> {
  const id = randomUUID();
  try {
    const { result } = await transactWithEvents(db, "assets", async (tx: Tx, emit) => {
      const row = await tx.asset.create({
        data: {
          id,
          fileName: upload.fileName,
          contentType: upload.contentType,
          sizeBytes: upload.stored.sizeBytes,
          sha256: upload.stored.sha256,
          storageKey: upload.stored.key,
          uploadedBy: actor,
        },
      });
      emit({
        eventType: assetEvents.AssetUploaded.type,
        aggregateId: id,
        aggregateVersion: 1,
        correlationId,
        payload: assetEvents.AssetUploaded.payload.parse({
          assetId: id,
          fileName: row.fileName,
          contentType: row.contentType,
          sizeBytes: row.sizeBytes,
          uploadedBy: actor,
          sha256: row.sha256,
        }),
      });
      return view(row);
    });
    return result;
  } catch (err) {
    await deleteIfUnused(db, storage, upload.stored.key).catch(() => {});
    throw err;
  }
}

/** Admits, stores and records one upload (the JSON form of the upload, and tests). */
export async function uploadAsset(
  db: AssetsDb,
  storage: AssetStorage,
  settings: AssetSettings,
  input: { fileName: string; contentType: string; source: AsyncIterable<Uint8Array> },
  actor: string,
  correlationId?: string,
): Promise<AssetView> {
  const admitted = admitUpload(settings, input.fileName, input.contentType);
  const stored = await storeUpload(storage, settings, input.source, admitted.contentType);
  return recordUpload(db, storage, { ...admitted, stored }, actor, correlationId);
}

/** Assets, newest first, optionally by words in the file name and by type; cursor-paged. */
export async function listAssets(db: AssetsDb, input: z.output<typeof ListAssetsInput>) {
  const rows = await db.asset.findMany({
    where: {
      ...(input.q ? { fileName: { contains: input.q, mode: "insensitive" as const } } : {}),
      ...(input.contentType ? { contentType: input.contentType.toLowerCase() } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
    take: input.limit + 1,
  });
  const page = rows.slice(0, input.limit);
  return { items: page.map(view), nextCursor: rows.length > input.limit ? page[page.length - 1]!.id : null };
}

async function findAsset(db: AssetsDb, id: string): Promise<Row> {
  const a = await db.asset.findUnique({ where: { id } });
  if (!a) throw new DomainError("NOT_FOUND", `no asset "${id}"`);
  return a;
}

/** One asset's metadata. */
export async function getAsset(db: AssetsDb, id: string): Promise<AssetView> {
  return view(await findAsset(db, id));
}

/** Where an asset's bytes are (for the download route). */
export async function assetContent(db: AssetsDb, storage: AssetStorage, id: string) {
  const a = await findAsset(db, id);
  const obj = await storage.get(a.storageKey);
  if (!obj) throw new DomainError("NOT_FOUND", `the content of asset "${id}" is missing from storage`);
  return { asset: view(a), ...obj };
}

/**
 * The text of a text-like asset, cut at `textMaxChars` characters; null for other types. Reads no
 * more bytes than the cut needs (a UTF-8 character is at most 4 bytes).
 */
export async function getAssetText(db: AssetsDb, storage: AssetStorage, settings: AssetSettings, id: string) {
  const a = await findAsset(db, id);
  const base = { assetId: a.id, fileName: a.fileName, contentType: a.contentType };
  if (!isTextType(a.contentType)) return { ...base, text: null, truncated: false };
  const obj = await storage.get(a.storageKey);
  if (!obj) throw new DomainError("NOT_FOUND", `the content of asset "${id}" is missing from storage`);
  const maxBytes = settings.textMaxChars * 4;
  const parts: Buffer[] = [];
  let read = 0;
  for await (const chunk of obj.stream as AsyncIterable<Buffer>) {
    parts.push(chunk);
    read += chunk.length;
    if (read >= maxBytes) break;
  }
  obj.stream.destroy();
  const bytes = Buffer.concat(parts);
  const decoded = new TextDecoder("utf-8").decode(bytes.subarray(0, maxBytes)).replace(/^\uFEFF/, "");
  const chars = [...decoded];
  const truncated = bytes.length > maxBytes || read < obj.sizeBytes || chars.length > settings.textMaxChars;
  return { ...base, text: chars.length > settings.textMaxChars ? chars.slice(0, settings.textMaxChars).join("") : decoded, truncated };
}

/** Which of `ids` exist, in the order asked, each once (the publication saga's asset check). */
export async function checkAssets(db: AssetsDb, ids: string[]) {
  const unique = [...new Set(ids.map((i) => i.toLowerCase()))];
  const rows = unique.length ? await db.asset.findMany({ where: { id: { in: unique } }, select: { id: true } }) : [];
  const have = new Set(rows.map((r) => r.id));
  return { found: unique.filter((i) => have.has(i)), missing: unique.filter((i) => !have.has(i)) };
}
