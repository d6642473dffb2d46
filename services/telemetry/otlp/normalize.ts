import { createHash } from "node:crypto";
import { arena } from "./json-arena";

/**
 * What both OTLP decoders (protobuf and JSON) share: the normalized span they produce, the JSON text of
 * attribute values as stored in jsonb, the attributes promoted to columns, and the checks that decide
 * whether a span is stored or rejected (reported back as `partialSuccess.rejectedSpans`).
 */

/** A request the receiver cannot decode at all: answered 400 with a google.rpc.Status. */
export class MalformedRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MalformedRequestError";
  }
}

/** AnyValue arrays and kvlists nested deeper than this make the request malformed (stack and jsonb safety). */
export const MAX_NESTING = 32;
/**
 * Longest stored service name / span name / promoted text, in UTF-16 units. They are btree-indexed, and
 * PostgreSQL refuses an index entry over 2,704 bytes (which would fail the whole COPY batch).
 */
export const MAX_SERVICE_NAME = 256;
export const MAX_NAME = 512;
export const MAX_PROMOTED = 512;

/** The resource a span came from; shared by every span of one ResourceSpans. */
export type ResourceInfo = {
  /** MD5 of `attributesJson`: the row in telemetry.resources. */
  id: Buffer;
  serviceName: string;
  /** `{key: value, ...}` JSON text of the resource attributes. */
  attributesJson: string;
  /** UTF-8 of the service name, filled in once by the COPY encoder. */
  encodedServiceName?: Buffer;
};

/** A resource from its decoded service.name value and attribute JSON text. */
export function makeResource(serviceName: unknown, attributesJson: string): ResourceInfo {
  return { id: createHash("md5").update(attributesJson).digest(), serviceName: serviceNameOf(serviceName), attributesJson };
}

/** The instrumentation scope; shared by every span of one ScopeSpans. */
export type ScopeInfo = {
  name: string | null;
  version: string | null;
  encoded?: { name: Buffer | null; version: Buffer | null };
};

const EMPTY = new Uint8Array(0);

/**
 * One span as it will be stored. Times are split into whole microseconds since the Unix epoch (what a
 * timestamptz holds) and the nanoseconds left over, so the duration stays exact without BigInt.
 */
export class SpanRow {
  traceId: Uint8Array = EMPTY;
  spanId: Uint8Array = EMPTY;
  parentSpanId: Uint8Array | null = null;
  traceState: string | null = null;
  flags: number | null = null;
  name = "";
  kind = 0;
  startUs = 0;
  startNs = 0;
  endUs = 0;
  endNs = 0;
  statusCode = 0;
  statusMessage: string | null = null;
  /** The attribute map's JSON text: arena offsets (see json-arena.ts). */
  attrStart = 0;
  attrEnd = 0;
  /** The events' and links' JSON arrays, or -1 when there are none. */
  eventsStart = -1;
  eventsEnd = -1;
  linksStart = -1;
  linksEnd = -1;
  httpRoute: string | null = null;
  httpMethod: string | null = null;
  httpStatusCode: number | null = null;
  dbSystem: string | null = null;
  messagingSystem: string | null = null;
  messagingDestination: string | null = null;
  peerService: string | null = null;
  /** The JSON texts, read back from the arena (valid until the next request is decoded; for tests). */
  get attributesJson(): string {
    return arena.slice(this.attrStart, this.attrEnd);
  }

  get eventsJson(): string | null {
    return this.eventsStart < 0 ? null : arena.slice(this.eventsStart, this.eventsEnd);
  }

  get linksJson(): string | null {
    return this.linksStart < 0 ? null : arena.slice(this.linksStart, this.linksEnd);
  }

  /** Exact duration in nanoseconds, set by checkSpan (exact while under ~104 days). */
  durationNs = 0;
  /** Set by the decoder when a value could not be read (the span is rejected with this reason). */
  invalid: string | null = null;
  constructor(
    readonly resource: ResourceInfo,
    readonly scope: ScopeInfo,
  ) {}
}

/** What a decoder returns: the spans to store and the count (and reasons) of those it rejected. */
export type DecodedRequest = { spans: SpanRow[]; rejected: number; reasons: Map<string, number> };

/** The accepted range of span start times, in microseconds since the Unix epoch. */
export type TimeWindow = { minUs: number; maxUs: number };

const DAY_MS = 86_400_000;

/**
 * Spans may start from the first day still kept (`retentionDays` before today, UTC) up to a day after
 * `now` (clock skew); older spans would land in a dropped partition, later ones are clock errors.
 */
export function timeWindow(now: number, retentionDays: number): TimeWindow {
  const firstDay = Math.floor(now / DAY_MS) - retentionDays;
  return { minUs: firstDay * DAY_MS * 1000, maxUs: (now + DAY_MS) * 1000 };
}

/** Counts one rejected span under its reason. */
export function reject(result: DecodedRequest, reason: string): void {
  result.rejected++;
  result.reasons.set(reason, (result.reasons.get(reason) ?? 0) + 1);
}

/** A summary of the rejections for `partialSuccess.errorMessage`. */
export function rejectionMessage(result: DecodedRequest): string {
  return [...result.reasons].map(([reason, n]) => `${n} span${n === 1 ? "" : "s"}: ${reason}`).join("; ");
}

function isValidId(id: Uint8Array, length: number): boolean {
  if (id.length !== length) return false;
  for (let i = 0; i < length; i++) if (id[i] !== 0) return true;
  return false;
}

/** Why a decoded span cannot be stored, or undefined when it can. Also normalizes what it may. */
export function checkSpan(span: SpanRow, window: TimeWindow): string | undefined {
  if (span.invalid) return span.invalid;
  if (!isValidId(span.traceId, 16)) return "invalid trace id (must be 16 bytes, not all zero)";
  if (!isValidId(span.spanId, 8)) return "invalid span id (must be 8 bytes, not all zero)";
  if (span.parentSpanId !== null) {
    if (span.parentSpanId.length === 0 || !isValidId(span.parentSpanId, 8)) {
      if (span.parentSpanId.length !== 0 && span.parentSpanId.length !== 8) return "invalid parent span id (must be 8 bytes)";
      span.parentSpanId = null;
    }
  }
  if (span.startUs === 0 && span.startNs === 0) return "missing start time";
  if (span.startUs < window.minUs || span.startUs > window.maxUs) return "start time outside the retention window";
  const duration = (span.endUs - span.startUs) * 1000 + (span.endNs - span.startNs);
  if (duration < 0) return "end time before start time";
  if (duration > Number.MAX_SAFE_INTEGER) return "duration too long";
  span.durationNs = duration;
  if (span.kind < 0 || span.kind > 5) span.kind = 0;
  if (span.statusCode < 0 || span.statusCode > 2) span.statusCode = 0;
  span.name = cleanText(span.name, MAX_NAME);
  if (span.statusMessage !== null) span.statusMessage = cleanText(span.statusMessage, Infinity);
  if (span.traceState !== null) span.traceState = cleanText(span.traceState, Infinity);
  return undefined;
}

/** Text PostgreSQL accepts: no NUL characters, and at most `max` UTF-16 units (indexed columns). */
export function cleanText(s: string, max: number): string {
  if (s.includes("\0")) s = s.replaceAll("\0", "\uFFFD");
  if (s.length > max) {
    s = s.slice(0, max);
    // Do not leave half a surrogate pair at the cut.
    const last = s.charCodeAt(s.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) s = s.slice(0, -1);
  }
  return s;
}

export { hex, jsonDouble, jsonString, nanosString } from "./json-text";

// ---- Promoted attributes --------------------------------------------------------------------------

/** Span attributes copied into their own columns; the current semantic-convention name wins over the old one. */
export const PROMOTED_ATTRIBUTES = [
  "http.route",
  "http.request.method",
  "http.method",
  "http.response.status_code",
  "http.status_code",
  "db.system.name",
  "db.system",
  "messaging.system",
  "messaging.destination.name",
  "messaging.destination",
  "peer.service",
] as const;

/** True when `key` is one of PROMOTED_ATTRIBUTES (then `promote` wants its value). */
export function isPromoted(key: string): boolean {
  switch (key) {
    case "http.route":
    case "http.request.method":
    case "http.method":
    case "http.response.status_code":
    case "http.status_code":
    case "db.system.name":
    case "db.system":
    case "messaging.system":
    case "messaging.destination.name":
    case "messaging.destination":
    case "peer.service":
      return true;
    default:
      return false;
  }
}

function promotedText(v: unknown): string | null {
  return typeof v === "string" ? cleanText(v, MAX_PROMOTED) : null;
}

function promotedInt(v: unknown): number | null {
  const n = typeof v === "string" ? Number(v) : v;
  return typeof n === "number" && Number.isInteger(n) && n >= -2147483648 && n <= 2147483647 ? n : null;
}

/** Copies a promoted attribute's primitive value into its column. */
export function promote(span: SpanRow, key: string, v: unknown): void {
  switch (key) {
    case "http.route":
      span.httpRoute = promotedText(v);
      break;
    case "http.request.method":
      span.httpMethod = promotedText(v);
      break;
    case "http.method":
      span.httpMethod ??= promotedText(v);
      break;
    case "http.response.status_code":
      span.httpStatusCode = promotedInt(v);
      break;
    case "http.status_code":
      span.httpStatusCode ??= promotedInt(v);
      break;
    case "db.system.name":
      span.dbSystem = promotedText(v);
      break;
    case "db.system":
      span.dbSystem ??= promotedText(v);
      break;
    case "messaging.system":
      span.messagingSystem = promotedText(v);
      break;
    case "messaging.destination.name":
      span.messagingDestination = promotedText(v);
      break;
    case "messaging.destination":
      span.messagingDestination ??= promotedText(v);
      break;
    case "peer.service":
      span.peerService = promotedText(v);
      break;
  }
}

/** The service name of a resource, as the OTel specification defaults it. */
export function serviceNameOf(v: unknown): string {
  return typeof v === "string" && v !== "" ? cleanText(v, MAX_SERVICE_NAME) : "unknown_service";
}
