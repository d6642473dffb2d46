import { Readable } from "node:stream";
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import type { AppContext } from "@/server/app";
import { hasRole } from "@/server/auth/principal";
import { resolvePrincipal } from "@/server/auth/resolve";
import { DomainError } from "@/server/errors";
import { requestIdFrom, runInRequestScope } from "@/server/request-context";
import { handleRestRequest } from "@/server/rest/handler";
import { CORRELATION_HEADER } from "@/server/trpc/context";
import { REST_PREFIX } from "@/server/rest/meta";
import { createTRPCContext } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { admitUpload, assetContent, recordUpload, storeUpload } from "./assets";
import { contentDisposition, fileNameFromDisposition, isTextType } from "./content-types";
import { AssetTooLargeError, InvalidUploadError, UnsupportedAssetTypeError } from "./errors";
import { MalformedMultipartError, multipartBoundary, type MultipartPart, readMultipart } from "./multipart";
import { localStorageAt } from "./storage";

/**
 * The asset routes that are not JSON: the upload (multipart/form-data or a raw body, streamed to
 * storage with the limits enforced while reading) and the download of the bytes. Everything else
 * about assets is a procedure, served as REST by server/rest.
 */

/** Room for the multipart framing around the file before Content-Length alone proves a body too large. */
const MULTIPART_OVERHEAD = 64 * 1024;

/** Types a browser may show in place rather than download (none of them runs script). */
const INLINE_TYPES = new Set(["image/png", "image/jpeg", "application/pdf", "text/plain"]);

class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function json(status: number, body: unknown, headers: Headers): Response {
  headers.set("content-type", "application/json; charset=utf-8");
  return new Response(JSON.stringify(body), { status, headers });
}

function refusalFrom(err: unknown): Refusal {
  if (err instanceof Refusal) return err;
  if (err instanceof AssetTooLargeError) return new Refusal(413, "PAYLOAD_TOO_LARGE", err.message);
  if (err instanceof UnsupportedAssetTypeError) return new Refusal(415, "UNSUPPORTED_MEDIA_TYPE", err.message);
  if (err instanceof InvalidUploadError || err instanceof MalformedMultipartError) return new Refusal(400, "BAD_REQUEST", err.message);
  const trpc = err instanceof DomainError ? new TRPCError({ code: err.code, message: err.message }) : err;
  if (trpc instanceof TRPCError) {
    const status = getHTTPStatusCodeFromError(trpc);
    return new Refusal(status, trpc.code, status >= 500 ? "internal error" : trpc.message);
  }
  return new Refusal(500, "INTERNAL_SERVER_ERROR", "internal error");
}

/** A request body as chunks; stopping early cancels the rest of it. */
async function* bodyChunks(body: ReadableStream<Uint8Array> | null): AsyncGenerator<Uint8Array> {
  if (!body) return;
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}

function headerFileName(headers: Headers): string | undefined {
  const raw = headers.get("x-file-name");
  if (raw) {
    try {
      return decodeURIComponent(raw);
    } catch {
      return raw;
    }
  }
  return fileNameFromDisposition(headers.get("content-disposition"));
}

async function firstFilePart(parts: AsyncGenerator<MultipartPart>): Promise<MultipartPart> {
  for (let next = await parts.next(); !next.done; next = await parts.next()) {
    if (next.value.fileName !== undefined) return next.value;
  }
  throw new InvalidUploadError("the form has no file field");
}

/**
 * POST /api/v1/assets. multipart/form-data (the first file field) or a raw body with its
 * Content-Type and a file name (`X-File-Name`, percent-encoded if need be, or Content-Disposition).
 * A JSON body without a file name is the JSON form of the upload and goes to the REST layer
 * (`assets.upload`). Engineers only. 201 with the asset; 413 past ASSET_MAX_BYTES (checked while
 * reading; nothing is kept), 415 for a type not allowed or bytes that contradict it, 400 without a file.
 */
export function handleAssetUpload(req: Request, app: AppContext): Promise<Response> {
  const type = req.headers.get("content-type");
  const boundary = multipartBoundary(type);
  const named = headerFileName(req.headers);
  if (!boundary && !named && /^application\/json\b/i.test(type ?? "")) return handleRestRequest(req, app);
  const requestId = requestIdFrom(req.headers.get("x-request-id"));
  return runInRequestScope({ requestId }, async () => {
    const headers = new Headers({ "x-request-id": requestId, "cache-control": "no-store" });
    const started = performance.now();
    const settings = app.config.assets;
    try {
      const principal = await resolvePrincipal(app, req.headers);
      if (!principal) throw new Refusal(401, "UNAUTHORIZED", "sign in first");
      if (!hasRole(principal, "engineer")) throw new Refusal(403, "FORBIDDEN", "needs the engineer role");
      const declared = Number(req.headers.get("content-length") ?? Number.NaN);
      if (Number.isFinite(declared) && declared > settings.maxBytes + (boundary ? MULTIPART_OVERHEAD : 0)) {
        throw new AssetTooLargeError(settings.maxBytes);
      }
      if (/^multipart\//i.test(type ?? "") && !boundary) throw new InvalidUploadError("a multipart body needs a boundary parameter");
      let admitted: { fileName: string; contentType: string };
      let source: AsyncIterable<Uint8Array>;
      if (boundary) {
        const part = await firstFilePart(readMultipart(bodyChunks(req.body), boundary));
        admitted = admitUpload(settings, part.fileName, part.contentType);
        source = part.body;
      } else {
        if (!named) throw new InvalidUploadError("a raw upload needs its file name in X-File-Name or Content-Disposition");
        admitted = admitUpload(settings, named, type);
        source = bodyChunks(req.body);
      }
      const storage = localStorageAt(settings.storageDir);
      const stored = await storeUpload(storage, settings, source, admitted.contentType);
      const correlationId = req.headers.get(CORRELATION_HEADER) ?? requestId;
      const asset = await recordUpload(app.db.assets, storage, { ...admitted, stored }, principal.userId, correlationId);
      app.log.info({ route: "assets.upload", assetId: asset.id, sizeBytes: asset.sizeBytes, contentType: asset.contentType, principal: principal.userId, durationMs: Math.round(performance.now() - started) }, "asset uploaded");
      headers.set("location", `${REST_PREFIX}/assets/${asset.id}`);
      return json(201, asset, headers);
    } catch (err) {
      const r = refusalFrom(err);
      if (r.status >= 500) app.log.error({ err, route: "assets.upload" }, "upload failed");
      else app.log.info({ route: "assets.upload", code: r.code, reason: r.message, durationMs: Math.round(performance.now() - started) }, "upload refused");
      return json(r.status, { error: { code: r.code, message: r.message, requestId } }, headers);
    }
  });
}

/**
 * GET /api/v1/assets/{id}/content: the bytes, with their type, length, a strong ETag (the sha256) and
 * Content-Disposition (attachment; `?disposition=inline` for types that are safe to show). The
 * metadata read goes through `assets.get`, so authentication and logging are the gateway's.
 */
export function handleAssetDownload(req: Request, app: AppContext, id: string): Promise<Response> {
  const requestId = requestIdFrom(req.headers.get("x-request-id"));
  return runInRequestScope({ requestId }, async () => {
    const headers = new Headers({ "x-request-id": requestId });
    try {
      const caller = createCaller(createTRPCContext({ app, headers: req.headers, requestId }));
      await caller.assets.get({ id });
      const { asset, stream, sizeBytes } = await assetContent(app.db.assets, localStorageAt(app.config.assets.storageDir), id);
      const etag = `"${asset.sha256}"`;
      headers.set("etag", etag);
      headers.set("cache-control", "private, no-cache");
      headers.set("x-content-type-options", "nosniff");
      if (req.headers.get("if-none-match")?.split(",").some((t) => t.trim() === etag)) {
        stream.destroy();
        return new Response(null, { status: 304, headers });
      }
      const inline = new URL(req.url).searchParams.get("disposition") === "inline" && INLINE_TYPES.has(asset.contentType);
      headers.set("content-type", isTextType(asset.contentType) ? `${asset.contentType}; charset=utf-8` : asset.contentType);
      headers.set("content-length", String(sizeBytes));
      headers.set("content-disposition", contentDisposition(inline ? "inline" : "attachment", asset.fileName));
      return new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, { status: 200, headers });
    } catch (err) {
      const r = refusalFrom(err);
      if (r.status >= 500) app.log.error({ err, route: "assets.content" }, "download failed");
      headers.set("cache-control", "no-store");
      return json(r.status, { error: { code: r.code, message: r.message, requestId } }, headers);
    }
  });
}
