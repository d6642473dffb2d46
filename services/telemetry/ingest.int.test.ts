import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, eventually, type TestApp } from "@/tests/helpers/test-app";
import { runTelemetryMaintenance } from "./maintenance";
import { createTraceReceiver, type OtlpHttpResponse, type TraceReceiver } from "./receiver";
import { dayOf, dayPartition, ensureDayPartitions, listSpanPartitions } from "./store";

/** Backpressure, failures of the store, and the day partitions' life cycle. */

let app: TestApp;

beforeAll(async () => {
  app = await createTestApp();
});

afterAll(() => app.cleanup());

const JSON_HEADERS = { "content-type": "application/json" };

function request(n: number, at = Date.now()): { body: AsyncIterable<Uint8Array>; traceId: string } {
  const traceId = randomBytes(16).toString("hex");
  const t = BigInt(at) * 1_000_000n;
  const spans = Array.from({ length: n }, () => ({ traceId, spanId: randomBytes(8).toString("hex"), name: "op", startTimeUnixNano: String(t), endTimeUnixNano: String(t + 1000n) }));
  const text = JSON.stringify({ resourceSpans: [{ resource: { attributes: [{ key: "service.name", value: { stringValue: "ingest-test" } }] }, scopeSpans: [{ spans }] }] });
  return {
    traceId,
    body: (async function* () {
      yield Buffer.from(text);
    })(),
  };
}

async function stored(traceId: string): Promise<number> {
  const res = await app.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM telemetry.spans WHERE trace_id = decode($1, 'hex')`, [traceId]);
  return res.rows[0]!.n;
}

describe("backpressure", () => {
  let receiver: TraceReceiver;

  beforeAll(async () => {
    await runTelemetryMaintenance(app.pool, app.config.telemetry);
    receiver = createTraceReceiver({ pool: app.pool, settings: { ...app.config.telemetry, queueSpans: 1, queueBytes: 1, writers: 1 } });
  });

  afterAll(() => receiver.close());

  it("with the writer blocked, later requests get 429 with Retry-After and nothing more is held; after release all is well", async () => {
    const locker = new pg.Client({ connectionString: app.databaseUrl });
    await locker.connect();
    await locker.query("BEGIN");
    // EXCLUSIVE blocks writes (COPY) but not reads, so the test can still count what is stored.
    await locker.query("LOCK TABLE telemetry.spans IN EXCLUSIVE MODE");
    let first: Promise<OtlpHttpResponse> | undefined;
    try {
      const blocked = request(10);
      first = receiver.receive(JSON_HEADERS, blocked.body);
      const held = await eventually(async () => {
        const s = receiver.stats();
        return s.activeWriters === 1 && s.queuedSpans === 10 ? s : undefined;
      }, 5000, "the first request to be in the writer");

      const refused = await Promise.all(Array.from({ length: 50 }, () => receiver.receive(JSON_HEADERS, request(100).body)));
      for (const r of refused) {
        expect(r.status).toBe(429);
        expect(r.headers["retry-after"]).toMatch(/^\d+$/);
        expect(JSON.parse(Buffer.from(r.body).toString())).toMatchObject({ code: 8 });
      }
      // Memory stays bounded: the queue holds only the first request, and no request body is still held.
      expect(receiver.stats()).toMatchObject({ queuedSpans: 10, queuedBytes: held.queuedBytes, inflightBytes: 0 });
      expect(await stored(blocked.traceId)).toBe(0);
      await locker.query("COMMIT");
      expect((await first).status).toBe(200);
      expect(await stored(blocked.traceId)).toBe(10);
    } finally {
      await locker.query("ROLLBACK").catch(() => {});
      await locker.end();
    }
    const after = request(5);
    expect((await receiver.receive(JSON_HEADERS, after.body)).status).toBe(200);
    expect(await stored(after.traceId)).toBe(5);
    expect(receiver.stats()).toMatchObject({ queuedSpans: 0, queuedBytes: 0 });
  });

  it("a database that cannot be reached gets 503 with Retry-After, and the exporter will retry", async () => {
    const unreachable = new pg.Pool({ connectionString: "postgresql://postgres@127.0.0.1:1/none", connectionTimeoutMillis: 1000 });
    unreachable.on("error", () => {});
    const down = createTraceReceiver({ pool: unreachable, settings: app.config.telemetry });
    try {
      const answer = await down.receive(JSON_HEADERS, request(3).body);
      expect(answer.status).toBe(503);
      expect(answer.headers["retry-after"]).toMatch(/^\d+$/);
      expect(down.stats()).toMatchObject({ queuedSpans: 0, queuedBytes: 0 });
    } finally {
      await down.close();
      await unreachable.end();
    }
  });
});

describe("day partitions", () => {
  it("are created ahead and dropped past retention; resources nobody can refer to any more go too", async () => {
    const now = new Date("2031-06-15T12:00:00Z");
    const old = dayOf(new Date("2031-06-01T00:00:00Z"));
    await ensureDayPartitions(app.pool, [old, dayOf(now) - 3]);
    await app.pool.query(
      `INSERT INTO telemetry.resources (id, service_name, attributes, last_seen) VALUES ($1, 'gone', '{}', '2031-06-01'), ($2, 'kept', '{}', '2031-06-14')`,
      [randomBytes(16), randomBytes(16)],
    );
    const report = await runTelemetryMaintenance(app.pool, { retentionDays: 3, partitionsAheadDays: 2 }, now);
    expect(report.partitionsCreated).toEqual(["spans_y2031m06d15", "spans_y2031m06d16", "spans_y2031m06d17"]);
    expect(report.partitionsDropped).toEqual(expect.arrayContaining(["spans_y2031m06d01"]));
    expect(report.partitionsDropped).not.toContain("spans_y2031m06d12"); // the first day kept
    expect(report.resourcesDeleted).toBeGreaterThanOrEqual(1); // 'gone', and this file's earlier (2026) resources
    const left = await app.pool.query<{ service_name: string }>(`SELECT service_name FROM telemetry.resources`);
    expect(left.rows.map((r) => r.service_name)).toEqual(["kept"]);
    const names = (await listSpanPartitions(app.pool)).map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(["spans_y2031m06d12", "spans_y2031m06d15", "spans_y2031m06d16", "spans_y2031m06d17"]));
    expect(names).not.toContain("spans_y2031m06d01");
    expect(dayPartition(dayOf(new Date("2031-12-31T23:59:59Z")))).toEqual({ name: "spans_y2031m12d31", from: "2031-12-31T00:00:00.000Z", to: "2032-01-01T00:00:00.000Z" });
    // Again: nothing to do; and two at once do not trip over each other.
    const again = await Promise.all([runTelemetryMaintenance(app.pool, { retentionDays: 3, partitionsAheadDays: 2 }, now), ensureDayPartitions(app.pool, [dayOf(now)])]);
    expect(again[0]).toEqual({ partitionsCreated: [], partitionsDropped: [], resourcesDeleted: 0 });
  });

  it("are maintained by the worker's scheduled telemetry.maintain job", async () => {
    const { jobs, jobSchedules } = await import("@/workers/jobs");
    const { handlers } = await import("@/workers/handlers");
    expect(jobs["telemetry.maintain"].schema.parse({})).toEqual({});
    expect(jobSchedules.some((s) => s.job === "telemetry.maintain")).toBe(true);
    const report = await handlers["telemetry.maintain"]({}, { app } as never);
    expect(report).toMatchObject({ partitionsDropped: expect.any(Array) });
    const names = (await listSpanPartitions(app.pool)).map((p) => p.name);
    expect(names).toContain(dayPartition(dayOf(new Date())).name);
  });

  it("a missing day is created by the writer on first use, even when this process thought it existed", async () => {
    const receiver = createTraceReceiver({ pool: app.pool, settings: app.config.telemetry });
    try {
      const yesterday = Date.now() - 86_400_000;
      const first = request(2, yesterday);
      expect((await receiver.receive(JSON_HEADERS, first.body)).status).toBe(200);
      expect(await stored(first.traceId)).toBe(2);
      // Someone drops the partition behind the writer's back (as retention would): it is made again.
      await app.pool.query(`DROP TABLE telemetry.${dayPartition(dayOf(yesterday)).name}`);
      const second = request(3, yesterday);
      expect((await receiver.receive(JSON_HEADERS, second.body)).status).toBe(200);
      expect(await stored(second.traceId)).toBe(3);
    } finally {
      await receiver.close();
    }
  });
});
