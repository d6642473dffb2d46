import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "./logger";

describe("the logger", () => {
  it("logs an error's type, message, stack and code, but not the database client some errors carry", () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    const log = createLogger({ level: "info", name: "test", destination: sink });
    const err = Object.assign(new Error("terminating connection due to administrator command"), {
      code: "57P01",
      client: { connectionParameters: { host: "127.0.0.1" }, _types: { builtins: { BOOL: 16 } } },
    });
    log.error({ err }, "consumer worker error");
    const line = JSON.parse(lines[0]!) as { err: Record<string, unknown>; msg: string };
    expect(line.msg).toBe("consumer worker error");
    expect(line.err).toMatchObject({ type: "Error", message: "terminating connection due to administrator command", code: "57P01" });
    expect(line.err.stack).toMatch(/terminating connection/);
    expect(line.err).not.toHaveProperty("client");
  });
});
