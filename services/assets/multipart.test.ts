import { describe, expect, it } from "vitest";
import { MalformedMultipartError, multipartBoundary, readMultipart } from "./multipart";

async function* chunked(data: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

const BOUNDARY = "----sy-boundary-42";
const body = (parts: string[]) => Buffer.from(`preamble\r\n${parts.map((p) => `--${BOUNDARY}\r\n${p}\r\n`).join("")}--${BOUNDARY}--\r\nepilogue`);
const FORM = body([
  'Content-Disposition: form-data; name="note"\r\n\r\nhello',
  'Content-Disposition: form-data; name="file"; filename="run book.md"\r\nContent-Type: text/markdown\r\n\r\n# Runbook\r\n--not-a-boundary\r\nline',
  'Content-Disposition: form-data; name="other"; filename*=UTF-8\'\'na%C3%AFve.txt\r\n\r\n',
]);

async function collect(data: Buffer, chunkSize: number) {
  const out = [];
  for await (const p of readMultipart(chunked(data, chunkSize), BOUNDARY)) {
    const parts: Buffer[] = [];
    for await (const c of p.body) parts.push(c);
    out.push({ name: p.name, fileName: p.fileName, contentType: p.contentType, content: Buffer.concat(parts).toString() });
  }
  return out;
}

describe("the streaming multipart reader", () => {
  it("reads parts with their names, file names and types, whatever the chunking", async () => {
    const expected = [
      { name: "note", fileName: undefined, contentType: undefined, content: "hello" },
      { name: "file", fileName: "run book.md", contentType: "text/markdown", content: "# Runbook\r\n--not-a-boundary\r\nline" },
      { name: "other", fileName: "naïve.txt", contentType: undefined, content: "" },
    ];
    for (const size of [1, 2, 3, 7, 16, 64, FORM.length]) expect(await collect(FORM, size)).toEqual(expected);
  });

  it("skips what a caller does not read", async () => {
    const names: (string | undefined)[] = [];
    for await (const p of readMultipart(chunked(FORM, 5), BOUNDARY)) {
      names.push(p.name);
      for await (const _ of p.body) break; // read one chunk, then move on
    }
    expect(names).toEqual(["note", "file", "other"]);
  });

  it("refuses a body that ends inside a part", async () => {
    const cut = FORM.subarray(0, FORM.indexOf("line") + 2);
    await expect(collect(cut, 8)).rejects.toBeInstanceOf(MalformedMultipartError);
    await expect(collect(Buffer.from("no boundary at all"), 4)).rejects.toThrow(/ended inside the preamble/);
  });

  it("reads the boundary from the Content-Type", () => {
    expect(multipartBoundary(`multipart/form-data; boundary=${BOUNDARY}`)).toBe(BOUNDARY);
    expect(multipartBoundary('Multipart/Form-Data; charset=utf-8; boundary="a b"')).toBe("a b");
    expect(multipartBoundary("text/plain")).toBeUndefined();
    expect(multipartBoundary("multipart/form-data")).toBeUndefined();
  });
});
