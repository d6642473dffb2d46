/** Number formats shared by the observability pages. */

/** Requests per second: "12.4/s", "0.083/s", "0/s". */
export function fmtRate(perSecond: number): string {
  if (perSecond === 0) return "0/s";
  if (perSecond >= 100) return `${Math.round(perSecond)}/s`;
  if (perSecond >= 1) return `${perSecond.toFixed(1)}/s`;
  return `${Number(perSecond.toPrecision(2))}/s`;
}

/** A percentage: "0%", "0.4%", "20%", "<0.1%". */
export function fmtPct(pct: number): string {
  if (pct === 0) return "0%";
  if (pct < 0.1) return "<0.1%";
  if (pct >= 10) return `${pct.toFixed(pct >= 99.95 ? 0 : 1).replace(/\.0$/, "")}%`;
  return `${pct.toFixed(1).replace(/\.0$/, "")}%`;
}

/** A latency in ms: "0.4 ms", "48 ms", "1.2 s"; a dash when unknown. */
export function fmtMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "—";
  if (ms >= 1000) return `${(ms / 1000).toFixed(ms >= 10_000 ? 0 : 1)} s`;
  if (ms >= 10) return `${Math.round(ms)} ms`;
  return `${Number(ms.toPrecision(2))} ms`;
}

/** A count: "1,234". */
export function fmtCount(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

/** A ratio 0..1 as a percentage with enough digits for SLOs: "99.5%", "99.95%", "80%". */
export function fmtRatio(r: number | null): string {
  if (r === null) return "—";
  const pct = r * 100;
  const s = pct >= 99 ? pct.toFixed(2) : pct.toFixed(1);
  return `${s.replace(/\.?0+$/, "")}%`;
}

/** A window in minutes: "5m", "1h", "6h", "3d". */
export function fmtWindow(minutes: number): string {
  if (minutes % 1440 === 0) return `${minutes / 1440}d`;
  if (minutes % 60 === 0) return `${minutes / 60}h`;
  return `${minutes}m`;
}

/** "14:05" (local time), with the date when the range spans days. */
export function fmtTime(t: number | Date, withDate = false): string {
  const d = new Date(t);
  const hm = d.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
  return withDate ? `${d.toLocaleDateString("en-GB", { day: "2-digit", month: "short" })} ${hm}` : hm;
}

/** Error colour class name for an error percentage: ok, warn (some), bad (5% or more). */
export function errorLevel(pct: number): "ok" | "warn" | "bad" {
  return pct >= 5 ? "bad" : pct > 0 ? "warn" : "ok";
}
