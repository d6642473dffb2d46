/**
 * Media types of uploads: what a caller declared, what the file name suggests when it declared
 * nothing useful, and whether the first bytes agree with the declared type.
 */

const BY_EXTENSION: Record<string, string> = {
  txt: "text/plain",
  text: "text/plain",
  log: "text/plain",
  md: "text/markdown",
  markdown: "text/markdown",
  json: "application/json",
  csv: "text/csv",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  pdf: "application/pdf",
};

/** `Text/Plain; charset=utf-8` -> `text/plain`; empty for nothing. */
export function normalizeContentType(header: string | null | undefined): string {
  return (header ?? "").split(";")[0]!.trim().toLowerCase();
}

/**
 * The type to check against the allowed list: the declared one, unless it is missing or the generic
 * `application/octet-stream` (what curl and some browsers send for unknown files) — then the file
 * name's extension decides.
 */
export function effectiveContentType(declared: string | null | undefined, fileName: string): string {
  const type = normalizeContentType(declared);
  if (type && type !== "application/octet-stream") return type;
  const ext = /\.([A-Za-z0-9]+)$/.exec(fileName)?.[1]?.toLowerCase();
  return (ext && BY_EXTENSION[ext]) || type || "application/octet-stream";
}

/** Text-like types: their bytes must be UTF-8 text, and getText returns them. */
export function isTextType(type: string): boolean {
  return type.startsWith("text/") || type === "application/json" || type.endsWith("+json");
}

const SIGNATURES: Record<string, number[]> = {
  "image/png": [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  "image/jpeg": [0xff, 0xd8, 0xff],
  "application/pdf": [0x25, 0x50, 0x44, 0x46, 0x2d], // %PDF-
};

/** Bytes needed to check a type's signature. */
export const SNIFF_BYTES = 8;

/**
 * Whether the first bytes of a file fit its declared type: binary formats by their signature, text by
 * the absence of NUL bytes (full UTF-8 validity is checked while streaming). Unknown types pass.
 */
export function contentMatchesType(type: string, head: Uint8Array): boolean {
  const sig = SIGNATURES[type];
  if (sig) return sig.every((b, i) => head[i] === b);
  if (isTextType(type)) return !head.includes(0);
  return true;
}

/**
 * A file name safe to store and to send back in Content-Disposition: no directory part, no control
 * characters, at most 255 characters. Empty when nothing usable is left.
 */
export function sanitizeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, "").trim();
  return clean === "." || clean === ".." ? "" : clean.slice(0, 255);
}

/** `Content-Disposition` for a download: an ASCII fallback plus the exact name (RFC 6266 / RFC 8187). */
export function contentDisposition(kind: "attachment" | "inline", fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** Reads `filename` (or RFC 8187 `filename*`) from a Content-Disposition value. */
export function fileNameFromDisposition(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const star = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(value);
  if (star) {
    try {
      return decodeURIComponent(star[2]!.trim());
    } catch {
      // fall through to the plain parameter
    }
  }
  const quoted = /filename\s*=\s*"((?:[^"\\]|\\.)*)"/i.exec(value);
  if (quoted) return quoted[1]!.replace(/\\(.)/g, "$1");
  const bare = /filename\s*=\s*([^;\s]+)/i.exec(value);
  return bare?.[1];
}
