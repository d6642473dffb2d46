/** Formatting and colors shared by the trace pages. */

/** "850 µs", "12.4 ms", "1.25 s", "2.1 min" — a duration given in milliseconds. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return "—";
  if (ms < 1) return `${Math.round(ms * 1000)} µs`;
  if (ms < 10) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${ms.toFixed(ms < 100 ? 1 : 0)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}

/** A local time with milliseconds: "14:03:21.457". */
export function clockTime(ms: number | Date): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

/** A local date and time: "2026-11-24 14:03:21". */
export function dateTime(ms: number | Date): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

// Distinguishable on white, none of them the error red.
const PALETTE = ["#2f6fed", "#16a34a", "#9333ea", "#d97706", "#0891b2", "#db2777", "#4d7c0f", "#7c3aed", "#0f766e", "#c2410c", "#2563eb", "#a16207"];

/** A stable color per service name. */
export function serviceColor(name: string): string {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) >>> 0;
  return PALETTE[h % PALETTE.length]!;
}

export const SPAN_KINDS = ["unspecified", "internal", "server", "client", "producer", "consumer"] as const;
export const STATUS = ["unset", "ok", "error"] as const;
