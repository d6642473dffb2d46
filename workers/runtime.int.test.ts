import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { listServices, listSyncRuns } from "@/services/catalog/queries";
import { createTestApp, eventually, type TestApp } from "@/tests/helpers/test-app";
import { enqueueJob, jobs } from "./jobs";
import { type JobRegistry, startWorkerRuntime, type WorkerRuntime } from "./runtime";

describe.each(["redis", "postgres"] as const)("the worker on the %s queue backend", (backend) => {
  let app: TestApp;
  let runtime: WorkerRuntime;

  beforeAll(async () => {
    app = await createTestApp({ queue: backend, env: { CATALOG_SYNC_ON_START: "true" } });
    runtime = await startWorkerRuntime(app);
  });

  afterAll(async () => {
    await runtime.stop();
    await app.cleanup();
  });

  it("loads the catalog through a catalog.sync job when it starts", async () => {
    const services = await eventually(async () => {
      const s = await listServices(app.db.catalog);
      return s.length === 6 ? s : undefined;
    }, 20_000, "six services in the catalog");
    expect(services.map((s) => s.ownerName)).toContain("team-ai");
    const runs = await listSyncRuns(app.db.catalog, 5);
    expect(runs.find((r) => r.trigger === "startup")?.jobId).toBeTruthy();
  });

  it("runs a manually requested sync and records who asked through the job", async () => {
    const jobId = await enqueueJob(app.queues, "catalog.sync", { trigger: "manual", requestedBy: "user-1" });
    const run = await eventually(async () => (await listSyncRuns(app.db.catalog, 10)).find((r) => r.jobId === jobId && r.finishedAt), 20_000, "the manual sync run");
    expect(run.status).toBe("succeeded");
    expect(run.trigger).toBe("manual");
  });

  it("fails a job with an invalid payload at once, without retrying it", async () => {
    const queue = app.queues.queue(jobs["catalog.sync"].queue);
    const job = await queue.add("catalog.sync", { trigger: "whenever" }, { attempts: 3 });
    await eventually(async () => (await queue.getJobState(job.id!)) === "failed", 20_000, "the job to fail");
    const failed = await queue.getJob(job.id!);
    expect(failed!.failedReason).toMatch(/invalid payload for catalog\.sync: trigger/);
    expect(failed!.attemptsMade).toBe(1);
  });

  it("refuses to enqueue an invalid payload in the first place", async () => {
    await expect(enqueueJob(app.queues, "catalog.sync", { trigger: "whenever" } as never)).rejects.toThrow(/trigger/);
  });

  it("keeps a heartbeat while running, and marks itself stopped on shutdown", async () => {
    const first = await app.db.portal.workerHeartbeat.findUniqueOrThrow({ where: { id: runtime.id } });
    const later = await eventually(async () => {
      const row = await app.db.portal.workerHeartbeat.findUniqueOrThrow({ where: { id: runtime.id } });
      return row.lastSeenAt > first.lastSeenAt ? row : undefined;
    }, 5_000, "a newer heartbeat");
    expect(later.stoppedAt).toBeNull();
    expect(later.queues).toEqual([...new Set(Object.values(jobs).map((j) => j.queue))]);
  });
});

describe("job timeouts", () => {
  let app: TestApp;
  let runtime: WorkerRuntime;
  const aborted: string[] = [];
  // A test catalog with one job that never finishes by itself unless told to be quick.
  const registry: JobRegistry = {
    jobs: { "test.slow": { queue: "slow", schema: z.object({ ms: z.number() }), attempts: 2, backoffMs: 10, timeoutMs: 300 } },
    handlers: {
      "test.slow": (async (data: { ms: number }, { signal, job }) => {
        signal.addEventListener("abort", () => aborted.push(job.id!));
        await new Promise((r) => setTimeout(r, data.ms));
        return "done";
      }) as JobRegistry["handlers"][string],
    },
  };

  beforeAll(async () => {
    app = await createTestApp();
    runtime = await startWorkerRuntime(app, { jobs: registry, messaging: false });
  });

  afterAll(async () => {
    await runtime.stop();
    await app.cleanup();
  });

  it("fails a run that outlives its timeout, aborts its work, and retries it up to the limit", async () => {
    const queue = app.queues.queue("slow");
    const job = await queue.add("test.slow", { ms: 5_000 }, { attempts: 2, backoff: { type: "fixed", delay: 10 } });
    await eventually(async () => (await queue.getJobState(job.id!)) === "failed", 10_000, "the slow job to fail");
    const failed = await queue.getJob(job.id!);
    expect(failed!.failedReason).toBe("test.slow did not finish within 300 ms");
    expect(failed!.attemptsMade).toBe(2);
    expect(aborted.filter((id) => id === job.id)).toHaveLength(2);
  });

  it("lets a run inside its timeout finish", async () => {
    const queue = app.queues.queue("slow");
    const job = await queue.add("test.slow", { ms: 20 });
    await eventually(async () => (await queue.getJobState(job.id!)) === "completed", 10_000, "the quick job");
    expect((await queue.getJob(job.id!))!.returnvalue).toBe("done");
  });
});
