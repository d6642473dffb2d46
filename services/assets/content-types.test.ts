import { describe, expect, it } from "vitest";
import { contentDisposition, contentMatchesType, effectiveContentType, fileNameFromDisposition, sanitizeFileName } from "./content-types";

describe("upload content types and names", () => {
  it("takes the declared type, or the extension's when the declaration is generic", () => {
    expect(effectiveContentType("Text/Markdown; charset=utf-8", "a.txt")).toBe("text/markdown");
    expect(effectiveContentType("application/octet-stream", "notes.MD")).toBe("text/markdown");
    expect(effectiveContentType(null, "photo.jpeg")).toBe("image/jpeg");
    expect(effectiveContentType("", "archive.zip")).toBe("application/octet-stream");
  });

  it("checks signatures of binary types and NUL bytes in text", () => {
    expect(contentMatchesType("image/png", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
    expect(contentMatchesType("image/png", Buffer.from("not a png"))).toBe(false);
    expect(contentMatchesType("application/pdf", Buffer.from("%PDF-1.7"))).toBe(true);
    expect(contentMatchesType("text/plain", Buffer.from([0x61, 0x00, 0x62]))).toBe(false);
    expect(contentMatchesType("text/csv", Buffer.from("a,b\n1,2"))).toBe(true);
  });

  it("keeps file names safe", () => {
    expect(sanitizeFileName("../../etc/passwd")).toBe("passwd");
    expect(sanitizeFileName("C:\\Users\\x\\report.pdf")).toBe("report.pdf");
    expect(sanitizeFileName("a\u0000b\nc.txt")).toBe("abc.txt");
    expect(sanitizeFileName("..")).toBe("");
    expect(contentDisposition("attachment", 'Straße "v2".md')).toBe(`attachment; filename="Stra_e _v2_.md"; filename*=UTF-8''Stra%C3%9Fe%20%22v2%22.md`);
    expect(fileNameFromDisposition(`attachment; filename="a \\"b\\".txt"`)).toBe('a "b".txt');
    expect(fileNameFromDisposition(`attachment; filename=plain.txt; filename*=UTF-8''%E2%82%AC.txt`)).toBe("€.txt");
  });
});
