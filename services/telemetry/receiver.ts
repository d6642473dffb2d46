import { createHash, timingSafeEqual } from "node:crypto";
import type pg from "pg";
import type { TelemetryConfig } from "@/server/config";
import type { Logger } from "@/server/logger";
import { BadEncodingError, type BodySource, BodyTooLargeError, BudgetExhaustedError, ByteBudget, gunzipLimited, readBody } from "./body";
import { encodeSpans } from "./copy-format";
import { type IngestStats, QueueFullError, SpanIngest, SpansRefusedError, StoreUnavailableError } from "./ingest";
import { decodeTraceRequestJson } from "./otlp/decode-json";
import { decodeTraceRequestProtobuf } from "./otlp/decode-protobuf";
import { MalformedRequestError, rejectionMessage, timeWindow } from "./otlp/normalize";
import { CONTENT_TYPES, type Encoding, exportResponse, GRPC, statusBody } from "./otlp/responses";

/**
 * The OTLP/HTTP trace receiver (https://opentelemetry.io/docs/specs/otlp/#otlphttp), free of any web
 * framework: `receive(headers, body)` returns the status, headers and body to send. The Next.js route
 * (app/v1/traces/route.ts) and the tests' plain node:http server both call it.
 */

export type OtlpHttpResponse = { status: number; headers: Record<string, string>; body: Uint8Array };
export type HeaderSource = Headers | Record<string, string | string[] | undefined>;

export type ReceiverStats = IngestStats & { inflightBytes: number; acceptedSpans: number; rejectedSpans: number };

export type TraceReceiver = {
  /** Handles one POST to /v1/traces. Never throws: every failure is an HTTP answer. */
  receive(headers: HeaderSource, body: BodySource): Promise<OtlpHttpResponse>;
  stats(): ReceiverStats;
  /** Refuses new requests and waits until everything accepted is written. */
  close(): Promise<void>;
};

const RETRY_AFTER_FULL = "1";
const RETRY_AFTER_UNAVAILABLE = "5";

function header(headers: HeaderSource, name: string): string | undefined {
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name) ?? undefined;
  const v = (headers as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(v) ? v.join(", ") : v;
}

function encodingOf(contentType: string | undefined): Encoding | undefined {
  const mediaType = contentType?.split(";")[0]?.trim().toLowerCase();
  if (mediaType === "application/x-protobuf" || mediaType === "application/protobuf") return "protobuf";
  if (mediaType === "application/json") return "json";
  return undefined;
}

const digest = (s: string) => createHash("sha256").update(s).digest();

/** Checks `Authorization: Bearer <token>` against the configured tokens in constant time. */
function tokenChecker(tokens: string[]): (authorization: string | undefined) => boolean {
  const digests = tokens.map(digest);
  return (authorization) => {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
    if (!m) return false;
    const given = digest(m[1]!);
    let ok = false;
    for (const d of digests) ok = timingSafeEqual(d, given) || ok;
    return ok;
  };
}

/** Creates a receiver writing to telemetry.spans through `pool` (which it does not own). */
export function createTraceReceiver(opts: {
  pool: pg.Pool;
  settings: TelemetryConfig;
  log?: Logger;
  /** The clock for the retention window (tests move it). */
  now?: () => number;
}): TraceReceiver {
  const { settings, log } = opts;
  const now = opts.now ?? Date.now;
  const ingest = new SpanIngest(opts.pool, settings, log);
  const budget = new ByteBudget(settings.inflightBytes);
  const authorized = settings.ingestTokens.length > 0 ? tokenChecker(settings.ingestTokens) : undefined;
  let acceptedSpans = 0;
  let rejectedSpans = 0;

  const answer = (encoding: Encoding, status: number, code: number, message: string, extra: Record<string, string> = {}): OtlpHttpResponse => ({
    status,
    headers: { "content-type": CONTENT_TYPES[encoding], ...extra },
    body: statusBody(encoding, code, message),
  });

  async function receive(headers: HeaderSource, body: BodySource): Promise<OtlpHttpResponse> {
    const encoding = encodingOf(header(headers, "content-type"));
    const replyIn: Encoding = encoding ?? "json";
    if (authorized && !authorized(header(headers, "authorization"))) {
      return answer(replyIn, 401, GRPC.UNAUTHENTICATED, "a valid ingest token is required (Authorization: Bearer <token>)", {
        "www-authenticate": 'Bearer realm="otlp"',
      });
    }
    if (!encoding) {
      return answer("json", 415, GRPC.INVALID_ARGUMENT, "unsupported content type: send application/x-protobuf or application/json");
    }
    const contentEncoding = header(headers, "content-encoding")?.trim().toLowerCase() || "identity";
    if (contentEncoding !== "gzip" && contentEncoding !== "identity") {
      return answer(encoding, 415, GRPC.INVALID_ARGUMENT, `unsupported content encoding "${contentEncoding}": send gzip or none`);
    }
    const declared = Number(header(headers, "content-length") ?? NaN);
    if (declared > settings.maxBodyBytes) {
      return answer(encoding, 413, GRPC.INVALID_ARGUMENT, new BodyTooLargeError("compressed", settings.maxBodyBytes).message);
    }
    if (!ingest.hasRoom()) {
      return answer(encoding, 429, GRPC.RESOURCE_EXHAUSTED, "ingest queue is full, retry later", { "retry-after": RETRY_AFTER_FULL });
    }

    const account = budget.open();
    let decoded;
    let encoded;
    try {
      let raw = await readBody(body, settings.maxBodyBytes, account.take);
      if (contentEncoding === "gzip") raw = await gunzipLimited(raw, settings.maxDecompressedBytes, account.take);
      else if (raw.length > settings.maxDecompressedBytes) throw new BodyTooLargeError("decompressed", settings.maxDecompressedBytes);
      const window = timeWindow(now(), settings.retentionDays);
      decoded = encoding === "protobuf" ? decodeTraceRequestProtobuf(raw, window) : decodeTraceRequestJson(raw, window);
      encoded = encodeSpans(decoded.spans);
    } catch (err) {
      if (err instanceof BodyTooLargeError) return answer(encoding, 413, GRPC.INVALID_ARGUMENT, err.message);
      if (err instanceof MalformedRequestError || err instanceof BadEncodingError) return answer(encoding, 400, GRPC.INVALID_ARGUMENT, err.message);
      if (err instanceof BudgetExhaustedError) {
        return answer(encoding, 429, GRPC.RESOURCE_EXHAUSTED, `${err.message}, retry later`, { "retry-after": RETRY_AFTER_FULL });
      }
      // Anything else is a decoder bug or a stack overflow on hostile input: still the client's request.
      log?.warn({ err }, "OTLP request could not be decoded");
      return answer(encoding, 400, GRPC.INVALID_ARGUMENT, `request could not be decoded: ${(err as Error).message}`);
    } finally {
      account.release();
    }

    if (encoded.count > 0) {
      try {
        await ingest.submit(encoded);
      } catch (err) {
        if (err instanceof QueueFullError) {
          return answer(encoding, 429, GRPC.RESOURCE_EXHAUSTED, "ingest queue is full, retry later", { "retry-after": RETRY_AFTER_FULL });
        }
        if (err instanceof SpansRefusedError) return answer(encoding, 400, GRPC.INVALID_ARGUMENT, err.message);
        const message = err instanceof StoreUnavailableError ? err.message : `span store unavailable: ${(err as Error).message}`;
        return answer(encoding, 503, GRPC.UNAVAILABLE, message, { "retry-after": RETRY_AFTER_UNAVAILABLE });
      }
    }
    acceptedSpans += encoded.count;
    rejectedSpans += decoded.rejected;
    return {
      status: 200,
      headers: { "content-type": CONTENT_TYPES[encoding] },
      body: exportResponse(encoding, decoded.rejected, decoded.rejected > 0 ? rejectionMessage(decoded) : ""),
    };
  }

  return {
    receive: (headers, body) =>
      receive(headers, body).catch((err: unknown) => {
        log?.error({ err }, "OTLP receiver failed");
        return answer(encodingOf(header(headers, "content-type")) ?? "json", 500, GRPC.UNAVAILABLE, "internal error", {
          "retry-after": RETRY_AFTER_UNAVAILABLE,
        });
      }),
    stats: () => ({ ...ingest.stats(), inflightBytes: budget.used, acceptedSpans, rejectedSpans }),
    close: () => ingest.close(),
  };
}
