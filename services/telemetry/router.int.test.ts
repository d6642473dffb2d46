import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDevSessionToken, DEV_SESSION_COOKIE } from "@/server/auth/dev-session";
import { createTRPCContext } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { seedDemoIdentities } from "@/services/auth/seed";
import { createTestApp, type TestApp } from "@/tests/helpers/test-app";
import { newSpanId, newTraceId, sendSpans } from "./query-fixtures";
import { createTraceReceiver, type TraceReceiver } from "./receiver";

/** The telemetry procedures end to end (signed in, and refused when not), and the rollup job's wiring. */

let app: TestApp;
let receiver: TraceReceiver;
let cookie = "";
const MINUTE = Math.floor(Date.now() / 60_000) * 60_000 - 5 * 60_000;
const traceId = newTraceId();
const clientId = newSpanId();

const trpc = (c = cookie) => createCaller(createTRPCContext({ app, headers: new Headers(c ? { cookie: c } : {}), requestId: randomUUID() }));
const range = { from: new Date(MINUTE - 60_000), to: new Date(MINUTE + 120_000) };

beforeAll(async () => {
  app = await createTestApp();
  await seedDemoIdentities(app.db.auth);
  const user = (await app.db.auth.user.findMany())[0]!;
  cookie = `${DEV_SESSION_COOKIE}=${createDevSessionToken(user.id, app.config.sessionSecret)}`;
  receiver = createTraceReceiver({ pool: app.pool, settings: app.config.telemetry });
  await sendSpans(receiver, [
    { service: "web", name: "call api", kind: 3, startMs: MINUTE, durationMs: 30, traceId, spanId: clientId },
    { service: "api", name: "GET /x", kind: 2, startMs: MINUTE + 1, durationMs: 20, traceId, parentSpanId: clientId, status: 2, attributes: { "http.route": "/x" } },
  ]);
  // The scheduled job, through its registered handler.
  const { jobs, jobSchedules } = await import("@/workers/jobs");
  const { handlers } = await import("@/workers/handlers");
  expect(jobs["telemetry.rollup"].schema.parse({})).toEqual({});
  expect(jobSchedules.find((s) => s.job === "telemetry.rollup")?.repeat.pattern).toBe("* * * * *");
  await new Promise((r) => setTimeout(r, 2100)); // the job's default safety lag is 2 s
  await handlers["telemetry.rollup"]({}, { app } as never);
});

afterAll(async () => {
  await receiver.close();
  await app.cleanup();
});

describe("telemetry router", () => {
  it("refuses callers who are not signed in", async () => {
    await expect(trpc("").telemetry.graph(range)).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("red, graph, slos, traces.search and traces.get", async () => {
    const red = await trpc().telemetry.red({ service: "api", ...range });
    expect(red).toEqual([expect.objectContaining({ minute: new Date(MINUTE), calls: 1, errors: 1, errorPct: 100 })]);
    const graph = await trpc().telemetry.graph(range);
    expect(graph.edges).toEqual([expect.objectContaining({ source: "web", target: "api", type: "client_server", calls: 1, errors: 1 })]);
    const slos = await trpc().telemetry.slos({ services: ["api"] });
    expect(slos[0]).toMatchObject({ service: "api", calls: 1, availability: 0 });
    expect(slos[0]!.alerts.map((a) => a.factor)).toContain(6); // 6h and 30m (the 5m window may have passed the span)
    const found = await trpc().telemetry.traces.search({ ...range, attribute: { key: "http.route", value: "/x" }, errorsOnly: true });
    expect(found.traces.map((t) => t.traceId)).toEqual([traceId]);
    const trace = await trpc().telemetry.traces.get({ traceId });
    expect(trace.spans.map((s) => s.serviceName)).toEqual(["web", "api"]);
    await expect(trpc().telemetry.traces.get({ traceId: newTraceId() })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(trpc().telemetry.traces.search({ from: range.to, to: range.from })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});
