import { createGunzip } from "node:zlib";

/**
 * Reading a request body within limits: the bytes on the wire, the bytes after gzip, and a budget
 * shared by all requests in flight. A gzip bomb is stopped while it inflates, at the limit.
 */

/** The body is larger than allowed (413). `stage` says whether on the wire or once inflated. */
export class BodyTooLargeError extends Error {
  constructor(
    readonly stage: "compressed" | "decompressed",
    readonly limit: number,
  ) {
    super(`request body exceeds ${limit} bytes ${stage === "compressed" ? "on the wire" : "once decompressed"}`);
    this.name = "BodyTooLargeError";
  }
}

/** The gzip stream is corrupt (400). */
export class BadEncodingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BadEncodingError";
  }
}

/** Too many bytes are in flight across requests right now (429). */
export class BudgetExhaustedError extends Error {
  constructor() {
    super("too many request bytes in flight");
    this.name = "BudgetExhaustedError";
  }
}

/**
 * Bytes held by requests being read, inflated and decoded. A request may always proceed when it is the
 * only one holding bytes (so one request up to the body limits always fits); otherwise the sum is capped.
 */
export class ByteBudget {
  used = 0;
  holders = 0;
  constructor(readonly limit: number) {}

  /** A holder's account; `release()` returns everything it took. */
  open(): { take(n: number): void; release(): void } {
    let mine = 0;
    this.holders++;
    return {
      take: (n: number) => {
        if (this.used + n > this.limit && mine !== this.used) throw new BudgetExhaustedError();
        mine += n;
        this.used += n;
      },
      release: () => {
        this.used -= mine;
        mine = 0;
        this.holders--;
      },
    };
  }
}

export type BodySource = AsyncIterable<Uint8Array> | ReadableStream<Uint8Array> | null | undefined;

async function* chunks(body: BodySource): AsyncIterable<Uint8Array> {
  if (!body) return;
  if ("getReader" in body) {
    const reader = body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield value;
      }
    } finally {
      // Stop reading what is left of a refused body.
      reader.cancel().catch(() => {});
    }
  } else {
    // Not `yield*`: stopping early must not destroy a Node request (its socket still has to carry the answer).
    const it = body[Symbol.asyncIterator]();
    for (;;) {
      const { done, value } = await it.next();
      if (done) return;
      yield value;
    }
  }
}

/** Reads a whole body of at most `limit` bytes. */
export async function readBody(body: BodySource, limit: number, take: (n: number) => void): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const c of chunks(body)) {
    total += c.length;
    if (total > limit) throw new BodyTooLargeError("compressed", limit);
    take(c.length);
    parts.push(c);
  }
  return parts.length === 1 ? Buffer.from(parts[0]!.buffer, parts[0]!.byteOffset, parts[0]!.length) : Buffer.concat(parts, total);
}

/** Inflates a gzip body, stopping (and failing) as soon as the output passes `limit` bytes. */
export function gunzipLimited(input: Buffer, limit: number, take: (n: number) => void): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const gunzip = createGunzip({ chunkSize: 64 * 1024 });
    const parts: Buffer[] = [];
    let total = 0;
    let failed = false;
    const fail = (err: Error) => {
      if (failed) return;
      failed = true;
      gunzip.destroy();
      reject(err);
    };
    gunzip.on("data", (c: Buffer) => {
      if (failed) return;
      total += c.length;
      if (total > limit) return fail(new BodyTooLargeError("decompressed", limit));
      try {
        take(c.length);
      } catch (err) {
        return fail(err as Error);
      }
      parts.push(c);
    });
    gunzip.on("error", (err) => fail(new BadEncodingError(`invalid gzip body: ${err.message}`)));
    gunzip.on("end", () => {
      if (!failed) resolve(Buffer.concat(parts, total));
    });
    gunzip.end(input);
  });
}
