"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc/client";
import type { ConsoleFilter } from "./filter";
import { STATUSES } from "./filter";

const HINT: Record<string, string> = {
  dead: "waiting for someone",
  replaying: "re-delivered, not applied yet",
  replayed: "applied after a replay",
  discarded: "dropped, with a reason",
};

/** How many dead letters are in each status; a card filters the list by its status. */
export function DeadLetterCounts({ status, onStatus }: { status: ConsoleFilter["status"]; onStatus: (s: ConsoleFilter["status"]) => void }) {
  const trpc = useTRPC();
  const counts = useQuery({ ...trpc.messaging.deadLetters.counts.queryOptions(), refetchInterval: 10_000 });
  const all = Object.values(counts.data ?? {}).reduce((a, b) => a + b, 0);
  const card = (key: ConsoleFilter["status"], label: string, n: number | undefined, hint: string) => (
    <button
      key={key}
      type="button"
      className={`msg-count msg-count-${key}${status === key ? " active" : ""}`}
      aria-pressed={status === key}
      data-testid={`count-${key}`}
      onClick={() => onStatus(key)}
    >
      <span className="msg-count-label">{label}</span>
      <span className="msg-count-n">{counts.data ? (n ?? 0) : "…"}</span>
      <span className="msg-count-hint">{hint}</span>
    </button>
  );
  return (
    <div className="msg-counts" aria-label="Dead letters by status">
      {STATUSES.map((s) => card(s, s === "dead" ? "Open" : s[0]!.toUpperCase() + s.slice(1), counts.data?.[s], HINT[s]!))}
      {card("any", "All", all, "every dead letter kept")}
    </div>
  );
}
