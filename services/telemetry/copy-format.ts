import { arena } from "./otlp/json-arena";
import { cleanText, MAX_NAME, type ResourceInfo, type ScopeInfo, type SpanRow } from "./otlp/normalize";

/**
 * Spans as PostgreSQL's binary COPY format (https://www.postgresql.org/docs/15/sql-copy.html#id-1.9.3.55.9.4):
 * no text escaping on either side, ids copied as raw bytes, times as int64 microseconds. One request's
 * spans become one buffer of tuples; the writer wraps groups of them in the header and trailer.
 */

/** The columns of telemetry.spans in the order the encoder writes them. */
export const SPAN_COLUMNS = [
  "trace_id",
  "span_id",
  "parent_span_id",
  "trace_state",
  "flags",
  "resource_id",
  "service_name",
  "name",
  "kind",
  "start_time",
  "end_time",
  "duration_ns",
  "status_code",
  "status_message",
  "http_route",
  "http_method",
  "http_status_code",
  "db_system",
  "messaging_system",
  "messaging_destination",
  "peer_service",
  "scope_name",
  "scope_version",
  "attributes",
  "events",
  "links",
] as const;

export const COPY_HEADER = Buffer.from([
  ...Buffer.from("PGCOPY\n\xff\r\n\0", "latin1"),
  0, 0, 0, 0, // flags
  0, 0, 0, 0, // header extension length
]);
export const COPY_TRAILER = Buffer.from([0xff, 0xff]);

// PostgreSQL timestamps count microseconds from 2000-01-01T00:00:00Z.
const PG_EPOCH_US = 946_684_800_000_000;
const DAY_US = 86_400_000_000;

/**
 * Encoded tuples of one request: the bytes, how many spans, which UTC days (as day numbers) they fall on,
 * and the distinct resources they refer to.
 */
export type EncodedSpans = { data: Buffer; count: number; days: Set<number>; resources: ResourceInfo[] };

type Writing = Buffer & { utf8Write(s: string, offset: number): number };

const SLAB_SIZE = 4 << 20;

/**
 * Tuples are written into shared slabs: each request's tuples are a slice of the current slab (no copy),
 * and a new slab starts when one is full (the request written so far moves over). A slab is freed when
 * the last request slicing it has been written.
 */
class TupleBuffer {
  buf: Writing = Buffer.allocUnsafeSlow(SLAB_SIZE) as Writing;
  /** Where the current request's tuples start. */
  start = 0;
  pos = 0;

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const used = this.pos - this.start;
    const next = Buffer.allocUnsafeSlow(Math.max(SLAB_SIZE, (used + n) * 2)) as Writing;
    this.buf.copy(next, 0, this.start, this.pos);
    this.buf = next;
    this.start = 0;
    this.pos = used;
  }

  // Byte by byte: Buffer's write*BE methods check their arguments on every call, and this runs ~30 times a span.
  i16(v: number): void {
    this.ensure(2);
    const b = this.buf;
    b[this.pos] = v >>> 8;
    b[this.pos + 1] = v;
    this.pos += 2;
  }

  /** Four bytes, big-endian (callers ensure the room). */
  i32(v: number): void {
    const b = this.buf;
    const p = this.pos;
    b[p] = v >>> 24;
    b[p + 1] = v >>> 16;
    b[p + 2] = v >>> 8;
    b[p + 3] = v;
    this.pos = p + 4;
  }

  /** A field holding a 64-bit integer (non-negative or negative, exact below 2^53). */
  int8Field(v: number): void {
    this.ensure(12);
    this.i32(8);
    const hi = Math.floor(v / 4294967296);
    this.i32(hi | 0);
    this.i32(v - hi * 4294967296);
  }

  int4Field(v: number | null): void {
    this.ensure(8);
    if (v === null) return this.i32(-1);
    this.i32(4);
    this.i32(v);
  }

  int2Field(v: number): void {
    this.ensure(6);
    this.i32(2);
    const b = this.buf;
    b[this.pos] = v >>> 8;
    b[this.pos + 1] = v;
    this.pos += 2;
  }

  bytesField(v: Uint8Array | null): void {
    if (v === null) return this.nullField();
    const n = v.length;
    this.ensure(4 + n);
    this.i32(n);
    const b = this.buf;
    let p = this.pos;
    if (n <= 32) for (let i = 0; i < n; i++) b[p++] = v[i]!;
    else {
      b.set(v, p);
      p += n;
    }
    this.pos = p;
  }

  nullField(): void {
    this.ensure(4);
    this.i32(-1);
  }

  textField(s: string | null): void {
    if (s === null) return this.nullField();
    this.ensure(4 + s.length * 3);
    const n = this.buf.utf8Write(s, this.pos + 4);
    this.i32(n);
    this.pos += n;
  }

  /** jsonb's binary form: a version byte (1) and the JSON text, here `src[start, end)`; NULL when start < 0. */
  jsonbRange(src: Buffer, start: number, end: number): void {
    if (start < 0) return this.nullField();
    const n = end - start;
    this.ensure(5 + n);
    this.i32(n + 1);
    this.buf[this.pos++] = 1;
    src.copy(this.buf, this.pos, start, end);
    this.pos += n;
  }

  /** Starts a request's tuples. */
  begin(): void {
    this.start = this.pos;
  }

  /** The request's tuples (a slice of the slab). */
  take(): Buffer {
    const out = this.buf.subarray(this.start, this.pos);
    // A slab grown for one huge request is not kept for the next ones.
    if (this.buf.length > SLAB_SIZE) {
      this.buf = Buffer.allocUnsafeSlow(SLAB_SIZE) as Writing;
      this.start = this.pos = 0;
    }
    return out;
  }
}

// Encoding is synchronous, so one slab writer per process serves every request.
const slabs = new TupleBuffer();

function scopeBytes(s: ScopeInfo): NonNullable<ScopeInfo["encoded"]> {
  return (s.encoded ??= {
    name: s.name === null ? null : Buffer.from(cleanText(s.name, MAX_NAME), "utf8"),
    version: s.version === null ? null : Buffer.from(cleanText(s.version, MAX_NAME), "utf8"),
  });
}

/**
 * Encodes spans as binary COPY tuples for SPAN_COLUMNS. Must run before the next request is decoded:
 * the spans' JSON is in the arena.
 */
export function encodeSpans(spans: readonly SpanRow[]): EncodedSpans {
  const out = slabs;
  out.begin();
  const days = new Set<number>();
  const resources: ResourceInfo[] = [];
  for (const s of spans) {
    const resource = s.resource;
    if (resource.encodedServiceName === undefined) {
      resource.encodedServiceName = Buffer.from(resource.serviceName, "utf8");
      resources.push(resource);
    }
    const scope = scopeBytes(s.scope);
    days.add(Math.floor(s.startUs / DAY_US));
    out.i16(SPAN_COLUMNS.length);
    out.bytesField(s.traceId);
    out.bytesField(s.spanId);
    out.bytesField(s.parentSpanId);
    out.textField(s.traceState);
    out.int4Field(s.flags === null ? null : s.flags | 0);
    out.bytesField(resource.id);
    out.bytesField(resource.encodedServiceName);
    out.textField(s.name);
    out.int2Field(s.kind);
    out.int8Field(s.startUs - PG_EPOCH_US);
    out.int8Field(s.endUs - PG_EPOCH_US);
    out.int8Field(s.durationNs);
    out.int2Field(s.statusCode);
    out.textField(s.statusMessage);
    out.textField(s.httpRoute);
    out.textField(s.httpMethod);
    out.int4Field(s.httpStatusCode);
    out.textField(s.dbSystem);
    out.textField(s.messagingSystem);
    out.textField(s.messagingDestination);
    out.textField(s.peerService);
    out.bytesField(scope.name);
    out.bytesField(scope.version);
    out.jsonbRange(arena.buf, s.attrStart, s.attrEnd);
    out.jsonbRange(arena.buf, s.eventsStart, s.eventsEnd);
    out.jsonbRange(arena.buf, s.linksStart, s.linksEnd);
  }
  return { data: out.take(), count: spans.length, days, resources };
}

/** The UTC day (days since the Unix epoch) a day number stands for, as [from, to) ISO timestamps. */
export function dayBounds(day: number): { from: string; to: string } {
  return { from: new Date(day * 86_400_000).toISOString(), to: new Date((day + 1) * 86_400_000).toISOString() };
}
