/** JSON text for jsonb: string literals, doubles, nanosecond timestamps, hex ids. */

// Characters JSON must escape. NUL is replaced rather than escaped: jsonb refuses \u0000.
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /["\\\u0000-\u001f]/;
const ESCAPES: Record<number, string> = { 8: "\\b", 9: "\\t", 10: "\\n", 12: "\\f", 13: "\\r", 34: '\\"', 92: "\\\\", 0: "\uFFFD" };

/**
 * A JSON string literal. Lone surrogates are left as they are: the UTF-8 encoder turns them into U+FFFD
 * (an escaped lone surrogate would make PostgreSQL refuse the whole batch).
 */
export function jsonString(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return `"${s}"`;
  let out = '"';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 34 || c === 92) {
      out += s.slice(from, i) + (ESCAPES[c] ?? `\\u00${c < 16 ? "0" : ""}${c.toString(16)}`);
      from = i + 1;
    }
  }
  return `${out}${s.slice(from)}"`;
}

/**
 * A double as a JSON number that still reads as a double (`2.0`, which jsonb keeps as written), or as a
 * string for NaN and the infinities (JSON has no literal for them).
 */
export function jsonDouble(d: number): string {
  if (Number.isFinite(d)) {
    const s = String(d);
    return Number.isInteger(d) && !s.includes("e") ? `${s}.0` : s;
  }
  return d !== d ? '"NaN"' : d > 0 ? '"Infinity"' : '"-Infinity"';
}

/** A decimal nanosecond timestamp from the split form (exact). */
export function nanosString(us: number, ns: number): string {
  if (us === 0) return String(ns);
  return `${us}${ns < 10 ? "00" : ns < 100 ? "0" : ""}${ns}`;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** Lower-case hex of an id. */
export function hex(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i]!];
  return s;
}

