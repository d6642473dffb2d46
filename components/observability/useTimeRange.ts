"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useMemo, useSyncExternalStore } from "react";
import { type PresetKey, resolveRange, type ResolvedRange } from "./time-range";

/**
 * "Now" for relative ranges, moving in 30-second steps (so query keys stay put between steps) and 0
 * while rendering on the server or hydrating (nothing time-dependent is rendered before the client knows
 * its clock).
 */
const TICK_MS = 30_000;
let current = 0;
const listeners = new Set<() => void>();
const round = () => Math.ceil(Date.now() / 1000) * 1000;
function subscribe(cb: () => void): () => void {
  listeners.add(cb);
  const id = setInterval(() => {
    current = round();
    cb();
  }, TICK_MS);
  return () => {
    clearInterval(id);
    listeners.delete(cb);
  };
}
const getSnapshot = () => (current ||= round());
const getServerSnapshot = () => 0;

/** Moves "now" to the present (a preset picked again means "up to now"). */
function refreshNow(): void {
  current = round();
  for (const l of listeners) l();
}

export type TimeRangeState = {
  /** Null until the client's clock is known. */
  range: ResolvedRange | null;
  setPreset(key: PresetKey): void;
  setCustom(from: Date, to: Date): void;
  /** Replaces or removes query parameters, keeping the others. */
  setParams(changes: Record<string, string | null>): void;
};

/** The page's time range, read from and written to the URL (`range`, or `from` and `to`). */
export function useTimeRange(maxMs?: number): TimeRangeState {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const now = useSyncExternalStore(subscribe, getSnapshot, getServerSnapshot);
  const range = useMemo(() => (now === 0 ? null : resolveRange(params, now, maxMs)), [params, now, maxMs]);
  const setParams = useCallback(
    (changes: Record<string, string | null>) => {
      const next = new URLSearchParams(params.toString());
      for (const [k, v] of Object.entries(changes)) {
        if (v === null) next.delete(k);
        else next.set(k, v);
      }
      const q = next.toString();
      router.replace(q ? `${pathname}?${q}` : pathname, { scroll: false });
    },
    [params, pathname, router],
  );
  const setPreset = useCallback(
    (key: PresetKey) => {
      refreshNow();
      setParams({ range: key, from: null, to: null, alert: null, long: null, short: null });
    },
    [setParams],
  );
  const setCustom = useCallback((from: Date, to: Date) => setParams({ range: null, from: from.toISOString(), to: to.toISOString() }), [setParams]);
  return { range, setPreset, setCustom, setParams };
}
