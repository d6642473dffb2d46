"use client";

import { usePathname, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";

export const STATUSES = ["dead", "replaying", "replayed", "discarded"] as const;
export type DeadLetterStatus = (typeof STATUSES)[number];

/**
 * The console's filter as it sits in the query string: `status` (dead unless "any"), `consumer`, `type`,
 * `group` (an error fingerprint), `aggregate`, `q` (error text), `since` and `until` (ISO times).
 */
export type ConsoleFilter = {
  status: DeadLetterStatus | "any";
  consumer?: string;
  eventType?: string;
  fingerprint?: string;
  aggregateId?: string;
  search?: string;
  since?: string;
  until?: string;
};

const PARAM: Record<Exclude<keyof ConsoleFilter, "status">, string> = {
  consumer: "consumer",
  eventType: "type",
  fingerprint: "group",
  aggregateId: "aggregate",
  search: "q",
  since: "since",
  until: "until",
};

const validTime = (v: string | null) => (v && !Number.isNaN(new Date(v).getTime()) ? v : undefined);

/** Reads a filter from query parameters, dropping values the server would refuse. */
export function parseFilter(params: URLSearchParams): ConsoleFilter {
  const status = params.get("status");
  const fingerprint = params.get(PARAM.fingerprint);
  const text = (k: keyof typeof PARAM) => params.get(PARAM[k])?.slice(0, 200) || undefined;
  return {
    status: status === "any" || (STATUSES as readonly string[]).includes(status ?? "") ? (status as ConsoleFilter["status"]) : "dead",
    consumer: text("consumer"),
    eventType: text("eventType"),
    fingerprint: fingerprint && /^[0-9a-f]{16}$/.test(fingerprint) ? fingerprint : undefined,
    aggregateId: text("aggregateId"),
    search: text("search"),
    since: validTime(params.get(PARAM.since)),
    until: validTime(params.get(PARAM.until)),
  };
}

/** The filter as `messaging.deadLetters.*` takes it. */
export function toApiFilter(f: ConsoleFilter) {
  return {
    ...(f.status !== "any" ? { status: f.status } : {}),
    ...(f.consumer ? { consumer: f.consumer } : {}),
    ...(f.eventType ? { eventType: f.eventType } : {}),
    ...(f.fingerprint ? { fingerprint: f.fingerprint } : {}),
    ...(f.aggregateId ? { aggregateId: f.aggregateId } : {}),
    ...(f.search ? { search: f.search } : {}),
    ...(f.since ? { since: new Date(f.since) } : {}),
    ...(f.until ? { until: new Date(f.until) } : {}),
  };
}

/** True when anything beyond the default status is set. */
export function isFiltered(f: ConsoleFilter): boolean {
  return f.status !== "dead" || Object.keys(PARAM).some((k) => f[k as keyof typeof PARAM] !== undefined);
}

/**
 * The filter in the URL, and a setter that changes it in place. The native History API keeps
 * Next's router in step (useSearchParams updates) without a server round trip per keystroke.
 */
export function useConsoleFilter(): [ConsoleFilter, (patch: Partial<ConsoleFilter> | null, opts?: { replace?: boolean }) => void] {
  const params = useSearchParams();
  const pathname = usePathname();
  const filter = useMemo(() => parseFilter(new URLSearchParams(params.toString())), [params]);
  const update = useCallback(
    (patch: Partial<ConsoleFilter> | null, opts?: { replace?: boolean }) => {
      // Read the live URL, not a render's snapshot, so quick successive changes all land.
      const next = patch === null ? new URLSearchParams() : new URLSearchParams(window.location.search);
      for (const [key, value] of Object.entries(patch ?? {}) as [keyof ConsoleFilter, string | undefined][]) {
        const name = key === "status" ? "status" : PARAM[key];
        if (key === "status" && value === "dead") next.delete(name);
        else if (value) next.set(name, value);
        else next.delete(name);
      }
      const qs = next.toString();
      const url = qs ? `${pathname}?${qs}` : pathname;
      if (opts?.replace) window.history.replaceState(null, "", url);
      else window.history.pushState(null, "", url);
    },
    [pathname],
  );
  return [filter, update];
}
