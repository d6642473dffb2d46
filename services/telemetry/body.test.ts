import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { BadEncodingError, BodyTooLargeError, BudgetExhaustedError, ByteBudget, gunzipLimited, readBody } from "./body";

async function* stream(...parts: string[]) {
  for (const p of parts) yield Buffer.from(p);
}

describe("reading a body within limits", () => {
  it("reads a body up to the limit and refuses one byte more", async () => {
    expect((await readBody(stream("ab", "cd"), 4, () => {})).toString()).toBe("abcd");
    await expect(readBody(stream("ab", "cde"), 4, () => {})).rejects.toBeInstanceOf(BodyTooLargeError);
  });

  it("stops inflating at the limit: 64 MiB of zeros never become more than the limit", async () => {
    const bomb = gzipSync(Buffer.alloc(64 << 20), { level: 9 });
    expect(bomb.length).toBeLessThan(100_000);
    let taken = 0;
    const err = await gunzipLimited(bomb, 1 << 20, (n) => (taken += n)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BodyTooLargeError);
    expect((err as BodyTooLargeError).stage).toBe("decompressed");
    expect(taken).toBeLessThanOrEqual(1 << 20);
  });

  it("calls a corrupt gzip body what it is", async () => {
    await expect(gunzipLimited(Buffer.from("definitely not gzip"), 1000, () => {})).rejects.toBeInstanceOf(BadEncodingError);
    expect((await gunzipLimited(gzipSync("hello"), 1000, () => {})).toString()).toBe("hello");
  });
});

describe("the in-flight byte budget", () => {
  it("lets a lone request through whatever its size, and caps requests together", () => {
    const budget = new ByteBudget(10);
    const a = budget.open();
    a.take(50); // alone: allowed (the body limits bound it)
    const b = budget.open();
    expect(() => b.take(1)).toThrow(BudgetExhaustedError);
    a.release();
    b.take(10);
    expect(budget.used).toBe(10);
    b.release();
    expect([budget.used, budget.holders]).toEqual([0, 0]);
  });
});
