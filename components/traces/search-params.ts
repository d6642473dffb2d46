/** Trace-search filters as they live in the URL query string, and the search input they make. */

export const RANGES = [
  { key: "15m", label: "Last 15 minutes", ms: 15 * 60_000 },
  { key: "1h", label: "Last hour", ms: 3_600_000 },
  { key: "6h", label: "Last 6 hours", ms: 6 * 3_600_000 },
  { key: "24h", label: "Last 24 hours", ms: 86_400_000 },
  { key: "7d", label: "Last 7 days", ms: 7 * 86_400_000 },
] as const;

export type Filters = {
  service: string;
  operation: string;
  /** `key=value`; the value is a number or boolean when it reads as one, quotes force a string. */
  attribute: string;
  minMs: string;
  maxMs: string;
  errors: boolean;
  /** A preset key, or "custom" with from/to (datetime-local text). */
  range: string;
  from: string;
  to: string;
};

export const DEFAULT_FILTERS: Filters = { service: "", operation: "", attribute: "", minMs: "", maxMs: "", errors: false, range: "1h", from: "", to: "" };

/** Filters from the query string. */
export function filtersFrom(params: URLSearchParams): Filters {
  return {
    service: params.get("service") ?? "",
    operation: params.get("operation") ?? "",
    attribute: params.get("attr") ?? "",
    minMs: params.get("min") ?? "",
    maxMs: params.get("max") ?? "",
    errors: params.get("errors") === "1",
    range: params.get("range") ?? (params.get("from") ? "custom" : "1h"),
    from: params.get("from") ?? "",
    to: params.get("to") ?? "",
  };
}

/** The query string of filters (defaults left out). */
export function filtersQuery(f: Filters): string {
  const q = new URLSearchParams();
  if (f.service) q.set("service", f.service);
  if (f.operation.trim()) q.set("operation", f.operation.trim());
  if (f.attribute.trim()) q.set("attr", f.attribute.trim());
  if (f.minMs.trim()) q.set("min", f.minMs.trim());
  if (f.maxMs.trim()) q.set("max", f.maxMs.trim());
  if (f.errors) q.set("errors", "1");
  if (f.range === "custom") {
    if (f.from) q.set("from", f.from);
    if (f.to) q.set("to", f.to);
  } else if (f.range !== "1h") q.set("range", f.range);
  return q.toString();
}

/** `key=value` -> the typed attribute filter (jsonb containment needs the JSON type: 3 is not "3"). */
export function parseAttribute(text: string): { key: string; value: string | number | boolean } | undefined {
  const at = text.indexOf("=");
  if (at <= 0) return undefined;
  const key = text.slice(0, at).trim();
  const raw = text.slice(at + 1).trim();
  if (!key) return undefined;
  if (/^".*"$/.test(raw)) return { key, value: raw.slice(1, -1) };
  if (raw === "true" || raw === "false") return { key, value: raw === "true" };
  if (/^-?\d+(\.\d+)?$/.test(raw)) return { key, value: Number(raw) };
  return { key, value: raw };
}

export type SearchInput = {
  from: Date;
  to: Date;
  service?: string;
  operation?: string;
  attribute?: { key: string; value: string | number | boolean };
  minDurationMs?: number;
  maxDurationMs?: number;
  errorsOnly?: boolean;
  limit: number;
};

const num = (s: string) => (s.trim() !== "" && Number.isFinite(Number(s)) && Number(s) >= 0 ? Number(s) : undefined);

/** The traces.search input for filters at `now` (presets end now; custom ranges are local times). */
export function searchInput(f: Filters, now: number): SearchInput {
  let from: Date;
  let to: Date;
  if (f.range === "custom" && f.from) {
    from = new Date(f.from);
    to = f.to ? new Date(f.to) : new Date(now);
  } else {
    const preset = RANGES.find((r) => r.key === f.range) ?? RANGES[1];
    to = new Date(now);
    from = new Date(now - preset.ms);
  }
  const attribute = parseAttribute(f.attribute);
  const min = num(f.minMs);
  const max = num(f.maxMs);
  return {
    from,
    to,
    ...(f.service ? { service: f.service } : {}),
    ...(f.operation.trim() ? { operation: f.operation.trim() } : {}),
    ...(attribute ? { attribute } : {}),
    ...(min !== undefined ? { minDurationMs: min } : {}),
    ...(max !== undefined ? { maxDurationMs: max } : {}),
    ...(f.errors ? { errorsOnly: true } : {}),
    limit: 1000,
  };
}
