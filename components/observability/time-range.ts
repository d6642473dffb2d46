/** Time ranges in page URLs: a relative preset (`?range=1h`) or an absolute custom range (`?from=&to=`). */

export const PRESETS = [
  { key: "15m", label: "15m", ms: 15 * 60_000 },
  { key: "1h", label: "1h", ms: 3_600_000 },
  { key: "6h", label: "6h", ms: 6 * 3_600_000 },
  { key: "24h", label: "24h", ms: 86_400_000 },
] as const;
export type PresetKey = (typeof PRESETS)[number]["key"];
export const DEFAULT_PRESET: PresetKey = "1h";

export type ResolvedRange = { from: Date; to: Date; preset: PresetKey | null };

type Params = { get(name: string): string | null };

/** An ISO 8601 time or epoch milliseconds; null when unreadable. */
export function parseTime(v: string | null | undefined): Date | null {
  if (!v) return null;
  const d = /^\d{10,}$/.test(v) ? new Date(Number(v)) : new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** The range a URL asks for at `now`: from/to when both are valid and ordered, else the preset (default 1h). */
export function resolveRange(params: Params, now: number, maxMs = 31 * 86_400_000): ResolvedRange {
  const from = parseTime(params.get("from"));
  const to = parseTime(params.get("to"));
  if (from && to && to > from && to.getTime() - from.getTime() <= maxMs) return { from, to, preset: null };
  const preset = PRESETS.find((p) => p.key === params.get("range")) ?? PRESETS.find((p) => p.key === DEFAULT_PRESET)!;
  return { from: new Date(now - preset.ms), to: new Date(now), preset: preset.key };
}

/** `yyyy-MM-ddTHH:mm` in local time, for <input type="datetime-local">. */
export function toLocalInput(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
