"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/components/trpc/client";
import { errorText, fromLocalInput, shortEventType } from "./format";
import { OperationProgress } from "./OperationProgress";

/**
 * Starts an event-store replay to one consumer: the chosen event types since a time, optionally after
 * clearing its read model (only for consumers with a reset hook, and then from the beginning).
 */
export function EventReplayForm() {
  const trpc = useTRPC();
  const consumers = useQuery(trpc.messaging.consumers.queryOptions());
  const [picked, setPicked] = useState<string>();
  const [types, setTypes] = useState<Set<string>>(new Set());
  const [since, setSince] = useState("");
  const [reset, setReset] = useState(false);
  const [operationId, setOperationId] = useState<string>();
  const start = useMutation(trpc.messaging.eventStore.replay.mutationOptions({ onSuccess: (r) => setOperationId(r.operationId) }));

  const consumer = consumers.data?.find((c) => c.name === picked) ?? consumers.data?.[0];
  const canReset = consumer?.canReset ?? false;
  const allTypes = consumer?.eventTypes ?? [];
  const chosen = allTypes.filter((t) => types.has(t));
  const toggle = (t: string) =>
    setTypes((s) => {
      const next = new Set(s);
      if (next.has(t)) next.delete(t);
      else next.add(t);
      return next;
    });

  if (consumers.data?.length === 0) return <p className="muted">No consumer is declared.</p>;
  return (
    <form
      className="msg-replay-form"
      data-testid="event-replay-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (!consumer) return;
        const sinceIso = fromLocalInput(since);
        start.mutate({ consumer: consumer.name, eventTypes: chosen, reset: reset && canReset, ...(sinceIso && !reset ? { since: new Date(sinceIso) } : {}) });
      }}
    >
      <label className="msg-field">
        <span className="small muted">Consumer</span>
        <select
          aria-label="Consumer to replay to"
          value={consumer?.name ?? ""}
          onChange={(e) => {
            setPicked(e.target.value);
            setTypes(new Set());
            setReset(false);
          }}
        >
          {consumers.data?.map((c) => (
            <option key={c.name} value={c.name}>
              {c.name} ({c.service}){c.canReset ? "" : " — no reset"}
            </option>
          ))}
        </select>
      </label>
      <fieldset className="msg-types">
        <legend className="small muted">
          Event types ({chosen.length} of {allTypes.length})
          <button type="button" className="msg-link" onClick={() => setTypes(new Set(chosen.length === allTypes.length ? [] : allTypes))}>
            {chosen.length === allTypes.length ? "none" : "all"}
          </button>
        </legend>
        {allTypes.map((t) => (
          <label key={t} className="msg-check-label" title={t}>
            <input type="checkbox" checked={types.has(t)} onChange={() => toggle(t)} />
            <span className="mono">{shortEventType(t)}</span>
          </label>
        ))}
      </fieldset>
      <div className="row">
        <label className="msg-field">
          <span className="small muted">Since (empty: from the beginning)</span>
          <input type="datetime-local" aria-label="Replay since" value={since} disabled={reset} onChange={(e) => setSince(e.target.value)} />
        </label>
        <label className="msg-check-label" title={canReset ? undefined : "This consumer has no reset hook"}>
          <input type="checkbox" checked={reset && canReset} disabled={!canReset} onChange={(e) => setReset(e.target.checked)} />
          Clear its read model first (replays from the beginning)
        </label>
      </div>
      <div className="row">
        <button type="submit" className="primary" disabled={!consumer || chosen.length === 0 || start.isPending}>
          {start.isPending ? "Starting…" : "Start replay"}
        </button>
        {chosen.length === 0 && <span className="muted small">Choose at least one event type.</span>}
      </div>
      {start.error && (
        <div className="msg-error-text small" role="alert">
          Replay refused: {errorText(start.error)}
        </div>
      )}
      {operationId && <OperationProgress key={operationId} id={operationId} onDismiss={() => setOperationId(undefined)} />}
    </form>
  );
}
