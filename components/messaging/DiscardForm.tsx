"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/components/trpc/client";
import { errorText } from "./format";

/** Asks why, then discards dead letters; the server's refusal (e.g. a reason too short) is shown as it says it. */
export function DiscardForm({ ids, onDone, onCancel }: { ids: string[]; onDone: (discarded: number) => void; onCancel: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState("");
  const discard = useMutation(
    trpc.messaging.deadLetters.discard.mutationOptions({
      onSuccess: async (r) => {
        await queryClient.invalidateQueries({ queryKey: trpc.messaging.deadLetters.pathKey() });
        onDone(r.discarded);
      },
    }),
  );
  return (
    <form
      className="msg-discard"
      data-testid="discard-form"
      onSubmit={(e) => {
        e.preventDefault();
        discard.mutate({ ids, reason });
      }}
    >
      <label className="msg-field msg-grow">
        <span>
          Why discard {ids.length === 1 ? "this dead letter" : `these ${ids.length} dead letters`}? (kept in the audit trail)
        </span>
        <input type="text" value={reason} onChange={(e) => setReason(e.target.value)} placeholder="e.g. test data from the staging import" autoFocus />
      </label>
      <div className="row">
        <button type="submit" className="msg-danger" disabled={discard.isPending}>
          {discard.isPending ? "Discarding…" : `Discard ${ids.length}`}
        </button>
        <button type="button" onClick={onCancel} disabled={discard.isPending}>
          Cancel
        </button>
      </div>
      {discard.error && (
        <div className="msg-error-text small msg-full" role="alert">
          Not discarded: {errorText(discard.error)}
        </div>
      )}
    </form>
  );
}
