import { isUtf8 } from "node:buffer";
import { jsonString } from "./json-text";

/**
 * Where the decoders write the JSON text of attribute maps, events and links: one growable buffer per
 * process, reset for every request, written byte by byte. A string that is plain on the wire (ASCII
 * without characters JSON escapes, or valid UTF-8) is copied as it is, without ever becoming a JS string;
 * this, and not allocating a string per attribute, is most of what makes the protobuf path fast.
 * Spans refer to their JSON by offsets; the text stays valid until the next request is decoded.
 */

type Writable = Buffer & { utf8Write(s: string, offset: number): number; latin1Write(s: string, offset: number): number; utf8Slice(start: number, end: number): string };

export class JsonArena {
  buf = Buffer.allocUnsafeSlow(1 << 20) as Writable;
  pos = 0;

  reset(): void {
    // Give back a buffer a huge request grew, rather than keeping it for the life of the process.
    if (this.buf.length > 16 << 20) this.buf = Buffer.allocUnsafeSlow(1 << 20) as Writable;
    this.pos = 0;
  }

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafeSlow(Math.max(this.buf.length * 2, this.pos + n)) as Writable;
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** One ASCII byte. */
  byte(c: number): void {
    this.ensure(1);
    this.buf[this.pos++] = c;
  }

  /** ASCII text (JSON punctuation, keys we write ourselves, numbers). */
  ascii(s: string): void {
    this.ensure(s.length);
    this.pos += this.buf.latin1Write(s, this.pos);
  }

  /** Any JS string as UTF-8 (already valid JSON text). */
  text(s: string): void {
    this.ensure(s.length * 3);
    this.pos += this.buf.utf8Write(s, this.pos);
  }

  /** A JSON string literal of a JS string. */
  string(s: string): void {
    this.text(jsonString(s));
  }

  /**
   * A JSON string literal of UTF-8 bytes `src[start, end)`: copied when they need no escaping and are
   * valid UTF-8, else decoded (invalid sequences become U+FFFD) and escaped.
   */
  stringFromUtf8(src: Buffer, start: number, end: number): void {
    this.ensure(end - start + 2);
    const out = this.buf;
    const mark = this.pos;
    let p = mark;
    out[p++] = 0x22;
    let ascii = true;
    for (let i = start; i < end; i++) {
      const c = src[i]!;
      if (c < 0x20 || c === 0x22 || c === 0x5c) {
        this.pos = mark;
        this.string((src as Writable).utf8Slice(start, end));
        return;
      }
      if (c >= 0x80) ascii = false;
      out[p++] = c;
    }
    if (!ascii && !isUtf8(src.subarray(start, end))) {
      this.pos = mark;
      this.string((src as Writable).utf8Slice(start, end));
      return;
    }
    out[p++] = 0x22;
    this.pos = p;
  }

  /** The text between two offsets (for tests and for resources, which are kept as strings). */
  slice(start: number, end: number): string {
    return this.buf.utf8Slice(start, end);
  }
}

/** The process's arena (decoding and encoding are synchronous, so one serves every request). */
export const arena = new JsonArena();
