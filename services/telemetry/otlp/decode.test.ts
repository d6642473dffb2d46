import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { JsonTraceSerializer, ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import { decodeTraceRequestJson } from "./decode-json";
import { decodeTraceRequestProtobuf } from "./decode-protobuf";
import { hex, MalformedRequestError, type SpanRow, timeWindow } from "./normalize";

const window = timeWindow(Date.now(), 7);

/** Real SDK spans: a server span with a client child (event, error status) and a consumer linked to it. */
function sdkSpans(): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": "checkout", "deployment.environment.name": "test", "process.pid": 4242 }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer("unit-test", "1.2.3");
  const root = tracer.startSpan("GET /cart", {
    kind: SpanKind.SERVER,
    attributes: { "http.request.method": "GET", "http.route": "/cart", "http.response.status_code": 200, ratio: 0.25, whole: 2, ok: true, tags: ["a", "b"] },
  });
  const child = tracer.startSpan("SELECT cart", { kind: SpanKind.CLIENT, attributes: { "db.system.name": "postgresql", "db.query.text": 'SELECT "x" FROM t\twhere a = \'\\n\'' } }, trace.setSpan(ROOT_CONTEXT, root));
  child.addEvent("retry", { attempt: 2 });
  child.setStatus({ code: SpanStatusCode.ERROR, message: "deadlock detected" });
  child.end();
  const consumer = tracer.startSpan("process cart.updated", {
    kind: SpanKind.CONSUMER,
    links: [{ context: child.spanContext(), attributes: { "messaging.operation.type": "send" } }],
    attributes: { "messaging.system": "bullmq", "messaging.destination.name": "cart" },
  });
  consumer.end();
  root.end();
  const spans = memory.getFinishedSpans();
  // The SDK's API only takes primitive (array) values; OTLP also carries kvlists and bytes, which other SDKs send.
  Object.assign(spans.find((s) => s.name === "GET /cart")!.attributes, { nested: { a: 1, b: ["x", true] }, raw: new Uint8Array([0, 1, 254, 255]) });
  return spans;
}

/** A decoded span as plain data, taken at once (its JSON lives in the arena until the next decode). */
function view(r: SpanRow) {
  const { resource, scope, ...fields } = r;
  return {
    ...fields,
    traceId: hex(r.traceId),
    spanId: hex(r.spanId),
    parentSpanId: r.parentSpanId && hex(r.parentSpanId),
    attributesJson: r.attributesJson,
    eventsJson: r.eventsJson,
    linksJson: r.linksJson,
    resource: { ...resource, id: resource.id.toString("hex") },
    scope,
  };
}
type View = ReturnType<typeof view>;

const byName = (rows: View[], name: string) => rows.find((r) => r.name === name)!;

describe("the protobuf and JSON decoders", () => {
  const spans = sdkSpans();
  const pb = decodeTraceRequestProtobuf(Buffer.from(ProtobufTraceSerializer.serializeRequest(spans)!), window);
  const fromProtobuf = { ...pb, spans: pb.spans.map(view) };
  const js = decodeTraceRequestJson(Buffer.from(JsonTraceSerializer.serializeRequest(spans)!), window);
  const fromJson = { ...js, spans: js.spans.map(view) };

  it("read the official exporters' encodings into the same rows", () => {
    expect(fromProtobuf.rejected).toBe(0);
    expect(fromProtobuf.spans).toHaveLength(3);
    // Offsets into the arena differ (other texts were written before); the texts themselves must not.
    const strip = ({ attrStart: _a, attrEnd: _b, eventsStart: _c, eventsEnd: _d, linksStart: _e, linksEnd: _f, ...rest }: View) => rest;
    expect(fromJson.spans.map(strip)).toEqual(fromProtobuf.spans.map(strip));
  });

  it("keep ids, parentage, kind, times, status, events and links", () => {
    const root = spans.find((s) => s.name === "GET /cart")!;
    const child = spans.find((s) => s.name === "SELECT cart")!;
    const r = byName(fromProtobuf.spans, "GET /cart");
    const c = byName(fromProtobuf.spans, "SELECT cart");
    expect(r.traceId).toBe(root.spanContext().traceId);
    expect(r.parentSpanId).toBeNull();
    expect(c.parentSpanId).toBe(root.spanContext().spanId);
    expect([r.kind, c.kind]).toEqual([2, 3]); // OTLP SpanKind: SERVER 2, CLIENT 3
    expect(r.startUs).toBe(root.startTime[0] * 1_000_000 + Math.floor(root.startTime[1] / 1000));
    expect(r.durationNs).toBe((root.endTime[0] - root.startTime[0]) * 1e9 + root.endTime[1] - root.startTime[1]);
    expect([c.statusCode, c.statusMessage]).toEqual([2, "deadlock detected"]);
    expect(JSON.parse(c.eventsJson!)).toEqual([{ name: "retry", timeUnixNano: expect.stringMatching(/^\d{19}$/), attributes: { attempt: 2 } }]);
    const consumer = byName(fromProtobuf.spans, "process cart.updated");
    expect(JSON.parse(consumer.linksJson!)).toEqual([
      { traceId: child.spanContext().traceId, spanId: child.spanContext().spanId, flags: expect.any(Number), attributes: { "messaging.operation.type": "send" } },
    ]);
    expect(r.scope).toMatchObject({ name: "unit-test", version: "1.2.3" });
  });

  it("store attributes of every type as JSON, doubles recognisable as doubles, and promote the searched ones", () => {
    const r = byName(fromProtobuf.spans, "GET /cart");
    expect(r.attributesJson).toContain('"ratio":0.25');
    expect(r.attributesJson).toContain('"whole":2'); // the SDK sends a whole JS number as an int
    expect(JSON.parse(r.attributesJson)).toMatchObject({ ok: true, tags: ["a", "b"], nested: { a: 1, b: ["x", true] }, raw: "AAH+/w==" });
    expect([r.httpRoute, r.httpMethod, r.httpStatusCode]).toEqual(["/cart", "GET", 200]);
    const c = byName(fromProtobuf.spans, "SELECT cart");
    expect(c.dbSystem).toBe("postgresql");
    expect(JSON.parse(c.attributesJson)["db.query.text"]).toBe('SELECT "x" FROM t\twhere a = \'\\n\'');
    expect(byName(fromProtobuf.spans, "process cart.updated")).toMatchObject({ messagingSystem: "bullmq", messagingDestination: "cart" });
    expect(r.resource.serviceName).toBe("checkout");
    expect(JSON.parse(r.resource.attributesJson)).toMatchObject({ "service.name": "checkout", "process.pid": 4242 });
  });
});

describe("the JSON decoder", () => {
  const span = (over: Record<string, unknown>) =>
    Buffer.from(
      JSON.stringify({
        resourceSpans: [
          {
            resource: { attributes: [{ key: "service.name", value: { stringValue: "svc" } }] },
            scopeSpans: [{ scope: { name: "s" }, spans: [{ traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331", name: "op", kind: 2, startTimeUnixNano: String(Date.now() * 1e6), endTimeUnixNano: String(Date.now() * 1e6 + 1500), ...over }] }],
          },
        ],
      }),
    );

  it("accepts base64 ids, 64-bit ints as strings or numbers, and enum names", () => {
    const now = BigInt(Date.now()) * 1_000_000n;
    const out = decodeTraceRequestJson(
      span({
        traceId: Buffer.from("0af7651916cd43dd8448eb211c80319c", "hex").toString("base64"),
        spanId: Buffer.from("b7ad6b7169203331", "hex").toString("base64"),
        kind: "SPAN_KIND_PRODUCER",
        startTimeUnixNano: now.toString(),
        endTimeUnixNano: Number(now + 2_000_000n),
        status: { code: "STATUS_CODE_ERROR" },
        attributes: [
          { key: "big", value: { intValue: "9007199254740993" } },
          { key: "n", value: { intValue: 7 } },
          { key: "d", value: { doubleValue: "NaN" } },
          { key: "e", value: {} },
        ],
      }),
      window,
    );
    expect(out.rejected).toBe(0);
    const s = view(out.spans[0]!);
    expect(s.traceId).toBe("0af7651916cd43dd8448eb211c80319c");
    expect([s.kind, s.statusCode]).toEqual([4, 2]);
    expect(s.attributesJson).toBe('{"big":9007199254740993,"n":7,"d":"NaN","e":null}');
    expect(Math.abs(s.durationNs - 2_000_000)).toBeLessThan(1000); // the end came as a (lossy) JSON number
  });

  it("rejects spans it cannot store and counts why", () => {
    const out = decodeTraceRequestJson(
      Buffer.from(
        JSON.stringify({
          resourceSpans: [
            {
              scopeSpans: [
                {
                  spans: [
                    { traceId: "", spanId: "b7ad6b7169203331", startTimeUnixNano: "1", endTimeUnixNano: "2" },
                    { traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "00", startTimeUnixNano: String(Date.now() * 1e6), endTimeUnixNano: String(Date.now() * 1e6) },
                    { traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331", startTimeUnixNano: "1000", endTimeUnixNano: "2000" },
                    "not a span",
                  ],
                },
              ],
            },
          ],
        }),
      ),
      window,
    );
    expect(out.spans).toHaveLength(0);
    expect(out.rejected).toBe(4);
    expect([...out.reasons.keys()]).toEqual(expect.arrayContaining(["invalid trace id (must be 16 bytes, not all zero)", "start time outside the retention window"]));
  });

  it("refuses what is not an ExportTraceServiceRequest", () => {
    expect(() => decodeTraceRequestJson(Buffer.from("{nope"), window)).toThrow(MalformedRequestError);
    expect(() => decodeTraceRequestJson(Buffer.from("[1]"), window)).toThrow(MalformedRequestError);
    expect(() => decodeTraceRequestJson(Buffer.from('{"resourceSpans": 3}'), window)).toThrow(MalformedRequestError);
  });
});

describe("the protobuf decoder", () => {
  it("refuses truncated or garbled messages", () => {
    const good = Buffer.from(ProtobufTraceSerializer.serializeRequest(sdkSpans())!);
    expect(() => decodeTraceRequestProtobuf(good.subarray(0, good.length - 7), window)).toThrow(MalformedRequestError);
    expect(() => decodeTraceRequestProtobuf(Buffer.from("this is not protobuf"), window)).toThrow(MalformedRequestError);
    expect(decodeTraceRequestProtobuf(Buffer.alloc(0), window).spans).toEqual([]);
  });

  it("refuses attribute values nested beyond the limit instead of recursing without end", () => {
    // AnyValue{array_value: ArrayValue{values: AnyValue{...}}} nested 100 deep, inside one span attribute.
    let v = field(1, Buffer.from("x")); // AnyValue{string_value: "x"}
    for (let i = 0; i < 100; i++) v = field(5, field(1, v)); // AnyValue{array_value: ArrayValue{values: [v]}}
    const kv = Buffer.concat([field(1, Buffer.from("deep")), field(2, v)]);
    const span = Buffer.concat([field(1, Buffer.alloc(16, 1)), field(2, Buffer.alloc(8, 1)), field(9, kv)]);
    const req = field(1, field(2, field(2, span)));
    expect(() => decodeTraceRequestProtobuf(req, window)).toThrow(/nested deeper/);
  });

  it("skips unknown fields and reads a ResourceSpans whose resource comes after its spans", () => {
    const now = BigInt(Date.now()) * 1_000_000n;
    const fixed64 = (n: bigint) => {
      const b = Buffer.alloc(8);
      b.writeBigUInt64LE(n);
      return b;
    };
    const span = Buffer.concat([
      field(1, Buffer.alloc(16, 7)),
      field(2, Buffer.alloc(8, 9)),
      field(5, Buffer.from("late resource")),
      Buffer.from([(7 << 3) | 1]),
      fixed64(now),
      Buffer.from([(8 << 3) | 1]),
      fixed64(now + 5n),
      varint(99 << 3), // an unknown varint field (99)
      Buffer.from([0x2a]),
    ]);
    const resource = field(1, Buffer.concat([field(1, Buffer.from("service.name")), field(2, field(1, Buffer.from("late")))]));
    const rs = Buffer.concat([field(2, field(2, span)), field(1, resource)]);
    const out = decodeTraceRequestProtobuf(field(1, rs), window);
    expect(out.rejected).toBe(0);
    expect(out.spans[0]).toMatchObject({ name: "late resource", durationNs: 5, resource: { serviceName: "late" } });
  });
});

describe("strings on the wire", () => {
  it("are copied when plain, escaped when JSON needs it, and repaired when not valid UTF-8", () => {
    const now = BigInt(Date.now()) * 1_000_000n;
    const fixed64 = (n: bigint) => {
      const b = Buffer.alloc(8);
      b.writeBigUInt64LE(n);
      return b;
    };
    const attr = (key: Buffer, value: Buffer) => field(9, Buffer.concat([field(1, key), field(2, field(1, value))]));
    const span = Buffer.concat([
      field(1, Buffer.alloc(16, 7)),
      field(2, Buffer.alloc(8, 9)),
      Buffer.from([(7 << 3) | 1]),
      fixed64(now),
      Buffer.from([(8 << 3) | 1]),
      fixed64(now),
      attr(Buffer.from("plain"), Buffer.from("héllo 😀")),
      attr(Buffer.from('say "hi" \\'), Buffer.from("line\nbreak\ttab")),
      attr(Buffer.from("broken"), Buffer.from([0x61, 0xff, 0xfe, 0x62])),
      attr(Buffer.from("nul"), Buffer.from([0x61, 0x00, 0x62])),
    ]);
    const out = decodeTraceRequestProtobuf(field(1, field(2, field(2, span))), window);
    const json = out.spans[0]!.attributesJson;
    expect(json).toContain('"plain":"héllo 😀"');
    expect(JSON.parse(json)).toEqual({ plain: "héllo 😀", 'say "hi" \\': "line\nbreak\ttab", broken: "a\uFFFD\uFFFDb", nul: "a\uFFFDb" });
  });
});

function varint(n: number): Buffer {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return Buffer.from(out);
}

/** A length-delimited field. */
function field(n: number, bytes: Buffer): Buffer {
  return Buffer.concat([Buffer.from([(n << 3) | 2]), varint(bytes.length), bytes]);
}
