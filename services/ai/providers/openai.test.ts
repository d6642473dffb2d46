import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openAiProvider } from "./openai";
import { ProviderError } from "./provider";

// The third-party OpenAI API is faked here by a local node:http server speaking its chat completions protocol.
type Reply = { status: number; body: unknown; delayMs?: number };
let next: Reply = { status: 200, body: {} };
const seen: { auth: string | undefined; body: Record<string, unknown>; path: string | undefined }[] = [];
let server: Server;
let baseUrl: string;

async function read(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of req) parts.push(c as Buffer);
  return Buffer.concat(parts).toString();
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    seen.push({ auth: req.headers.authorization, body: JSON.parse(await read(req)) as Record<string, unknown>, path: req.url });
    const reply = next;
    if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
    if (res.destroyed) return;
    res.writeHead(reply.status, { "content-type": "application/json" });
    res.end(typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const provider = (timeoutMs = 2000) => openAiProvider({ baseUrl, apiKey: "sk-test", model: "gpt-test", timeoutMs });

async function failure(p: Promise<unknown>): Promise<ProviderError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(ProviderError);
    return err as ProviderError;
  }
  throw new Error("expected a ProviderError");
}

describe("the OpenAI-compatible provider, against a fake of the third-party OpenAI API", () => {
  it("posts the model and messages with the Bearer key and reads text and usage", async () => {
    next = { status: 200, body: { model: "gpt-test-0613", choices: [{ message: { role: "assistant", content: "Hello" } }], usage: { prompt_tokens: 12, completion_tokens: 1 } } };
    const r = await provider().generate({ prompt: "Say hello", maxTokens: 20 });
    expect(r).toEqual({ text: "Hello", promptTokens: 12, completionTokens: 1, model: "gpt-test-0613" });
    const req = seen.at(-1)!;
    expect(req.path).toBe("/v1/chat/completions");
    expect(req.auth).toBe("Bearer sk-test");
    expect(req.body).toMatchObject({ model: "gpt-test", max_tokens: 20, messages: [{ role: "system" }, { role: "user", content: "Say hello" }] });
  });

  it("counts tokens itself when the API leaves usage out", async () => {
    next = { status: 200, body: { choices: [{ message: { content: "Two words" } }] } };
    const r = await provider().generate({ prompt: "x", maxTokens: 20 });
    expect(r).toMatchObject({ text: "Two words", completionTokens: 2, model: "gpt-test" });
    expect(r.promptTokens).toBeGreaterThan(1);
  });

  it("maps HTTP errors to codes, with the API's reason", async () => {
    const cases: [number, string][] = [
      [401, "unauthorized"],
      [404, "not_found"],
      [429, "rate_limited"],
      [400, "bad_request"],
      [500, "upstream_error"],
      [504, "timeout"],
    ];
    for (const [status, code] of cases) {
      next = { status, body: { error: { message: `reason ${status}` } } };
      const err = await failure(provider().generate({ prompt: "x", maxTokens: 5 }));
      expect([err.code, err.status, err.message]).toEqual([code, status, `the provider answered ${status}: reason ${status}`]);
    }
  });

  it("fails with bad_response on an answer that is not a chat completion", async () => {
    next = { status: 200, body: "<html>proxy error</html>" };
    expect((await failure(provider().generate({ prompt: "x", maxTokens: 5 }))).code).toBe("bad_response");
    next = { status: 200, body: { choices: [] } };
    expect((await failure(provider().generate({ prompt: "x", maxTokens: 5 }))).code).toBe("bad_response");
  });

  it("gives up at its deadline", async () => {
    next = { status: 200, body: { choices: [{ message: { content: "late" } }] }, delayMs: 1000 };
    const started = Date.now();
    const err = await failure(provider(150).generate({ prompt: "x", maxTokens: 5 }));
    expect(err.code).toBe("timeout");
    expect(Date.now() - started).toBeLessThan(900);
  });

  it("reports an unreachable API as a network error", async () => {
    const p = openAiProvider({ baseUrl: "http://127.0.0.1:9/v1", apiKey: undefined, model: "m", timeoutMs: 2000 });
    expect((await failure(p.generate({ prompt: "x", maxTokens: 5 }))).code).toBe("network_error");
  });
});
