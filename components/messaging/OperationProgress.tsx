"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { useTRPC } from "@/components/trpc/client";
import { errorText } from "./format";
import type { Operation } from "./types";

// After a replay has enqueued everything, the consumer still applies (or fails) each message: keep
// looking for a little while so "applied" catches up.
const SETTLE_MS = 8_000;

function pollEvery(op: Operation | undefined): number | false {
  if (!op) return 1000;
  if (op.status === "queued" || op.status === "running") return 1000;
  const settling = op.finishedAt && Date.now() - new Date(op.finishedAt).getTime() < SETTLE_MS;
  return settling && (op.applied ?? 0) < op.processed ? 1000 : false;
}

function label(op: Operation): string {
  if (op.kind === "event-replay") {
    const p = op.params as { consumer?: string; eventTypes?: string[] };
    return `Event-store replay to ${p.consumer ?? "?"} (${p.eventTypes?.length ?? 0} event type${p.eventTypes?.length === 1 ? "" : "s"})`;
  }
  return `Replay of ${op.total} dead letter${op.total === 1 ? "" : "s"}`;
}

/** A replay's progress, polled from `messaging.operations.get` until it is done (or failed). */
export function OperationProgress({ id, onDismiss }: { id: string; onDismiss?: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const q = useQuery({ ...trpc.messaging.operations.get.queryOptions({ id }), refetchInterval: (query) => pollEvery(query.state.data) });
  const op = q.data;

  // Statuses move as the replay runs: refresh the lists and counts with it.
  const [kind, status, processed, applied] = [op?.kind, op?.status, op?.processed, op?.applied];
  useEffect(() => {
    if (!kind) return;
    void queryClient.invalidateQueries({ queryKey: trpc.messaging.deadLetters.pathKey() });
    if (kind === "event-replay") void queryClient.invalidateQueries({ queryKey: trpc.messaging.eventStore.pathKey() });
  }, [kind, status, processed, applied, queryClient, trpc]);

  if (!op) {
    return (
      <div className="msg-op" data-testid="operation-progress" role="status">
        {q.error ? <span className="msg-error-text">Could not follow the operation: {errorText(q.error)}</span> : "Starting…"}
      </div>
    );
  }
  const total = Math.max(op.total, op.processed);
  const pct = total > 0 ? Math.round((op.processed / total) * 100) : op.status === "done" ? 100 : 0;
  const finished = op.status === "done" || op.status === "failed";
  return (
    <div className={`msg-op msg-op-${op.status}`} data-testid="operation-progress" role="status">
      <div className="msg-op-head">
        <strong>{label(op)}</strong>
        <span className={`badge msg-op-status msg-op-status-${op.status}`}>{op.status}</span>
        {finished && onDismiss && (
          <button type="button" className="msg-link" onClick={onDismiss}>
            Dismiss
          </button>
        )}
      </div>
      <div className="msg-progress" aria-label="progress" aria-valuenow={pct} aria-valuemin={0} aria-valuemax={100} role="progressbar">
        <div style={{ width: `${pct}%` }} />
      </div>
      <div className="small">
        <span data-testid="operation-counts">
          {op.processed} / {total} {op.kind === "event-replay" ? "events" : "dead letters"} re-delivered
        </span>
        {op.applied !== undefined && <> · {op.applied} applied by the consumer</>}
        {op.failed > 0 && <> · {op.failed} failed</>}
        {finished && op.kind === "dlq-replay" && op.applied !== undefined && op.applied < op.processed && !pollEvery(op) && (
          <> · {op.processed - op.applied} failed again (back in the list as dead)</>
        )}
      </div>
      {op.error && <div className="msg-error-text small">{op.error}</div>}
    </div>
  );
}
