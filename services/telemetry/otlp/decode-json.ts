import { arena } from "./json-arena";
import {
  checkSpan,
  type DecodedRequest,
  hex,
  isPromoted,
  jsonDouble,
  jsonString,
  makeResource,
  MalformedRequestError,
  MAX_NESTING,
  nanosString,
  promote,
  reject,
  type ScopeInfo,
  SpanRow,
  type TimeWindow,
} from "./normalize";

/**
 * The OTLP/JSON encoding (https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding): the protobuf
 * messages in proto3's JSON mapping with lowerCamelCase keys, trace and span ids as hex strings, enums as
 * integers. Real exporters differ, so this also accepts base64 ids (proto3's default for bytes), 64-bit
 * integers as numbers or strings, and enum names.
 */

type Json = unknown;
type Obj = Record<string, Json>;

const isObj = (v: Json): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const list = (v: Json): Json[] => (Array.isArray(v) ? v : []);

const HEX_ID = /^[0-9a-fA-F]*$/;

/** An id from its hex form (or base64, which some exporters send); an empty array when absent or unreadable. */
export function idBytes(v: Json, length: number): Uint8Array {
  if (typeof v !== "string" || v === "") return new Uint8Array(0);
  if (v.length === length * 2 && HEX_ID.test(v)) return Buffer.from(v, "hex");
  const b = Buffer.from(v, "base64");
  return b.length === length ? b : Buffer.from([1]); // wrong length: rejected by checkSpan
}

const INT = /^-?\d+$/;

/** A nanosecond timestamp given as a decimal string (exact) or a number (as exact as a double is). */
function readTime(v: Json, out: { us: number; ns: number }): boolean {
  if (typeof v === "string" && INT.test(v) && v[0] !== "-") {
    out.us = v.length > 3 ? Number(v.slice(0, -3)) : 0;
    out.ns = Number(v.slice(-3));
    return true;
  }
  if (typeof v === "number" && Number.isFinite(v) && v >= 0) {
    out.us = Math.floor(v / 1000);
    out.ns = Math.round(v - out.us * 1000);
    return true;
  }
  out.us = 0;
  out.ns = 0;
  return v === undefined || v === null;
}

const SPAN_KINDS: Record<string, number> = {
  SPAN_KIND_UNSPECIFIED: 0,
  SPAN_KIND_INTERNAL: 1,
  SPAN_KIND_SERVER: 2,
  SPAN_KIND_CLIENT: 3,
  SPAN_KIND_PRODUCER: 4,
  SPAN_KIND_CONSUMER: 5,
};
const STATUS_CODES: Record<string, number> = { STATUS_CODE_UNSET: 0, STATUS_CODE_OK: 1, STATUS_CODE_ERROR: 2 };

function enumValue(v: Json, names: Record<string, number>): number {
  if (typeof v === "number" && Number.isInteger(v)) return v;
  if (typeof v === "string") return INT.test(v) ? Number(v) : (names[v] ?? 0);
  return 0;
}

function uint(v: Json): number {
  const n = typeof v === "string" && INT.test(v) ? Number(v) : v;
  return typeof n === "number" && Number.isInteger(n) && n >= 0 ? n : 0;
}

function anyValueJson(v: Json, depth: number): string {
  if (!isObj(v)) return "null";
  if (depth > MAX_NESTING) throw new MalformedRequestError(`attribute values nested deeper than ${MAX_NESTING} levels`);
  if ("stringValue" in v) return typeof v.stringValue === "string" ? jsonString(v.stringValue) : "null";
  if ("boolValue" in v) return v.boolValue === true || v.boolValue === "true" ? "true" : "false";
  if ("intValue" in v) {
    const i = v.intValue;
    if (typeof i === "number" && Number.isInteger(i)) return String(i);
    return typeof i === "string" && INT.test(i) ? String(BigInt(i)) : "null";
  }
  if ("doubleValue" in v) {
    const d = v.doubleValue;
    if (typeof d === "number") return jsonDouble(d);
    return typeof d === "string" && d.trim() !== "" && !Number.isNaN(Number(d)) ? jsonDouble(Number(d)) : d === "NaN" ? '"NaN"' : "null";
  }
  if ("arrayValue" in v) {
    const values = isObj(v.arrayValue) ? list(v.arrayValue.values) : [];
    return `[${values.map((x) => anyValueJson(x, depth + 1)).join(",")}]`;
  }
  if ("kvlistValue" in v) {
    return `{${keyValuesJson(isObj(v.kvlistValue) ? v.kvlistValue.values : undefined, depth + 1, null)}}`;
  }
  if ("bytesValue" in v) {
    return typeof v.bytesValue === "string" ? jsonString(Buffer.from(v.bytesValue, "base64").toString("base64")) : "null";
  }
  return "null";
}

function primitive(v: Json): unknown {
  if (!isObj(v)) return undefined;
  if ("stringValue" in v) return v.stringValue;
  if ("intValue" in v) return typeof v.intValue === "string" && INT.test(v.intValue) ? Number(v.intValue) : v.intValue;
  if ("boolValue" in v) return v.boolValue;
  if ("doubleValue" in v) return v.doubleValue;
  return undefined;
}

type KeyHook = { span: SpanRow | null; resource: { serviceName: unknown } | null };

function keyValuesJson(kvs: Json, depth: number, hook: KeyHook | null): string {
  let out = "";
  for (const kv of list(kvs)) {
    if (!isObj(kv) || typeof kv.key !== "string" || kv.key === "") continue;
    const member = `${jsonString(kv.key)}:${anyValueJson(kv.value, depth)}`;
    out = out === "" ? member : `${out},${member}`;
    if (hook?.span && isPromoted(kv.key)) promote(hook.span, kv.key, primitive(kv.value));
    else if (hook?.resource && kv.key === "service.name") hook.resource.serviceName = primitive(kv.value);
  }
  return out;
}

const time = { us: 0, ns: 0 };

function eventJson(e: Json): string {
  if (!isObj(e)) return "";
  readTime(e.timeUnixNano, time);
  const dropped = uint(e.droppedAttributesCount);
  return (
    `{"name":${jsonString(typeof e.name === "string" ? e.name : "")},"timeUnixNano":"${nanosString(time.us, time.ns)}",` +
    `"attributes":{${keyValuesJson(e.attributes, 1, null)}}${dropped ? `,"droppedAttributesCount":${dropped}` : ""}}`
  );
}

function linkJson(l: Json): string {
  if (!isObj(l)) return "";
  const traceState = typeof l.traceState === "string" && l.traceState ? `,"traceState":${jsonString(l.traceState)}` : "";
  const flags = l.flags === undefined ? "" : `,"flags":${uint(l.flags)}`;
  const dropped = uint(l.droppedAttributesCount);
  return (
    `{"traceId":"${hex(idBytes(l.traceId, 16))}","spanId":"${hex(idBytes(l.spanId, 8))}"${traceState}${flags},` +
    `"attributes":{${keyValuesJson(l.attributes, 1, null)}}${dropped ? `,"droppedAttributesCount":${dropped}` : ""}}`
  );
}

function decodeSpan(s: Obj, span: SpanRow): void {
  span.traceId = idBytes(s.traceId, 16);
  span.spanId = idBytes(s.spanId, 8);
  if (s.parentSpanId !== undefined && s.parentSpanId !== "") span.parentSpanId = idBytes(s.parentSpanId, 8);
  if (typeof s.traceState === "string" && s.traceState) span.traceState = s.traceState;
  if (s.flags !== undefined) span.flags = uint(s.flags);
  span.name = typeof s.name === "string" ? s.name : "";
  span.kind = enumValue(s.kind, SPAN_KINDS);
  if (!readTime(s.startTimeUnixNano, time)) span.invalid = "unreadable start time";
  span.startUs = time.us;
  span.startNs = time.ns;
  if (!readTime(s.endTimeUnixNano, time)) span.invalid = "unreadable end time";
  span.endUs = time.us;
  span.endNs = time.ns;
  span.attrStart = arena.pos;
  arena.text(`{${keyValuesJson(s.attributes, 0, { span, resource: null })}}`);
  span.attrEnd = arena.pos;
  const events = list(s.events).map(eventJson).filter(Boolean);
  if (events.length) {
    span.eventsStart = arena.pos;
    arena.text(`[${events.join(",")}]`);
    span.eventsEnd = arena.pos;
  }
  const links = list(s.links).map(linkJson).filter(Boolean);
  if (links.length) {
    span.linksStart = arena.pos;
    arena.text(`[${links.join(",")}]`);
    span.linksEnd = arena.pos;
  }
  if (isObj(s.status)) {
    span.statusCode = enumValue(s.status.code, STATUS_CODES);
    if (typeof s.status.message === "string" && s.status.message) span.statusMessage = s.status.message;
  }
}

/**
 * Decodes an ExportTraceServiceRequest in OTLP/JSON. A body that is not JSON, or whose structure is not
 * that message, throws MalformedRequestError; spans that cannot be stored are counted in `rejected`.
 */
export function decodeTraceRequestJson(body: Buffer, window: TimeWindow): DecodedRequest {
  let doc: Json;
  try {
    doc = JSON.parse(body.toString("utf8"));
  } catch (err) {
    throw new MalformedRequestError(`malformed JSON: ${(err as Error).message}`);
  }
  if (!isObj(doc)) throw new MalformedRequestError("malformed request: expected an ExportTraceServiceRequest object");
  if (doc.resourceSpans !== undefined && !Array.isArray(doc.resourceSpans)) {
    throw new MalformedRequestError("malformed request: resourceSpans must be an array");
  }
  const result: DecodedRequest = { spans: [], rejected: 0, reasons: new Map() };
  arena.reset();
  for (const rs of list(doc.resourceSpans)) {
    if (!isObj(rs)) throw new MalformedRequestError("malformed request: a ResourceSpans is not an object");
    const found = { serviceName: undefined as unknown };
    const attrs = isObj(rs.resource) ? keyValuesJson(rs.resource.attributes, 0, { span: null, resource: found }) : "";
    const resource = makeResource(found.serviceName, `{${attrs}}`);
    for (const ss of list(rs.scopeSpans)) {
      if (!isObj(ss)) throw new MalformedRequestError("malformed request: a ScopeSpans is not an object");
      const sc = isObj(ss.scope) ? ss.scope : {};
      const scope: ScopeInfo = {
        name: typeof sc.name === "string" && sc.name ? sc.name : null,
        version: typeof sc.version === "string" && sc.version ? sc.version : null,
      };
      for (const s of list(ss.spans)) {
        if (!isObj(s)) {
          reject(result, "a span is not an object");
          continue;
        }
        const span = new SpanRow(resource, scope);
        decodeSpan(s, span);
        const why = checkSpan(span, window);
        if (why === undefined) result.spans.push(span);
        else reject(result, why);
      }
    }
  }
  return result;
}
