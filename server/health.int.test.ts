import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "@/tests/helpers/test-app";
import { startWorkerRuntime } from "@/workers/runtime";
import { checkHealth } from "./health";

let app: TestApp;

beforeAll(async () => {
  app = await createTestApp();
});

afterAll(() => app.cleanup());

describe("health", () => {
  it("is unavailable while no worker has a heartbeat, and says so", async () => {
    const report = await checkHealth(app);
    expect(report.status).toBe("unavailable");
    expect(report.checks.postgres.ok).toBe(true);
    expect(report.checks.queue).toMatchObject({ ok: true, backend: "redis" });
    expect(report.checks.worker).toMatchObject({ ok: false, live: 0 });
    expect(report.checks.worker.error).toMatch(/no worker heartbeat/);
  });

  it("is ok while a worker runs, and unavailable again once it stops", async () => {
    const runtime = await startWorkerRuntime(app);
    try {
      const report = await checkHealth(app);
      expect(report.status).toBe("ok");
      expect(report.checks.worker.live).toBe(1);
    } finally {
      await runtime.stop();
    }
    expect((await checkHealth(app)).checks.worker.ok).toBe(false);
  });

  it("notices a worker that died without saying goodbye (heartbeat goes stale)", async () => {
    const now = new Date();
    await app.db.portal.workerHeartbeat.create({
      data: { id: "crashed:1", hostname: "crashed", pid: 1, queues: ["catalog"], startedAt: now, lastSeenAt: now },
    });
    expect((await checkHealth(app)).checks.worker.live).toBe(1);
    await new Promise((r) => setTimeout(r, app.config.worker.staleMs + 100));
    expect((await checkHealth(app)).checks.worker).toMatchObject({ ok: false, live: 0 });
  });

  it("reports an unreachable queue backend with the reason, within its timeout", async () => {
    const broken = await createTestApp({ db: { url: app.databaseUrl }, env: { REDIS_URL: "redis://127.0.0.1:1" } });
    try {
      const started = Date.now();
      const report = await checkHealth(broken, 1000);
      expect(Date.now() - started).toBeLessThan(3000);
      expect(report.status).toBe("unavailable");
      expect(report.checks.postgres.ok).toBe(true);
      expect(report.checks.queue.ok).toBe(false);
      expect(report.checks.queue.error).toBeTruthy();
    } finally {
      await broken.close();
    }
  });

  it("reports an unreachable database", async () => {
    const broken = await createTestApp({ db: { url: "postgresql://postgres@127.0.0.1:1/none" } });
    try {
      const report = await checkHealth(broken, 1000);
      expect(report.checks.postgres.ok).toBe(false);
      expect(report.checks.postgres.error).toBeTruthy();
      expect(report.status).toBe("unavailable");
    } finally {
      await broken.close();
    }
  });
});
