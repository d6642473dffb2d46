import { DEFAULT_FILTERS, filtersQuery } from "@/components/traces/search-params";

/**
 * URLs between the observability pages. The trace pages (/traces, /traces/<traceId>) belong to the trace
 * explorer; they are reached only through these URLs (times as ISO 8601).
 */

export type Range = { from: Date | number; to: Date | number };

const iso = (t: Date | number) => new Date(t).toISOString();

function withQuery(path: string, q: Record<string, string | number | boolean | undefined | null>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== null && v !== false && v !== "") p.set(k, String(v));
  const s = p.toString();
  return s ? `${path}?${s}` : path;
}

/** A service's RED dashboard over a range (or a relative preset such as "6h"), optionally narrowed to one operation / span kind. */
export function redHref(service: string, range?: Range | { preset: string }, narrow: { operation?: string | undefined; kind?: number | undefined } = {}): string {
  const abs = range && "from" in range ? range : undefined;
  return withQuery(`/red/${encodeURIComponent(service)}`, {
    range: range && "preset" in range ? range.preset : undefined,
    from: abs && iso(abs.from),
    to: abs && iso(abs.to),
    operation: narrow.operation,
    kind: narrow.kind,
  });
}

export type AlertMark = { at: Date | number; longMinutes: number; shortMinutes: number };

/**
 * The RED chart "at that time" of an alert: the alert's long window with a margin of a quarter of it
 * before and a little after, with the long and short windows and the alert time marked.
 */
export function alertRedHref(service: string, mark: AlertMark): string {
  const at = new Date(mark.at).getTime();
  const long = mark.longMinutes * 60_000;
  const from = at - long - Math.max(long / 4, 10 * 60_000);
  const to = at + Math.max(long / 20, 5 * 60_000);
  return withQuery(`/red/${encodeURIComponent(service)}`, {
    from: iso(from),
    to: iso(to),
    alert: iso(at),
    long: mark.longMinutes,
    short: mark.shortMinutes,
  });
}

/** Trace search for a service (and operation) over a range: failing ones only, or those slower than a bound. */
export function tracesHref(q: Range & { service: string; operation?: string | undefined; errorsOnly?: boolean; minDurationMs?: number | null | undefined }): string {
  // The trace explorer's own query-string format (components/traces/search-params.ts), so the two cannot drift.
  const query = filtersQuery({
    ...DEFAULT_FILTERS,
    service: q.service,
    operation: q.operation ?? "",
    minMs: q.minDurationMs != null ? String(Math.floor(q.minDurationMs)) : "",
    errors: q.errorsOnly ?? false,
    range: "custom",
    from: iso(q.from),
    to: iso(q.to),
  });
  return query ? `/traces?${query}` : "/traces";
}

/** One trace. */
export function traceHref(traceId: string): string {
  return `/traces/${encodeURIComponent(traceId)}`;
}
