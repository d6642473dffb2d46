"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc/client";
import { DebouncedInput } from "./DebouncedInput";
import { type ConsoleFilter, isFiltered, STATUSES } from "./filter";
import { fromLocalInput, shortEventType, toLocalInput } from "./format";

type Props = { filter: ConsoleFilter; setFilter: (patch: Partial<ConsoleFilter> | null, opts?: { replace?: boolean }) => void; groupLabel?: string };

/** The list's filters: status, consumer, event type, aggregate, error text and failure time; all kept in the URL. */
export function DeadLetterFilters({ filter, setFilter, groupLabel }: Props) {
  const trpc = useTRPC();
  const consumers = useQuery(trpc.messaging.consumers.queryOptions());
  const eventTypes = [...new Set((consumers.data ?? []).flatMap((c) => c.eventTypes))].sort();
  return (
    <div className="filters msg-filters" data-testid="dead-letter-filters">
      <DebouncedInput
        type="search"
        placeholder="Search error messages…"
        aria-label="Error text"
        value={filter.search ?? ""}
        onChange={(v) => setFilter({ search: v.trim() || undefined }, { replace: true })}
      />
      <select aria-label="Status" value={filter.status} onChange={(e) => setFilter({ status: e.target.value as ConsoleFilter["status"] })}>
        {STATUSES.map((s) => (
          <option key={s} value={s}>
            {s === "dead" ? "Open (dead)" : s}
          </option>
        ))}
        <option value="any">Any status</option>
      </select>
      <select aria-label="Consumer" value={filter.consumer ?? ""} onChange={(e) => setFilter({ consumer: e.target.value || undefined })}>
        <option value="">All consumers</option>
        {consumers.data?.map((c) => (
          <option key={c.name} value={c.name}>
            {c.name}
          </option>
        ))}
        {filter.consumer && !consumers.data?.some((c) => c.name === filter.consumer) && <option value={filter.consumer}>{filter.consumer}</option>}
      </select>
      <select aria-label="Event type" value={filter.eventType ?? ""} onChange={(e) => setFilter({ eventType: e.target.value || undefined })}>
        <option value="">All event types</option>
        {eventTypes.map((t) => (
          <option key={t} value={t}>
            {shortEventType(t)}
          </option>
        ))}
        {filter.eventType && !eventTypes.includes(filter.eventType) && <option value={filter.eventType}>{shortEventType(filter.eventType)}</option>}
      </select>
      <DebouncedInput
        type="search"
        className="msg-narrow"
        placeholder="Aggregate id"
        aria-label="Aggregate id"
        value={filter.aggregateId ?? ""}
        onChange={(v) => setFilter({ aggregateId: v.trim() || undefined }, { replace: true })}
      />
      <label className="msg-inline-label">
        Failed after
        <input type="datetime-local" aria-label="Failed after" value={toLocalInput(filter.since)} onChange={(e) => setFilter({ since: fromLocalInput(e.target.value) })} />
      </label>
      <label className="msg-inline-label">
        before
        <input type="datetime-local" aria-label="Failed before" value={toLocalInput(filter.until)} onChange={(e) => setFilter({ until: fromLocalInput(e.target.value) })} />
      </label>
      {filter.fingerprint && (
        <span className="chip msg-filter-chip" data-testid="group-filter" title={groupLabel}>
          <span>Cause: {groupLabel ?? filter.fingerprint}</span>
          <button type="button" aria-label="Show every cause" onClick={() => setFilter({ fingerprint: undefined })}>
            ×
          </button>
        </span>
      )}
      {isFiltered(filter) && (
        <button type="button" className="msg-link" onClick={() => setFilter(null)}>
          Clear filters
        </button>
      )}
    </div>
  );
}
