/**
 * A consumer process for resilience tests and the chaos script: runs the test effect consumer (and
 * optionally the dispatchers) against DATABASE_URL / REDIS_URL / QUEUE_PREFIX, until killed.
 * Prints "consumer ready" once its workers run.
 */
import { createAppContext } from "../../server/app";
import { parseConfig } from "../../server/config";
import { startMessaging } from "../../server/messaging/runtime";
import { effectConsumer } from "../helpers/messaging";

const name = process.env.CONSUMER_NAME ?? "analytics.test";
const concurrency = process.env.CONSUMER_CONCURRENCY ? Number(process.env.CONSUMER_CONCURRENCY) : undefined;
const config = parseConfig({ ...process.env, NODE_ENV: "test", OTEL_SDK_DISABLED: "true", LOG_LEVEL: process.env.LOG_LEVEL ?? "warn" });
const app = createAppContext(config, "test-consumer");
const runtime = await startMessaging(app, { consumers: [effectConsumer(name, concurrency ? { concurrency } : {})] }, {
  dispatch: process.env.DISPATCH === "true",
  consume: process.env.NO_CONSUME !== "1",
  sweep: process.env.SWEEP === "true",
});
console.log("consumer ready");
const stop = async () => {
  await runtime.stop();
  await app.close();
  process.exit(0);
};
process.on("SIGTERM", () => void stop());
