import { arena } from "./json-arena";
import { hex, jsonDouble, nanosString } from "./json-text";
import {
  checkSpan,
  type DecodedRequest,
  makeResource,
  MalformedRequestError,
  MAX_NESTING,
  promote,
  PROMOTED_ATTRIBUTES,
  reject,
  type ResourceInfo,
  type ScopeInfo,
  SpanRow,
  type TimeWindow,
} from "./normalize";

/**
 * A hand-written decoder for the OTLP trace messages (opentelemetry/proto/collector/trace/v1 and the
 * trace/common/resource messages they contain): ExportTraceServiceRequest, ResourceSpans, ScopeSpans,
 * Span, Event, Link, Status, KeyValue, AnyValue. It reads the wire format straight into SpanRows, and
 * writes attribute maps, events and links as JSON bytes into the arena (json-arena.ts), with no
 * reflection, no intermediate message objects and no string per attribute. Unknown fields are skipped, as
 * protobuf requires; a truncated or inconsistent message is a MalformedRequestError.
 */

// Tags (field number << 3 | wire type) this decoder understands.
const LEN = 2;
const T = (field: number, wire: number) => (field << 3) | wire;

// Buffer's own slicers, without toString's argument handling (they are on every Buffer; measured 2x faster).
type Slicing = Buffer & { utf8Slice(start: number, end: number): string; base64Slice(start: number, end: number): string };

class Reader {
  p = 0;
  readonly b: Slicing;
  constructor(b: Buffer) {
    this.b = b as Slicing;
  }

  fail(what: string): never {
    throw new MalformedRequestError(`malformed protobuf: ${what} at byte ${this.p}`);
  }

  /** A varint's low 32 bits as an unsigned number (tags, lengths, enums, counts). */
  u32(end: number): number {
    const b = this.b;
    let p = this.p;
    if (p >= end) this.fail("truncated varint");
    let byte = b[p++]!;
    let v = byte & 0x7f;
    if (byte >= 0x80) {
      let shift = 7;
      do {
        if (p >= end) this.fail("truncated varint");
        byte = b[p++]!;
        if (shift < 32) v += (byte & 0x7f) * 2 ** shift;
        shift += 7;
      } while (byte >= 0x80 && shift < 70);
      if (byte >= 0x80) this.fail("varint longer than 10 bytes");
      v = v >>> 0;
    }
    this.p = p;
    return v;
  }

  /** A signed int64 varint: a number when it is a safe integer, else a bigint. */
  i64(end: number): number | bigint {
    const b = this.b;
    let p = this.p;
    let lo = 0;
    let hi = 0;
    let shift = 0;
    let byte: number;
    do {
      if (p >= end) this.fail("truncated varint");
      byte = b[p++]!;
      if (shift < 28) lo |= (byte & 0x7f) << shift;
      else if (shift === 28) {
        lo |= (byte & 0x0f) << 28;
        hi |= (byte & 0x7f) >> 4;
      } else if (shift < 64) hi |= (byte & 0x7f) << (shift - 32);
      shift += 7;
    } while (byte >= 0x80 && shift < 70);
    if (byte >= 0x80) this.fail("varint longer than 10 bytes");
    this.p = p;
    lo >>>= 0;
    hi >>>= 0;
    if (hi < 0x200000) return hi * 4294967296 + lo;
    if (hi >= 0xffe00000 && !(hi === 0xffe00000 && lo === 0)) return -((~hi >>> 0) * 4294967296 + (~lo >>> 0) + 1);
    return BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo));
  }

  /** The end offset of a length-delimited field whose length comes next. */
  sub(end: number): number {
    const n = this.u32(end);
    const e = this.p + n;
    if (e > end) this.fail("length beyond the end of the message");
    return e;
  }

  str(end: number): string {
    const e = this.sub(end);
    const s = this.b.utf8Slice(this.p, e);
    this.p = e;
    return s;
  }

  bytes(end: number): Buffer {
    const e = this.sub(end);
    const s = this.b.subarray(this.p, e);
    this.p = e;
    return s;
  }

  fixed32(end: number): number {
    if (this.p + 4 > end) this.fail("truncated fixed32");
    const v = this.b.readUInt32LE(this.p);
    this.p += 4;
    return v;
  }

  /** Reads a fixed64 nanosecond timestamp into [microseconds, leftover nanoseconds] (exact). */
  time(end: number, out: { us: number; ns: number }): void {
    if (this.p + 8 > end) this.fail("truncated fixed64");
    const lo = this.b.readUInt32LE(this.p);
    const hi = this.b.readUInt32LE(this.p + 4);
    this.p += 8;
    // ns = hi * 2^32 + lo, and 2^32 = 4,294,967 * 1000 + 296.
    const r = hi * 296 + lo;
    out.us = hi * 4294967 + Math.floor(r / 1000);
    out.ns = r % 1000;
  }

  double(end: number): number {
    if (this.p + 8 > end) this.fail("truncated double");
    const v = this.b.readDoubleLE(this.p);
    this.p += 8;
    return v;
  }

  skip(tag: number, end: number): void {
    switch (tag & 7) {
      case 0:
        this.i64(end);
        return;
      case 1:
        if ((this.p += 8) > end) this.fail("truncated fixed64");
        return;
      case 2:
        this.p = this.sub(end);
        return;
      case 5:
        if ((this.p += 4) > end) this.fail("truncated fixed32");
        return;
      default:
        this.fail(`unsupported wire type ${tag & 7}`);
    }
  }
}

// ---- AnyValue -> JSON text in the arena --------------------------------------------------------------

const TAG_STRING = T(1, LEN);
const TAG_BOOL = T(2, 0);
const TAG_INT = T(3, 0);
const TAG_DOUBLE = T(4, 1);
const TAG_ARRAY = T(5, LEN);
const TAG_KVLIST = T(6, LEN);
const TAG_BYTES = T(7, LEN);

/** Writes an AnyValue's JSON (the last of its oneof fields wins, as protobuf says; none is null). */
function writeAnyValue(r: Reader, end: number, depth: number): void {
  let tag = -1;
  let at = 0;
  while (r.p < end) {
    const t = r.u32(end);
    if (t >= TAG_STRING && t <= TAG_BYTES && (t === TAG_STRING || t === TAG_BOOL || t === TAG_INT || t === TAG_DOUBLE || t === TAG_ARRAY || t === TAG_KVLIST || t === TAG_BYTES)) {
      tag = t;
      at = r.p;
    }
    r.skip(t, end);
  }
  r.p = at;
  switch (tag) {
    case TAG_STRING: {
      const e = r.sub(end);
      arena.stringFromUtf8(r.b, r.p, e);
      break;
    }
    case TAG_BOOL:
      arena.ascii(r.u32(end) !== 0 ? "true" : "false");
      break;
    case TAG_INT:
      arena.ascii(String(r.i64(end)));
      break;
    case TAG_DOUBLE:
      arena.text(jsonDouble(r.double(end)));
      break;
    case TAG_ARRAY: {
      const e = r.sub(end);
      writeArray(r, e, depth + 1);
      break;
    }
    case TAG_KVLIST: {
      const e = r.sub(end);
      arena.byte(0x7b);
      writeKeyValues(r, e, T(1, LEN), depth + 1, null);
      arena.byte(0x7d);
      break;
    }
    case TAG_BYTES: {
      const e = r.sub(end);
      arena.byte(0x22);
      arena.ascii(r.b.base64Slice(r.p, e));
      arena.byte(0x22);
      break;
    }
    default:
      arena.ascii("null");
  }
  r.p = end;
}

/** An AnyValue's primitive value (for promoted attributes and service.name), undefined for others. */
function anyValuePrimitive(r: Reader, end: number): string | number | boolean | undefined {
  let out: string | number | boolean | undefined;
  while (r.p < end) {
    const tag = r.u32(end);
    if (tag === TAG_STRING) out = r.str(end);
    else if (tag === TAG_BOOL) out = r.u32(end) !== 0;
    else if (tag === TAG_INT) {
      const v = r.i64(end);
      out = typeof v === "number" ? v : undefined;
    } else if (tag === TAG_DOUBLE) out = r.double(end);
    else {
      if (tag === TAG_ARRAY || tag === TAG_KVLIST || tag === TAG_BYTES) out = undefined;
      r.skip(tag, end);
    }
  }
  return out;
}

function writeArray(r: Reader, end: number, depth: number): void {
  if (depth > MAX_NESTING) r.fail(`attribute values nested deeper than ${MAX_NESTING} levels`);
  arena.byte(0x5b);
  let first = true;
  while (r.p < end) {
    const tag = r.u32(end);
    if (tag !== T(1, LEN)) {
      r.skip(tag, end);
      continue;
    }
    const e = r.sub(end);
    if (!first) arena.byte(0x2c);
    first = false;
    writeAnyValue(r, e, depth);
  }
  arena.byte(0x5d);
}

/**
 * Hooks for the top-level KeyValues of a span (promoted columns) or of a resource (service.name).
 * `null` for nested kvlists, events and links.
 */
type KeyHook = { span: SpanRow | null; resource: { serviceName: unknown } | null };

/**
 * Writes the `"key":value,...` members of the repeated KeyValue fields tagged `kvTag` between r.p and
 * end, skipping other fields. Returns how many were written. A repeated key is written twice; jsonb
 * keeps the last value.
 */
function writeKeyValues(r: Reader, end: number, kvTag: number, depth: number, hook: KeyHook | null, count = 0): number {
  if (depth > MAX_NESTING) r.fail(`attribute values nested deeper than ${MAX_NESTING} levels`);
  while (r.p < end) {
    const tag = r.u32(end);
    if (tag !== kvTag) {
      r.skip(tag, end);
      continue;
    }
    const kvEnd = r.sub(end);
    if (writeKeyValue(r, kvEnd, depth, hook, count > 0)) count++;
    r.p = kvEnd;
  }
  return count;
}

/** Writes one KeyValue as a JSON member (nothing when it has no key); true when written. */
function writeKeyValue(r: Reader, end: number, depth: number, hook: KeyHook | null, comma: boolean): boolean {
  let keyStart = -1;
  let keyEnd = -1;
  let valueStart = -1;
  let valueEnd = -1;
  while (r.p < end) {
    const tag = r.u32(end);
    if (tag === T(1, LEN)) {
      keyEnd = r.sub(end);
      keyStart = r.p;
      r.p = keyEnd;
    } else if (tag === T(2, LEN)) {
      valueEnd = r.sub(end);
      valueStart = r.p;
      r.p = valueEnd;
    } else r.skip(tag, end);
  }
  if (keyStart < 0 || keyEnd === keyStart) return false;
  if (comma) arena.byte(0x2c);
  arena.stringFromUtf8(r.b, keyStart, keyEnd);
  arena.byte(0x3a);
  if (valueStart < 0) {
    arena.ascii("null");
    return true;
  }
  r.p = valueStart;
  writeAnyValue(r, valueEnd, depth);
  if (hook) {
    const key = hookKey(r.b, keyStart, keyEnd, hook);
    if (key !== undefined) {
      r.p = valueStart;
      const v = anyValuePrimitive(r, valueEnd);
      if (hook.span) promote(hook.span, key, v);
      else if (hook.resource) hook.resource.serviceName = v;
    }
  }
  return true;
}

// The keys a hook looks for, as bytes grouped by length: most keys are ruled out without making a string.
const PROMOTED_BY_LENGTH = new Map<number, { key: string; bytes: Buffer }[]>();
for (const key of PROMOTED_ATTRIBUTES) {
  const list = PROMOTED_BY_LENGTH.get(key.length) ?? [];
  list.push({ key, bytes: Buffer.from(key) });
  PROMOTED_BY_LENGTH.set(key.length, list);
}
const SERVICE_NAME = [{ key: "service.name", bytes: Buffer.from("service.name") }];

function hookKey(b: Buffer, start: number, end: number, hook: KeyHook): string | undefined {
  const n = end - start;
  const candidates = hook.span ? PROMOTED_BY_LENGTH.get(n) : n === 12 ? SERVICE_NAME : undefined;
  if (candidates === undefined) return undefined;
  for (const c of candidates) {
    let i = 0;
    while (i < n && b[start + i] === c.bytes[i]) i++;
    if (i === n) return c.key;
  }
  return undefined;
}

// ---- Messages ------------------------------------------------------------------------------------

// One hook object for every span's attributes (decoding is synchronous).
const spanHook: KeyHook = { span: null, resource: null };

function decodeResource(r: Reader, end: number): ResourceInfo {
  const found = { serviceName: undefined as unknown };
  const start = arena.pos;
  arena.byte(0x7b);
  writeKeyValues(r, end, T(1, LEN), 0, { span: null, resource: found });
  arena.byte(0x7d);
  return makeResource(found.serviceName, arena.slice(start, arena.pos));
}

function decodeScope(r: Reader, end: number): ScopeInfo {
  const scope: ScopeInfo = { name: null, version: null };
  while (r.p < end) {
    const tag = r.u32(end);
    if (tag === T(1, LEN)) scope.name = r.str(end) || null;
    else if (tag === T(2, LEN)) scope.version = r.str(end) || null;
    else r.skip(tag, end);
  }
  return scope;
}

const time = { us: 0, ns: 0 };

/** Writes one Event as a JSON object: {"name", "timeUnixNano", "attributes", "droppedAttributesCount"?}. */
function writeEvent(r: Reader, end: number): void {
  const start = r.p;
  let nameStart = -1;
  let nameEnd = -1;
  let dropped = 0;
  time.us = 0;
  time.ns = 0;
  while (r.p < end) {
    const tag = r.u32(end);
    if (tag === T(1, 1)) r.time(end, time);
    else if (tag === T(2, LEN)) {
      nameEnd = r.sub(end);
      nameStart = r.p;
      r.p = nameEnd;
    } else if (tag === T(4, 0)) dropped = r.u32(end);
    else r.skip(tag, end);
  }
  arena.ascii('{"name":');
  if (nameStart >= 0) arena.stringFromUtf8(r.b, nameStart, nameEnd);
  else arena.ascii('""');
  arena.ascii(`,"timeUnixNano":"${nanosString(time.us, time.ns)}","attributes":{`);
  r.p = start;
  writeKeyValues(r, end, T(3, LEN), 1, null);
  arena.ascii(dropped ? `},"droppedAttributesCount":${dropped}}` : "}}");
}

/** Writes one Link as a JSON object: {"traceId", "spanId" (hex), "traceState"?, "flags"?, "attributes", ...}. */
function writeLink(r: Reader, end: number): void {
  const start = r.p;
  let traceId = "";
  let spanId = "";
  let stateStart = -1;
  let stateEnd = -1;
  let flags = -1;
  let dropped = 0;
  while (r.p < end) {
    const tag = r.u32(end);
    if (tag === T(1, LEN)) traceId = hex(r.bytes(end));
    else if (tag === T(2, LEN)) spanId = hex(r.bytes(end));
    else if (tag === T(3, LEN)) {
      stateEnd = r.sub(end);
      stateStart = r.p;
      r.p = stateEnd;
    } else if (tag === T(5, 0)) dropped = r.u32(end);
    else if (tag === T(6, 5)) flags = r.fixed32(end);
    else r.skip(tag, end);
  }
  arena.ascii(`{"traceId":"${traceId}","spanId":"${spanId}"`);
  if (stateEnd > stateStart) {
    arena.ascii(',"traceState":');
    arena.stringFromUtf8(r.b, stateStart, stateEnd);
  }
  if (flags >= 0) arena.ascii(`,"flags":${flags}`);
  arena.ascii(',"attributes":{');
  r.p = start;
  writeKeyValues(r, end, T(4, LEN), 1, null);
  arena.ascii(dropped ? `},"droppedAttributesCount":${dropped}}` : "}}");
}

function decodeStatus(r: Reader, end: number, span: SpanRow): void {
  while (r.p < end) {
    const tag = r.u32(end);
    if (tag === T(2, LEN)) span.statusMessage = r.str(end) || null;
    else if (tag === T(3, 0)) span.statusCode = r.u32(end);
    else r.skip(tag, end);
  }
}

/**
 * Reads a Span. Scalar fields are read in one pass; the attributes, events and links (repeated fields
 * that may come in any order, interleaved) are then written to the arena one kind after the other.
 */
function decodeSpan(r: Reader, end: number, span: SpanRow): void {
  const start = r.p;
  let events = 0;
  let links = 0;
  while (r.p < end) {
    const tag = r.u32(end);
    switch (tag) {
      case T(1, LEN):
        span.traceId = r.bytes(end);
        break;
      case T(2, LEN):
        span.spanId = r.bytes(end);
        break;
      case T(3, LEN):
        span.traceState = r.str(end) || null;
        break;
      case T(4, LEN):
        span.parentSpanId = r.bytes(end);
        break;
      case T(5, LEN):
        span.name = r.str(end);
        break;
      case T(6, 0):
        span.kind = r.u32(end);
        break;
      case T(7, 1):
        r.time(end, time);
        span.startUs = time.us;
        span.startNs = time.ns;
        break;
      case T(8, 1):
        r.time(end, time);
        span.endUs = time.us;
        span.endNs = time.ns;
        break;
      case T(11, LEN):
        events++;
        r.skip(tag, end);
        break;
      case T(13, LEN):
        links++;
        r.skip(tag, end);
        break;
      case T(15, LEN): {
        const e = r.sub(end);
        decodeStatus(r, e, span);
        r.p = e;
        break;
      }
      case T(16, 5):
        span.flags = r.fixed32(end);
        break;
      default: {
        // A known field with another wire type is not an OTLP span (dropped counts 10, 12, 14 are skipped).
        const f = tag >>> 3;
        if (f >= 1 && f <= 16 && f !== 9 && f !== 10 && f !== 12 && f !== 14) r.fail(`span field ${f} has wire type ${tag & 7}`);
        if (f === 9 && (tag & 7) !== LEN) r.fail(`span field 9 has wire type ${tag & 7}`);
        r.skip(tag, end);
      }
    }
  }
  span.attrStart = arena.pos;
  arena.byte(0x7b);
  r.p = start;
  spanHook.span = span;
  writeKeyValues(r, end, T(9, LEN), 0, spanHook);
  arena.byte(0x7d);
  span.attrEnd = arena.pos;
  if (events > 0) span.eventsStart = writeRepeated(r, start, end, T(11, LEN), writeEvent, span, "events");
  if (links > 0) span.linksStart = writeRepeated(r, start, end, T(13, LEN), writeLink, span, "links");
  r.p = end;
}

/** Writes the repeated message field `tag` of a span as a JSON array; returns where it starts (sets the end). */
function writeRepeated(r: Reader, start: number, end: number, tag: number, write: (r: Reader, end: number) => void, span: SpanRow, which: "events" | "links"): number {
  const at = arena.pos;
  arena.byte(0x5b);
  let first = true;
  r.p = start;
  while (r.p < end) {
    const t = r.u32(end);
    if (t !== tag) {
      r.skip(t, end);
      continue;
    }
    const e = r.sub(end);
    if (!first) arena.byte(0x2c);
    first = false;
    write(r, e);
    r.p = e;
  }
  arena.byte(0x5d);
  if (which === "events") span.eventsEnd = arena.pos;
  else span.linksEnd = arena.pos;
  return at;
}

/**
 * Splits a ResourceSpans or ScopeSpans (whose fields may come in any order): pushes the byte ranges of
 * the repeated field 2 (scope_spans / spans) onto `out` and returns the range of field 1 (resource /
 * scope), if any.
 */
function split(r: Reader, end: number, out: number[]): [number, number] | undefined {
  let first: [number, number] | undefined;
  while (r.p < end) {
    const tag = r.u32(end);
    if (tag === T(2, LEN)) {
      const e = r.sub(end);
      out.push(r.p, e);
      r.p = e;
    } else if (tag === T(1, LEN)) {
      const e = r.sub(end);
      first = [r.p, e];
      r.p = e;
    } else {
      if (tag >>> 3 === 1 || tag >>> 3 === 2) r.fail(`field ${tag >>> 3} has wire type ${tag & 7}`);
      r.skip(tag, end);
    }
  }
  return first;
}

/**
 * Decodes an ExportTraceServiceRequest. Spans that cannot be stored (bad ids, times outside `window`)
 * are counted in `rejected`; a message that is not valid protobuf throws MalformedRequestError.
 */
export function decodeTraceRequestProtobuf(body: Buffer, window: TimeWindow): DecodedRequest {
  arena.reset();
  const r = new Reader(body);
  const result: DecodedRequest = { spans: [], rejected: 0, reasons: new Map() };
  const end = body.length;
  while (r.p < end) {
    const tag = r.u32(end);
    if (tag !== T(1, LEN)) {
      if (tag >>> 3 === 1) r.fail(`field 1 has wire type ${tag & 7}`);
      r.skip(tag, end);
      continue;
    }
    const rsEnd = r.sub(end);
    decodeResourceSpans(r, rsEnd, window, result);
    r.p = rsEnd;
  }
  return result;
}

function decodeResourceSpans(r: Reader, end: number, window: TimeWindow, result: DecodedRequest): void {
  const scopes: number[] = [];
  const resourceRange = split(r, end, scopes);
  let resource: ResourceInfo;
  if (resourceRange) {
    r.p = resourceRange[0];
    resource = decodeResource(r, resourceRange[1]);
  } else {
    resource = makeResource(undefined, "{}");
  }
  for (let i = 0; i < scopes.length; i += 2) {
    r.p = scopes[i]!;
    decodeScopeSpans(r, scopes[i + 1]!, resource, window, result);
  }
}

function decodeScopeSpans(r: Reader, end: number, resource: ResourceInfo, window: TimeWindow, result: DecodedRequest): void {
  const spans: number[] = [];
  const scopeRange = split(r, end, spans);
  let scope: ScopeInfo = { name: null, version: null };
  if (scopeRange) {
    r.p = scopeRange[0];
    scope = decodeScope(r, scopeRange[1]);
  }
  for (let i = 0; i < spans.length; i += 2) {
    r.p = spans[i]!;
    const span = new SpanRow(resource, scope);
    decodeSpan(r, spans[i + 1]!, span);
    const why = checkSpan(span, window);
    if (why === undefined) result.spans.push(span);
    else reject(result, why);
  }
}
