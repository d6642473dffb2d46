/**
 * A streaming reader for multipart/form-data (RFC 7578): parts come out one at a time with their
 * headers and their content as a stream of chunks, so an upload is never held in memory and a size
 * limit can stop it while it is being read. Only what uploads need: no nested multiparts, no
 * Content-Transfer-Encoding.
 */

/** The body is not well-formed multipart (400). */
export class MalformedMultipartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MalformedMultipartError";
  }
}

export type MultipartPart = {
  /** Header names lowercased. */
  headers: Record<string, string>;
  /** The form field's name (Content-Disposition `name`). */
  name: string | undefined;
  /** Set for file fields (Content-Disposition `filename`), possibly "". */
  fileName: string | undefined;
  contentType: string | undefined;
  /** The part's bytes; read it (or not — unread bytes are skipped when the next part is asked for). */
  body: AsyncGenerator<Buffer, void, undefined>;
};

const MAX_HEADER_BYTES = 16 * 1024;

/** The boundary of a `multipart/form-data; boundary=...` Content-Type, or undefined. */
export function multipartBoundary(contentType: string | null | undefined): string | undefined {
  if (!contentType || !/^multipart\/form-data\b/i.test(contentType.trim())) return undefined;
  const m = /;\s*boundary\s*=\s*(?:"([^"]{1,70})"|([^;\s]{1,70}))/i.exec(contentType);
  return m ? (m[1] ?? m[2]) : undefined;
}

/** Buffers just enough of a byte stream to find delimiters in it. */
class Reader {
  private buf = Buffer.alloc(0);
  private done = false;
  constructor(private readonly source: AsyncIterator<Uint8Array>) {}

  private async fill(): Promise<boolean> {
    if (this.done) return false;
    const next = await this.source.next();
    if (next.done) {
      this.done = true;
      return false;
    }
    this.buf = this.buf.length ? Buffer.concat([this.buf, next.value]) : Buffer.from(next.value);
    return true;
  }

  /** Ensures `n` bytes are buffered; false when the stream ends first. */
  async ensure(n: number): Promise<boolean> {
    while (this.buf.length < n) if (!(await this.fill())) return false;
    return true;
  }

  peek(n: number): Buffer {
    return this.buf.subarray(0, n);
  }

  skip(n: number): void {
    this.buf = this.buf.subarray(n);
  }

  /**
   * Yields the bytes before `needle` and consumes the needle. Never holds more than one chunk plus
   * the needle's length. Fails when the stream ends before the needle.
   */
  async *until(needle: Buffer, what: string): AsyncGenerator<Buffer, void, undefined> {
    for (;;) {
      const at = this.buf.indexOf(needle);
      if (at >= 0) {
        if (at > 0) yield this.buf.subarray(0, at);
        this.buf = this.buf.subarray(at + needle.length);
        return;
      }
      const safe = this.buf.length - (needle.length - 1);
      if (safe > 0) {
        const out = this.buf.subarray(0, safe);
        this.buf = this.buf.subarray(safe);
        yield out;
      }
      if (!(await this.fill())) throw new MalformedMultipartError(`the body ended inside ${what}`);
    }
  }
}

function parseHeaders(raw: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of raw.split("\r\n")) {
    const i = line.indexOf(":");
    if (i <= 0) continue;
    headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return headers;
}

function dispositionParam(value: string | undefined, param: string): string | undefined {
  if (!value) return undefined;
  if (param === "filename") {
    const star = /;\s*filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(value);
    if (star) {
      try {
        return decodeURIComponent(star[2]!.trim());
      } catch {
        // use the plain parameter
      }
    }
  }
  const quoted = new RegExp(`;\\s*${param}\\s*=\\s*"((?:[^"\\\\]|\\\\.)*)"`, "i").exec(value);
  if (quoted) return quoted[1]!.replace(/\\(.)/g, "$1");
  return new RegExp(`;\\s*${param}\\s*=\\s*([^;\\s]+)`, "i").exec(value)?.[1];
}

/**
 * Reads the parts of a multipart body in order. A part's body must be read (or abandoned) before the
 * next part is asked for; abandoned bytes are skipped without being kept.
 */
export async function* readMultipart(source: AsyncIterable<Uint8Array>, boundary: string): AsyncGenerator<MultipartPart, void, undefined> {
  const reader = new Reader(source[Symbol.asyncIterator]());
  const dashBoundary = Buffer.from(`--${boundary}`);
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  // Preamble (ignored) up to the first boundary.
  for await (const _ of reader.until(dashBoundary, "the preamble"));
  for (;;) {
    if (!(await reader.ensure(2))) throw new MalformedMultipartError("the body ended after a boundary");
    if (reader.peek(2).toString() === "--") return; // close delimiter: the epilogue is ignored
    // Transport padding (spaces/tabs) may follow a boundary before its CRLF.
    while ((await reader.ensure(1)) && (reader.peek(1)[0] === 0x20 || reader.peek(1)[0] === 0x09)) reader.skip(1);
    if (!(await reader.ensure(2)) || reader.peek(2).toString() !== "\r\n") throw new MalformedMultipartError("a boundary is not followed by a line break");
    reader.skip(2);
    let headerBytes = 0;
    const raw: Buffer[] = [];
    // A part without headers starts with the blank line straight away.
    if ((await reader.ensure(2)) && reader.peek(2).toString() === "\r\n") {
      reader.skip(2);
    } else {
      for await (const c of reader.until(Buffer.from("\r\n\r\n"), "a part's headers")) {
        headerBytes += c.length;
        if (headerBytes > MAX_HEADER_BYTES) throw new MalformedMultipartError("a part's headers are too long");
        raw.push(c);
      }
    }
    const headers = parseHeaders(Buffer.concat(raw).toString("utf8"));
    const disposition = headers["content-disposition"];
    const content = reader.until(delimiter, "a part's content");
    // The caller gets a wrapper: stopping it early must not close `content`, which is drained below.
    const body = (async function* () {
      for (let r = await content.next(); !r.done; r = await content.next()) yield r.value;
    })();
    yield {
      headers,
      name: dispositionParam(disposition, "name"),
      fileName: dispositionParam(disposition, "filename"),
      contentType: headers["content-type"],
      body,
    };
    // Skip whatever the caller did not read.
    while (!(await content.next()).done);
  }
}
