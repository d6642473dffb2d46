/** Baseline for bench:outbox: one BullMQ worker with a trivial processor (concurrency 50). */
import { Worker } from "bullmq";
import { Redis } from "ioredis";

const connection = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", { maxRetriesPerRequest: null });
const worker = new Worker(process.env.QUEUE ?? "baseline", async () => 1, {
  connection,
  prefix: process.env.QUEUE_PREFIX ?? "bench",
  concurrency: 50,
  removeOnComplete: { count: 0 },
});
await worker.waitUntilReady();
console.log("worker ready");
process.on("SIGTERM", () => void worker.close().then(() => process.exit(0)));
