import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDevSessionToken, DEV_SESSION_COOKIE } from "@/server/auth/dev-session";
import { type MessagingRuntime, startMessaging } from "@/server/messaging/runtime";
import { createTRPCContext } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { seedDemoIdentities } from "@/services/auth/seed";
import { createTestApp, eventually, type TestApp } from "@/tests/helpers/test-app";
import { messagingRegistry } from "@/workers/consumers";

// The third-party OpenAI API is faked by a local node:http server that answers POST /v1/chat/completions.
type Behaviour = "ok" | "fail" | "hang";
let behaviour: Behaviour = "ok";
const requests: { auth?: string; body: { model: string; messages: { role: string; content: string }[]; max_tokens: number } }[] = [];
let fake: Server;
let app: TestApp;
let runtime: MessagingRuntime;
let cookie: string;

beforeAll(async () => {
  fake = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on("data", (c: Buffer) => parts.push(c));
    req.on("end", () => {
      if (req.method !== "POST" || req.url !== "/v1/chat/completions") {
        res.writeHead(404).end();
        return;
      }
      requests.push({ auth: req.headers.authorization, body: JSON.parse(Buffer.concat(parts).toString()) as (typeof requests)[number]["body"] });
      if (behaviour === "hang") return; // never answers: the provider's deadline must end the call
      if (behaviour === "fail") {
        res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "The server had an error while processing your request." } }));
        return;
      }
      res.writeHead(200, { "content-type": "application/json" }).end(
        JSON.stringify({
          id: "chatcmpl-1",
          object: "chat.completion",
          model: "gpt-fake-2026-01-01",
          choices: [{ index: 0, message: { role: "assistant", content: "# Release notes\n\nAll good." }, finish_reason: "stop" }],
          usage: { prompt_tokens: 1200, completion_tokens: 300, total_tokens: 1500 },
        }),
      );
    });
  });
  await new Promise<void>((r) => fake.listen(0, "127.0.0.1", r));
  const port = (fake.address() as AddressInfo).port;
  app = await createTestApp({
    env: {
      OUTBOX_POLL_MS: "100",
      AI_PROVIDER: "openai",
      AI_BASE_URL: `http://127.0.0.1:${port}/v1`,
      AI_API_KEY: "sk-fake",
      AI_MODEL: "gpt-fake",
      AI_TIMEOUT_MS: "400",
      AI_PRICE_PROMPT_PER_1K_USD: "0.15",
      AI_PRICE_COMPLETION_PER_1K_USD: "0.6",
    },
  });
  await seedDemoIdentities(app.db.auth);
  const priya = await app.db.auth.user.findFirstOrThrow({ where: { email: "priya.raman@templator.dev" } });
  cookie = `${DEV_SESSION_COOKIE}=${createDevSessionToken(priya.id, app.config.sessionSecret)}`;
  runtime = await startMessaging(app, messagingRegistry, { sweep: false });
});

afterAll(async () => {
  await runtime?.stop();
  await app?.cleanup();
  fake.closeAllConnections();
  await new Promise((r) => fake.close(r));
});

const generate = (correlationId: string) =>
  createCaller(createTRPCContext({ app, headers: new Headers({ cookie, "x-correlation-id": correlationId }), requestId: randomUUID() })).ai.generate({
    body: "# Release notes for {{version}}\n\n## Changes\n",
    variables: [{ name: "version" }],
    inputs: { version: "2.4.0" },
  });

const feedOf = (runId: string, n: number) =>
  eventually(async () => {
    const rows = await app.db.analytics.eventFeedEntry.findMany({ where: { aggregateId: runId }, orderBy: { aggregateVersion: "asc" } });
    return rows.length === n ? rows : undefined;
  }, 15_000, `${n} feed entries for run ${runId}`);

describe("generation through the OpenAI-compatible provider, against a fake of the third-party OpenAI API", () => {
  it("records a successful run with the API's token counts, model and cost", async () => {
    behaviour = "ok";
    const r = await generate("corr-openai-ok");
    expect(r.text).toBe("# Release notes\n\nAll good.");
    expect(r.run).toMatchObject({ provider: "openai", model: "gpt-fake-2026-01-01", promptTokens: 1200, completionTokens: 300, outcome: "success", errorCode: null });
    expect(r.run.costUsd).toBeCloseTo(1.2 * 0.15 + 0.3 * 0.6, 6);
    const sent = requests.at(-1)!;
    expect(sent.auth).toBe("Bearer sk-fake");
    expect(sent.body.model).toBe("gpt-fake");
    expect(sent.body.max_tokens).toBe(1024);
    expect(sent.body.messages[1]!.content).toContain("# Release notes for 2.4.0");
    const feed = await feedOf(r.run.id, 1);
    expect(feed[0]!.payload).toMatchObject({ provider: "openai", outcome: "success", costUsd: r.run.costUsd });
  });

  it("a 500 from the API is a run with outcome error, and AIErrorsOccurred travels with PromptRunRecorded", async () => {
    behaviour = "fail";
    const r = await generate("corr-openai-500");
    expect(r.text).toBeNull();
    expect(r.run).toMatchObject({
      outcome: "error",
      errorCode: "upstream_error",
      errorMessage: "the provider answered 500: The server had an error while processing your request.",
      model: "gpt-fake",
      completionTokens: 0,
      costUsd: 0,
    });
    const stored = await app.db.ai.promptRun.findUniqueOrThrow({ where: { id: r.run.id } });
    expect(stored).toMatchObject({ outcome: "error", errorCode: "upstream_error", output: null });
    const feed = await feedOf(r.run.id, 2);
    expect(feed.map((e) => e.eventType.split(".").pop())).toEqual(["PromptRunRecorded", "AIErrorsOccurred"]);
    expect(feed.every((e) => e.correlationId === "corr-openai-500")).toBe(true);
    expect(feed[1]!.payload).toMatchObject({ runId: r.run.id, model: "gpt-fake", provider: "openai", errorCode: "upstream_error" });
  });

  it("an API that does not answer in time is a run with outcome timeout", async () => {
    behaviour = "hang";
    const started = Date.now();
    const r = await generate("corr-openai-timeout");
    expect(Date.now() - started).toBeLessThan(3000);
    expect(r.run).toMatchObject({ outcome: "timeout", errorCode: "timeout", errorMessage: expect.stringMatching(/within 400 ms$/) });
    expect(r.run.latencyMs).toBeGreaterThanOrEqual(390);
    const feed = await feedOf(r.run.id, 2);
    expect(feed[0]!.payload).toMatchObject({ outcome: "timeout" });
    expect(feed[1]!.payload).toMatchObject({ errorCode: "timeout" });
  });
});
