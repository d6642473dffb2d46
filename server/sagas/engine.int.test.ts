import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { AnyWorker } from "@/server/queue/backend";
import { createTestApp, eventually, type TestApp } from "@/tests/helpers/test-app";
import { defineSaga, type SagaStep, StepRejected } from "./define";
import { runSagaStep, type SagaRegistry, type SagaStepJob, startSaga } from "./engine";

let app: TestApp;
let worker: AnyWorker;
const tries = new Map<string, number>();

/** Each step and compensation writes a row, so the tests can see what ran and in which order. */
async function effect(instanceId: string, what: string): Promise<void> {
  await app.pool.query(`INSERT INTO saga_effects (instance_id, what) VALUES ($1, $2)`, [instanceId, what]);
}
async function effects(instanceId: string): Promise<string[]> {
  return (await app.pool.query<{ what: string }>(`SELECT what FROM saga_effects WHERE instance_id = $1 ORDER BY id`, [instanceId])).rows.map((r) => r.what);
}

type Input = { order: string; failAt?: string; failTimes?: number; reject?: string; slow?: string; brokenCompensation?: string };

const step = (name: string, extra: Partial<SagaStep<Input>> = {}): SagaStep<Input> => ({
  name,
  service: name === "reserve" ? "projects" : "ai",
  attempts: 3,
  backoffMs: 20,
  timeoutMs: 300,
  async run({ instanceId, input, data, signal }) {
    const key = `${instanceId}:${name}`;
    const n = (tries.get(key) ?? 0) + 1;
    tries.set(key, n);
    // A well-behaved step stops when its try times out (the signal aborts).
    if (input.slow === name) await new Promise((_, reject) => signal.addEventListener("abort", () => reject(new Error("aborted"))));
    if (input.reject === name) throw new StepRejected(`${name} says no`);
    if (input.failAt === name && n <= (input.failTimes ?? 99)) throw new Error(`${name} failed (try ${n})`);
    await effect(instanceId, `${name} done (seen ${Object.keys(data).sort().join(",") || "nothing"})`);
    return { [name]: `${input.order}-${name}` };
  },
  async compensate({ instanceId, input, reason }) {
    if (input.brokenCompensation === name) throw new Error(`${name} cannot be undone`);
    await effect(instanceId, `${name} undone because ${reason}`);
  },
  ...extra,
});

const saga = defineSaga<Input>({
  name: "test.order",
  service: "projects",
  input: z.object({ order: z.string(), failAt: z.string().optional(), failTimes: z.number().optional(), reject: z.string().optional(), slow: z.string().optional(), brokenCompensation: z.string().optional() }),
  subject: (i) => i.order,
  steps: [step("reserve"), step("notify", { compensate: undefined }), step("charge"), step("confirm")],
});

const enqueued: SagaStepJob[] = [];
const registry: SagaRegistry = {
  sagas: [saga as never],
  async enqueue(queues, job, delayMs) {
    enqueued.push(job);
    await queues.queue("sagas").add("saga.step", job, { jobId: `saga-${job.instanceId}-${job.phase}-${job.index}-${job.attempt}`, delay: delayMs, removeOnComplete: true });
  },
};

async function finished(id: string) {
  return eventually(async () => {
    const i = await app.db.messaging.sagaInstance.findUnique({ where: { id }, include: { steps: { orderBy: [{ startedAt: "asc" }] } } });
    return i && ["completed", "compensated", "failed"].includes(i.status) ? i : undefined;
  }, 15_000, `saga ${id} to finish`);
}

const start = (input: Input) => startSaga(app, registry, "test.order", input, { correlationId: `corr-${input.order}`, startedBy: "priya" });

beforeAll(async () => {
  app = await createTestApp();
  await app.pool.query(`CREATE TABLE saga_effects (id bigserial PRIMARY KEY, instance_id uuid NOT NULL, what text NOT NULL)`);
  worker = app.queues.worker("sagas", (job) => runSagaStep(app, registry, job.data as SagaStepJob), { concurrency: 4 });
});

afterAll(async () => {
  await worker?.close();
  await app.cleanup();
});

describe("orchestrated sagas", () => {
  it("runs the steps in order, handing each the data of the ones before, and completes", async () => {
    const id = await start({ order: "o1" });
    const done = await finished(id);
    expect(done).toMatchObject({ status: "completed", saga: "test.order", subject: "o1", correlationId: "corr-o1", data: { reserve: "o1-reserve", confirm: "o1-confirm" } });
    expect(await effects(id)).toEqual(["reserve done (seen nothing)", "notify done (seen reserve)", "charge done (seen notify,reserve)", "confirm done (seen charge,notify,reserve)"]);
    expect(done.steps.map((s) => [s.name, s.phase, s.status, s.attempts])).toEqual([
      ["reserve", "forward", "succeeded", 1],
      ["notify", "forward", "succeeded", 1],
      ["charge", "forward", "succeeded", 1],
      ["confirm", "forward", "succeeded", 1],
    ]);
  });

  it("retries a failing step with backoff and goes on when it recovers", async () => {
    const id = await start({ order: "o2", failAt: "charge", failTimes: 2 });
    const done = await finished(id);
    expect(done.status).toBe("completed");
    expect(done.steps.find((s) => s.name === "charge")).toMatchObject({ status: "succeeded", attempts: 3, error: null });
  });

  it("a rejected step is not retried: the steps before it are compensated newest first", async () => {
    const id = await start({ order: "o3", reject: "confirm" });
    const done = await finished(id);
    expect(done).toMatchObject({ status: "compensated", currentStep: -1, error: "confirm: confirm says no" });
    expect(await effects(id)).toEqual([
      "reserve done (seen nothing)",
      "notify done (seen reserve)",
      "charge done (seen notify,reserve)",
      "charge undone because confirm: confirm says no",
      "reserve undone because confirm: confirm says no",
    ]);
    expect(done.steps.map((s) => [s.name, s.phase, s.status, s.attempts])).toEqual([
      ["reserve", "forward", "succeeded", 1],
      ["notify", "forward", "succeeded", 1],
      ["charge", "forward", "succeeded", 1],
      ["confirm", "forward", "failed", 1],
      ["charge", "compensate", "succeeded", 1],
      ["notify", "compensate", "skipped", 0],
      ["reserve", "compensate", "succeeded", 1],
    ]);
  });

  it("a step that keeps timing out fails after its attempts and compensates", async () => {
    const id = await start({ order: "o4", slow: "notify" });
    const done = await finished(id);
    expect(done.status).toBe("compensated");
    expect(done.steps.find((s) => s.name === "notify" && s.phase === "forward")).toMatchObject({ status: "failed", attempts: 3, error: "notify (ai) timed out after 300 ms" });
    expect(await effects(id)).toEqual(["reserve done (seen nothing)", "reserve undone because notify: notify (ai) timed out after 300 ms"]);
  });

  it("a compensation that cannot succeed leaves the saga failed, for a person to see", async () => {
    const id = await start({ order: "o5", reject: "charge", brokenCompensation: "reserve" });
    const done = await finished(id);
    expect(done.status).toBe("failed");
    expect(done.error).toBe("compensation reserve: reserve cannot be undone");
    expect(done.steps.find((s) => s.name === "reserve" && s.phase === "compensate")).toMatchObject({ status: "failed", attempts: 3 });
  });

  it("a step job delivered twice has no second effect", async () => {
    const id = await start({ order: "o6" });
    await finished(id);
    // Replay every job this saga ever queued, as a duplicate delivery would.
    for (const job of enqueued.filter((j) => j.instanceId === id)) expect(await runSagaStep(app, registry, job)).toBe("stale");
    expect((await effects(id)).length).toBe(4);
  });

  it("a worker that died after a step succeeded but before moving on is recovered by the job's retry", async () => {
    const id = await start({ order: "o7", reject: "reserve" }); // stops at once; we stage a half-done run by hand below
    await finished(id);
    const instance = await app.db.messaging.sagaInstance.create({
      data: { saga: "test.order", service: "projects", correlationId: "corr-o8", subject: "o8", input: { order: "o8" }, startedBy: "priya" },
    });
    await app.db.messaging.sagaStep.create({ data: { instanceId: instance.id, index: 0, phase: "forward", name: "reserve", service: "projects", status: "succeeded", attempts: 1, output: { reserve: "o8-reserve" } } });
    expect(await runSagaStep(app, registry, { instanceId: instance.id, index: 0, phase: "forward", attempt: 1 })).toBe("recovered");
    const done = await finished(instance.id);
    expect(done.status).toBe("completed");
    expect(await effects(instance.id)).toEqual(["notify done (seen reserve)", "charge done (seen notify,reserve)", "confirm done (seen charge,notify,reserve)"]);
  });
});
