/**
 * npm run bench:ingest [-- --spans 600000 --senders 8 --batch 512 --gzip 0 --writers 2 --gin 1]
 *
 * OTLP/HTTP trace ingest, end to end, against a fresh database:
 * 1. Realistic spans (seven services; http, db and messaging attributes; errors with exception events;
 *    consumer spans linked to their producers) are encoded ONCE up front as protobuf
 *    ExportTraceServiceRequests of `--batch` spans, by the official OTLP serializer (and gzipped with --gzip 1).
 * 2. Raw COPY baseline: the same rows, encoded the way the receiver encodes them (not timed), are COPYed
 *    into a scratch table of the same layout (same columns, indexes and day partitions) by `--writers`
 *    connections in groups of OTLP_INGEST_BATCH_SPANS.
 * 3. Ingest: the receiver runs in a child process (its own node:http server on a free port, the same code the
 *    portal's /v1/traces route calls); `--senders` concurrent senders POST the batches over real HTTP. Throughput
 *    is spans STORED (rows counted at the end) over the time from the first request to the last answer.
 * Prints spans/s, the ratio to raw COPY, request latency p50/p99, and CPU time per span by process.
 * `--gin 0` drops the GIN index on span attributes first (to see what attribute search costs the write path);
 * BENCH_SQL=<statements> runs SQL on the fresh database before measuring (to try another index set).
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import http from "node:http";
import { createServer } from "node:net";
import os from "node:os";
import { gunzipSync, gzipSync } from "node:zlib";
import { ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import pg from "pg";
import { parseConfig } from "../../server/config";
import { createPool } from "../../server/db/pool";
import { encodeSpans } from "../../services/telemetry/copy-format";
import { serveReceiver } from "../../services/telemetry/node-http";
import { decodeTraceRequestProtobuf } from "../../services/telemetry/otlp/decode-protobuf";
import { timeWindow } from "../../services/telemetry/otlp/normalize";
import { createTraceReceiver } from "../../services/telemetry/receiver";
import { copyInto, dayOf, upsertResources } from "../../services/telemetry/store";
import { TEST_PG_URL } from "../../tests/helpers/env";
import { arg, freshDatabase, percentile, startChild, stopChild } from "./support";

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

// ---- The receiver, as a child process ------------------------------------------------------------

async function serve(): Promise<void> {
  const config = parseConfig({ ...process.env, LOG_LEVEL: "warn", OTEL_SDK_DISABLED: "true" });
  const pool = createPool(config.databaseUrl!, config.telemetry.writers + 1);
  const receiver = createTraceReceiver({ pool, settings: config.telemetry });
  const server = await serveReceiver(receiver, { port: config.port });
  console.log(`ready ${server.url}`);
  process.on("SIGTERM", () => {
    void (async () => {
      await server.close();
      await receiver.close();
      await pool.end();
      process.exit(0);
    })();
  });
}

// ---- Realistic spans ----------------------------------------------------------------------------

type HrTime = [number, number];
const SERVICES = ["gateway", "templates", "ai", "projects", "assets", "analytics", "auth"];
const ROUTES = ["/templates", "/templates/:id", "/ai/analyze", "/projects/:id/assets", "/assets/:id", "/reports/usage", "/auth/session"];
const resources = SERVICES.map((service, i) => ({
  attributes: {
    "service.name": service,
    "service.version": "1.4.2",
    "service.instance.id": `${service}-${randomBytes(4).toString("hex")}`,
    "deployment.environment.name": "production",
    "host.name": `ip-10-0-${i}-17`,
    "host.arch": "amd64",
    "process.pid": 4000 + i,
    "process.runtime.name": "nodejs",
    "process.runtime.version": "20.20.2",
    "telemetry.sdk.language": "nodejs",
    "telemetry.sdk.name": "opentelemetry",
    "telemetry.sdk.version": "2.12.1",
  },
}));
const scopes = {
  http: { name: "@opentelemetry/instrumentation-http", version: "0.223.0" },
  pg: { name: "@opentelemetry/instrumentation-pg", version: "0.61.0" },
  mq: { name: "bullmq-otel", version: "2.0.1" },
};
const hr = (ms: number): HrTime => [Math.floor(ms / 1000), Math.round((ms % 1000) * 1e6)];

type SpanInput = {
  name: string;
  kind: number;
  traceId: string;
  parent?: string;
  startMs: number;
  durMs: number;
  attributes: Record<string, unknown>;
  resource: (typeof resources)[number];
  scope: { name: string; version: string };
  error?: boolean;
  events?: unknown[];
  links?: unknown[];
};

/** A finished span in the shape the OTLP serializer reads (a ReadableSpan). */
function span(o: SpanInput): { id: string; span: ReadableSpan } {
  const spanId = randomBytes(8).toString("hex");
  const s = {
    name: o.name,
    kind: o.kind,
    spanContext: () => ({ traceId: o.traceId, spanId, traceFlags: 1 }),
    parentSpanContext: o.parent ? { traceId: o.traceId, spanId: o.parent, traceFlags: 1 } : undefined,
    startTime: hr(o.startMs),
    endTime: hr(o.startMs + o.durMs),
    duration: hr(o.durMs),
    status: o.error ? { code: 2, message: "upstream returned 503" } : { code: 0 },
    attributes: o.attributes,
    links: o.links ?? [],
    events: o.events ?? [],
    ended: true,
    resource: o.resource,
    instrumentationScope: o.scope,
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
  return { id: spanId, span: s as unknown as ReadableSpan };
}

let traces = 0;

/** One request's trace: server span, three queries, an outbox send, its consumer (linked), sometimes an outgoing call. */
function traceSpans(now: number): ReadableSpan[] {
  const traceId = randomBytes(16).toString("hex");
  const si = traces++ % SERVICES.length;
  const resource = resources[si]!;
  const route = ROUTES[si]!;
  const error = traces % 20 === 0;
  const start = now - Math.random() * 60_000;
  const out: ReadableSpan[] = [];
  const root = span({
    name: `GET ${route}`,
    kind: 1,
    traceId,
    startMs: start,
    durMs: 5 + Math.random() * 80,
    resource,
    scope: scopes.http,
    error,
    attributes: {
      "http.request.method": "GET",
      "http.route": route,
      "http.response.status_code": error ? 500 : 200,
      "url.path": route.replace(":id", String(traces)),
      "url.scheme": "http",
      "server.address": "127.0.0.1",
      "server.port": 3000,
      "user_agent.original": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0",
      "network.protocol.version": "1.1",
      "client.address": "10.0.3.4",
    },
    events: error
      ? [
          {
            name: "exception",
            time: hr(start + 3),
            attributes: {
              "exception.type": "UpstreamError",
              "exception.message": "upstream returned 503",
              "exception.stacktrace": "UpstreamError: upstream returned 503\n    at callUpstream (/app/services/ai/client.ts:42:11)\n    at async analyze (/app/services/ai/analyze.ts:17:5)",
            },
          },
        ]
      : [],
  });
  out.push(root.span);
  for (let d = 0; d < 3; d++) {
    const insert = d === 2;
    out.push(
      span({
        name: insert ? "INSERT switchyard" : "SELECT switchyard",
        kind: 2,
        traceId,
        parent: root.id,
        startMs: start + 1 + d,
        durMs: 0.3 + Math.random() * 3,
        resource,
        scope: scopes.pg,
        attributes: {
          "db.system.name": "postgresql",
          "db.namespace": "switchyard",
          "db.operation.name": insert ? "INSERT" : "SELECT",
          "db.query.text": insert
            ? "INSERT INTO templates.outbox (id, aggregate_id, event_type, payload) VALUES ($1, $2, $3, $4)"
            : "SELECT id, title, owner_id, updated_at FROM templates.templates WHERE id = $1",
          "server.address": "127.0.0.1",
          "server.port": 5432,
        },
      }).span,
    );
  }
  const producer = span({
    name: "send outbox.templates",
    kind: 3,
    traceId,
    parent: root.id,
    startMs: start + 5,
    durMs: 1 + Math.random(),
    resource,
    scope: scopes.mq,
    attributes: { "messaging.system": "bullmq", "messaging.destination.name": "consumer.analytics.event-feed", "messaging.operation.type": "send", "messaging.message.id": randomBytes(16).toString("hex") },
  });
  out.push(producer.span);
  out.push(
    span({
      name: "process templator.events.v1.templates.TemplateUpdated",
      kind: 4,
      traceId,
      parent: producer.id,
      startMs: start + 9,
      durMs: 2 + Math.random() * 5,
      resource: resources[5]!,
      scope: scopes.mq,
      links: [{ context: { traceId, spanId: producer.id, traceFlags: 1 }, attributes: { "messaging.operation.type": "send" } }],
      attributes: { "messaging.system": "bullmq", "messaging.destination.name": "consumer.analytics.event-feed", "messaging.operation.type": "process", "messaging.consumer.group.name": "analytics.event-feed" },
    }).span,
  );
  if (si % 2 === 0) {
    out.push(
      span({
        name: "POST",
        kind: 2,
        traceId,
        parent: root.id,
        startMs: start + 6,
        durMs: 2 + Math.random() * 20,
        resource,
        scope: scopes.http,
        attributes: { "http.request.method": "POST", "url.full": "http://ai.internal:8080/v1/analyze", "server.address": "ai.internal", "server.port": 8080, "peer.service": "ai", "http.response.status_code": 200 },
      }).span,
    );
  }
  return out;
}

/** `count` protobuf ExportTraceServiceRequests of `size` spans each. */
function encodeBatches(count: number, size: number, now: number): Buffer[] {
  const out: Buffer[] = [];
  let pending: ReadableSpan[] = [];
  while (out.length < count) {
    while (pending.length < size) pending.push(...traceSpans(now));
    out.push(Buffer.from(ProtobufTraceSerializer.serializeRequest(pending.slice(0, size))!));
    pending = pending.slice(size);
  }
  return out;
}

// ---- Measuring ----------------------------------------------------------------------------------

/** CPU seconds (user + system) used so far by each of `pids` (0 for one that is gone). */
function cpuSeconds(pids: Iterable<number>): Map<number, number> {
  const out = new Map<number, number>();
  for (const pid of pids) {
    try {
      const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
      out.set(pid, (Number(f[11]) + Number(f[12])) / 100);
    } catch {
      out.set(pid, 0);
    }
  }
  return out;
}

/**
 * The PostgreSQL processes working for this benchmark: the backends of its database (the writers, and
 * autovacuum there) and the shared WAL writer, checkpointer and background writer. Other databases'
 * backends (other work on the machine) are not counted.
 */
async function postgresPids(db: pg.Client): Promise<number[]> {
  const res = await db.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity
      WHERE (datname = current_database() AND pid <> pg_backend_pid())
         OR backend_type IN ('checkpointer', 'walwriter', 'background writer')`,
  );
  return res.rows.map((r) => r.pid);
}

function cpuDelta(before: Map<number, number>, after: Map<number, number>): number {
  let sum = 0;
  for (const [pid, t] of after) sum += Math.max(0, t - (before.get(pid) ?? 0));
  return sum;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function post(agent: http.Agent, url: URL, body: Buffer, gzip: boolean): Promise<{ status: number; retryAfter: number }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: "POST",
        agent,
        headers: { "content-type": "application/x-protobuf", "content-length": body.length, ...(gzip ? { "content-encoding": "gzip" } : {}) },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode ?? 0, retryAfter: Number(res.headers["retry-after"] ?? 0) }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

async function rawCopyBaseline(url: string, batches: Buffer[], gzip: boolean, writers: number, groupSpans: number, now: number): Promise<number> {
  const pool = new pg.Pool({ connectionString: url, max: writers + 1 });
  try {
    // A scratch table of the same layout: columns, indexes, and the day partitions the spans fall on.
    await pool.query(`CREATE TABLE telemetry.spans_raw (LIKE telemetry.spans INCLUDING ALL) PARTITION BY RANGE (start_time)`);
    for (const day of [dayOf(now) - 1, dayOf(now), dayOf(now) + 1]) {
      const from = new Date(day * 86_400_000).toISOString();
      const to = new Date((day + 1) * 86_400_000).toISOString();
      await pool.query(`CREATE TABLE telemetry.spans_raw_${day} PARTITION OF telemetry.spans_raw FOR VALUES FROM ('${from}') TO ('${to}')`);
    }
    const window = timeWindow(now, 7);
    const encoded = batches.map((b) => encodeSpans(decodeTraceRequestProtobuf(gzip ? gunzipSync(b) : b, window).spans));
    await upsertResources(pool, encoded.flatMap((e) => e.resources));
    const groups: Buffer[][] = [];
    for (let i = 0, g: Buffer[] = [], n = 0; i < encoded.length; i++) {
      g.push(encoded[i]!.data);
      n += encoded[i]!.count;
      if (n + (encoded[i + 1]?.count ?? 0) > groupSpans || i === encoded.length - 1) {
        groups.push(g);
        g = [];
        n = 0;
      }
    }
    const rows = encoded.reduce((a, e) => a + e.count, 0);
    await pool.query("CHECKPOINT");
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: writers }, async () => {
        const client = await pool.connect();
        try {
          while (next < groups.length) await copyInto(client, "telemetry.spans_raw", groups[next++]!);
        } finally {
          client.release();
        }
      }),
    );
    const rate = rows / ((performance.now() - started) / 1000);
    const counted = (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM telemetry.spans_raw`)).rows[0]!.n;
    if (counted !== rows) throw new Error(`raw COPY stored ${counted} of ${rows} rows`);
    await pool.query(`DROP TABLE telemetry.spans_raw`);
    return rate;
  } finally {
    await pool.end();
  }
}

async function main(): Promise<void> {
  const totalSpans = arg("spans", 600_000);
  const senders = arg("senders", 8);
  const size = arg("batch", 512);
  const gzip = arg("gzip", 0) === 1;
  const writers = arg("writers", 2);
  const gin = arg("gin", 1) === 1;
  const batchCount = Math.ceil(totalSpans / size);
  const warmup = Math.min(20, Math.floor(batchCount / 10));
  console.log(`bench:ingest — ${os.cpus().length} CPUs, ${fmt(batchCount * size)} spans in protobuf batches of ${size}${gzip ? " (gzip)" : ""}, ${senders} senders, ${writers} writers, PostgreSQL ${new URL(TEST_PG_URL).host}`);

  const now = Date.now();
  let t = performance.now();
  let batches = encodeBatches(batchCount, size, now);
  if (gzip) batches = batches.map((b) => gzipSync(b));
  const bytes = batches.reduce((a, b) => a + b.length, 0);
  console.log(`encoded   ${fmt(batchCount)} requests up front in ${((performance.now() - t) / 1000).toFixed(1)} s, ${fmt(bytes / batchCount)} bytes each (${fmt(bytes / batchCount / size)} per span)`);

  const url = await freshDatabase(TEST_PG_URL, "switchyard_bench_ingest");
  if (!gin || process.env.BENCH_SQL) {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    if (!gin) await c.query(`DROP INDEX telemetry.spans_attributes_idx`);
    if (process.env.BENCH_SQL) await c.query(process.env.BENCH_SQL);
    await c.end();
    console.log(`changed   ${[!gin && "without the GIN index on span attributes (--gin 0)", process.env.BENCH_SQL && `BENCH_SQL: ${process.env.BENCH_SQL}`].filter(Boolean).join("; ")}`);
  }
  const batchSpans = parseConfig({}).telemetry.batchSpans;
  const raw = await rawCopyBaseline(url, batches, gzip, writers, batchSpans, now);
  console.log(`raw COPY  same rows, same table layout, ${writers} connections, ${fmt(batchSpans)} rows per COPY: ${fmt(raw)} rows/s`);

  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query("CHECKPOINT");
  const port = await freePort();
  const child = await startChild("scripts/bench/ingest.ts", { BENCH_INGEST_SERVE: "1", DATABASE_URL: url, PORT: String(port), OTLP_INGEST_WRITERS: String(writers) });
  const target = new URL(`http://127.0.0.1:${port}/v1/traces`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: senders });
  try {
    // Warm-up (JIT, connections, the day partitions): stored too, but not timed.
    for (let i = 0; i < warmup; i++) await post(agent, target, batches[i]!, gzip);
    const latencies: number[] = [];
    let refused = 0;
    let next = warmup;
    const pgPids = new Set(await postgresPids(admin));
    const cpu0 = { self: process.cpuUsage(), child: cpuSeconds([child.pid!]), pg: cpuSeconds(pgPids) };
    t = performance.now();
    await Promise.all(
      Array.from({ length: senders }, async () => {
        while (next < batches.length) {
          const body = batches[next++]!;
          for (;;) {
            const started = performance.now();
            const res = await post(agent, target, body, gzip);
            if (res.status === 200) {
              latencies.push(performance.now() - started);
              break;
            }
            if (res.status !== 429 && res.status !== 503) throw new Error(`receiver answered ${res.status}`);
            refused++;
            await new Promise((r) => setTimeout(r, Math.min(res.retryAfter * 1000, 50)));
          }
        }
      }),
    );
    const seconds = (performance.now() - t) / 1000;
    const selfCpu = process.cpuUsage(cpu0.self);
    for (const pid of await postgresPids(admin)) pgPids.add(pid);
    const cpu = {
      senders: (selfCpu.user + selfCpu.system) / 1e6,
      receiver: cpuDelta(cpu0.child, cpuSeconds([child.pid!])),
      postgres: cpuDelta(cpu0.pg, cpuSeconds(pgPids)),
    };
    const stored = (await admin.query<{ n: number }>(`SELECT count(*)::int AS n FROM telemetry.spans`)).rows[0]!.n;
    const expected = batchCount * size;
    if (stored !== expected) throw new Error(`stored ${stored} spans, expected ${expected}`);
    const timed = (batchCount - warmup) * size;
    const rate = timed / seconds;
    latencies.sort((a, b) => a - b);
    console.log(`ingest    ${fmt(timed)} spans stored (rows counted) in ${seconds.toFixed(2)} s: ${fmt(rate)} spans/s  (target >= 100,000)`);
    console.log(`ratio     ingest / raw COPY: ${(rate / raw).toFixed(2)}`);
    console.log(`latency   per request (${size} spans, acknowledged after commit): p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms; ${refused} answered 429/503 and retried`);
    const per = (s: number) => `${((s / timed) * 1e6).toFixed(1)} µs`;
    console.log(`cpu/span  receiver ${per(cpu.receiver)}, PostgreSQL ${per(cpu.postgres)}, senders ${per(cpu.senders)} (${(cpu.receiver + cpu.postgres + cpu.senders).toFixed(1)} CPU-s over ${seconds.toFixed(1)} s on ${os.cpus().length} CPUs)`);
  } finally {
    agent.destroy();
    await stopChild(child);
    await admin.end();
  }
}

if (process.env.BENCH_INGEST_SERVE) {
  void serve();
} else {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
