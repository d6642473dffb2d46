import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { createGzip, gzipSync } from "node:zlib";
import { ROOT_CONTEXT, trace } from "@opentelemetry/api";
import { ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "@/tests/helpers/test-app";
import { type ReceiverServer, serveReceiver } from "./node-http";
import { createTraceReceiver, type TraceReceiver } from "./receiver";

/** The receiver's answers to bad, partly bad, repeated and unauthenticated requests, over real HTTP. */

let app: TestApp;
let receiver: TraceReceiver;
let server: ReceiverServer;
const MAX_BODY = 2 << 20;
const MAX_INFLATED = 8 << 20;

beforeAll(async () => {
  app = await createTestApp();
  receiver = createTraceReceiver({
    pool: app.pool,
    settings: { ...app.config.telemetry, maxBodyBytes: MAX_BODY, maxDecompressedBytes: MAX_INFLATED },
    log: app.log,
  });
  server = await serveReceiver(receiver);
});

afterAll(async () => {
  await server.close();
  await receiver.close();
  await app.cleanup();
});

type Answer = { status: number; headers: Headers; body: Buffer; json: () => Record<string, unknown> };

async function post(body: BodyInit | Buffer, headers: Record<string, string>, url = `${server.url}/v1/traces`): Promise<Answer> {
  const init = Buffer.isBuffer(body) ? Uint8Array.from(body) : body;
  const res = await fetch(url, { method: "POST", body: init, headers, duplex: "half" } as RequestInit);
  const buf = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, body: buf, json: () => JSON.parse(buf.toString()) as Record<string, unknown> };
}

const JSON_TYPE = { "content-type": "application/json" };
const PROTOBUF_TYPE = { "content-type": "application/x-protobuf" };

/** An OTLP/JSON request with `n` valid spans (fresh ids), and optionally some raw extra spans. */
function jsonRequest(n: number, extra: Record<string, unknown>[] = []): { body: string; traceId: string } {
  const traceId = randomBytes(16).toString("hex");
  const now = BigInt(Date.now()) * 1_000_000n;
  const spans = Array.from({ length: n }, (_, i) => ({
    traceId,
    spanId: randomBytes(8).toString("hex"),
    name: `op-${i}`,
    kind: 2,
    startTimeUnixNano: String(now),
    endTimeUnixNano: String(now + 1_000_000n),
    attributes: [{ key: "i", value: { intValue: i } }],
  }));
  const body = {
    resourceSpans: [{ resource: { attributes: [{ key: "service.name", value: { stringValue: "receiver-test" } }] }, scopeSpans: [{ scope: { name: "t" }, spans: [...spans, ...extra] }] }],
  };
  return { body: JSON.stringify(body), traceId };
}

async function storedCount(traceId: string): Promise<number> {
  const res = await app.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM telemetry.spans WHERE trace_id = decode($1, 'hex')`, [traceId]);
  return res.rows[0]!.n;
}

/** A valid request still gets 200 and is stored: the receiver keeps serving after whatever came before. */
async function stillServes(): Promise<void> {
  const req = jsonRequest(3);
  const answer = await post(req.body, JSON_TYPE);
  expect(answer.status).toBe(200);
  expect(answer.json()).toEqual({});
  expect(await storedCount(req.traceId)).toBe(3);
}

function sdkSpans(): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory)] });
  const tracer = provider.getTracer("receiver-test");
  const root = tracer.startSpan("root");
  tracer.startSpan("child", {}, trace.setSpan(ROOT_CONTEXT, root)).end();
  root.end();
  return memory.getFinishedSpans();
}

/** A 1 GB stream of zeros gzip-compressed (about 1 MB), built by streaming: 1 GB is never in memory. */
async function gzipBomb(): Promise<Buffer> {
  const gz = createGzip({ level: 9 });
  const parts: Buffer[] = [];
  gz.on("data", (c: Buffer) => parts.push(c));
  const zeros = Buffer.alloc(1 << 20);
  for (let i = 0; i < 1024; i++) if (!gz.write(zeros)) await once(gz, "drain");
  gz.end();
  await once(gz, "end");
  return Buffer.concat(parts);
}

describe("a valid request", () => {
  it("is stored and answered with an empty ExportTraceServiceResponse in its own encoding", async () => {
    await stillServes();
    const spans = sdkSpans();
    const answer = await post(Buffer.from(ProtobufTraceSerializer.serializeRequest(spans)!), PROTOBUF_TYPE);
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toBe("application/x-protobuf");
    expect(answer.body.length).toBe(0);
    expect(await storedCount(spans[0]!.spanContext().traceId)).toBe(2);
  });

  it("sent twice (an exporter retrying) is stored once", async () => {
    const req = jsonRequest(5);
    expect((await post(req.body, JSON_TYPE)).status).toBe(200);
    expect((await post(req.body, JSON_TYPE)).status).toBe(200);
    expect(await storedCount(req.traceId)).toBe(5);
  });
});

describe("a partly invalid request", () => {
  it("stores the valid spans and reports the rejected ones (JSON)", async () => {
    const now = String(BigInt(Date.now()) * 1_000_000n);
    const req = jsonRequest(2, [
      { traceId: "", spanId: "b7ad6b7169203331", name: "no trace id", startTimeUnixNano: now, endTimeUnixNano: now },
      { traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "0000000000000000", name: "zero span id", startTimeUnixNano: now, endTimeUnixNano: now },
    ]);
    const answer = await post(req.body, JSON_TYPE);
    expect(answer.status).toBe(200);
    expect(answer.json()).toEqual({
      partialSuccess: { rejectedSpans: "2", errorMessage: expect.stringMatching(/1 span: invalid trace id.*; 1 span: invalid span id/) },
    });
    expect(await storedCount(req.traceId)).toBe(2);
  });

  it("stores the valid spans and reports the rejected ones (protobuf)", async () => {
    const [a, b] = sdkSpans();
    const broken = Object.assign(Object.create(b!) as ReadableSpan, { spanContext: () => ({ ...b!.spanContext(), traceId: "0".repeat(32) }) });
    const answer = await post(Buffer.from(ProtobufTraceSerializer.serializeRequest([a!, broken])!), PROTOBUF_TYPE);
    expect(answer.status).toBe(200);
    const decoded = ProtobufTraceSerializer.deserializeResponse(answer.body);
    expect(Number(decoded.partialSuccess?.rejectedSpans)).toBe(1);
    expect(decoded.partialSuccess?.errorMessage).toMatch(/invalid trace id/);
    expect(await storedCount(a!.spanContext().traceId)).toBe(1);
  });
});

describe("a request the receiver cannot take", () => {
  it("malformed JSON: 400 with a google.rpc.Status", async () => {
    const answer = await post('{"resourceSpans": [', JSON_TYPE);
    expect(answer.status).toBe(400);
    expect(answer.json()).toMatchObject({ code: 3, message: expect.stringMatching(/malformed JSON/) });
    await stillServes();
  });

  it("malformed protobuf: 400 with a protobuf google.rpc.Status", async () => {
    const answer = await post(Buffer.from([0x0a, 0xff, 0xff, 0x03, 0x01]), PROTOBUF_TYPE);
    expect(answer.status).toBe(400);
    expect(answer.headers.get("content-type")).toBe("application/x-protobuf");
    expect(answer.body[0]).toBe(0x08); // field 1 (code), varint
    expect(answer.body.toString("latin1")).toMatch(/malformed protobuf/);
    await stillServes();
  });

  it("another content type or encoding: 415", async () => {
    expect((await post("hello", { "content-type": "text/plain" })).status).toBe(415);
    expect((await post("hello", { ...JSON_TYPE, "content-encoding": "br" })).status).toBe(415);
    await stillServes();
  });

  it("over the size limit on the wire: 413, declared or streamed", async () => {
    const big = Buffer.alloc(MAX_BODY + 1, 0x20);
    expect((await post(big, JSON_TYPE)).status).toBe(413);
    const chunked = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 5; i++) c.enqueue(new Uint8Array(MAX_BODY / 2));
        c.close();
      },
    });
    expect((await post(chunked, JSON_TYPE)).status).toBe(413);
    await stillServes();
  });

  it("over the size limit once decompressed: 413", async () => {
    const inflated = gzipSync(Buffer.from(jsonRequest(1).body.padEnd(MAX_INFLATED + 10, " ")));
    expect(inflated.length).toBeLessThan(MAX_BODY);
    const answer = await post(inflated, { ...JSON_TYPE, "content-encoding": "gzip" });
    expect(answer.status).toBe(413);
    expect(answer.json().message).toMatch(/once decompressed/);
    await stillServes();
  });

  it("a gzip bomb (1 GB of zeros in ~1 MB) is stopped while inflating, without the memory to hold it", async () => {
    const bomb = await gzipBomb();
    expect(bomb.length).toBeLessThan(MAX_BODY);
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    const answer = await post(bomb, { ...PROTOBUF_TYPE, "content-encoding": "gzip" });
    clearInterval(sampler);
    expect(answer.status).toBe(413);
    expect(peak - before).toBeLessThan(200 << 20);
    expect(receiver.stats().inflightBytes).toBe(0);
    await stillServes();
  }, 60_000);

  it("corrupt gzip: 400", async () => {
    expect((await post(Buffer.from("not gzip at all"), { ...JSON_TYPE, "content-encoding": "gzip" })).status).toBe(400);
    await stillServes();
  });
});

describe("with ingest tokens configured", () => {
  let secured: TraceReceiver;
  let securedServer: ReceiverServer;

  beforeAll(async () => {
    secured = createTraceReceiver({ pool: app.pool, settings: { ...app.config.telemetry, ingestTokens: ["token-one", "token-two"] } });
    securedServer = await serveReceiver(secured);
  });

  afterAll(async () => {
    await securedServer.close();
    await secured.close();
  });

  it("a request without a token, or with a wrong one, gets 401; a configured token gets 200", async () => {
    const url = `${securedServer.url}/v1/traces`;
    const req = jsonRequest(1);
    const missing = await post(req.body, JSON_TYPE, url);
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect((await post(req.body, { ...JSON_TYPE, authorization: "Bearer token-three" }, url)).status).toBe(401);
    expect((await post(req.body, { ...JSON_TYPE, authorization: "Basic dG9rZW4tb25lOg==" }, url)).status).toBe(401);
    expect(await storedCount(req.traceId)).toBe(0);
    expect((await post(req.body, { ...JSON_TYPE, authorization: "Bearer token-two" }, url)).status).toBe(200);
    expect(await storedCount(req.traceId)).toBe(1);
  });
});
