"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/components/trpc/client";
import { DiscardForm } from "./DiscardForm";
import { type ConsoleFilter, isFiltered, toApiFilter } from "./filter";
import { errorText } from "./format";

type Props = {
  filter: ConsoleFilter;
  selected: string[];
  /** How many open (dead) letters the filter matches, when known. */
  matching: number | undefined;
  onReplayStarted: (operationId: string) => void;
  onDone: () => void;
};

/** Replay selected, replay everything the filter matches (after a confirmation), discard selected (with a reason). */
export function BulkActions({ filter, selected, matching, onReplayStarted, onDone }: Props) {
  const trpc = useTRPC();
  const [mode, setMode] = useState<"idle" | "confirm-all" | "discard">("idle");
  const [notice, setNotice] = useState<string>();
  const replay = useMutation(
    trpc.messaging.deadLetters.replay.mutationOptions({
      onSuccess: (r) => {
        setMode("idle");
        onReplayStarted(r.operationId);
        onDone();
      },
    }),
  );
  const none = selected.length === 0;
  const openOnly = filter.status === "dead" || filter.status === "any";
  return (
    <div className="msg-actions" data-testid="bulk-actions">
      <div className="row">
        <button
          type="button"
          className="primary"
          disabled={none || replay.isPending}
          onClick={() => {
            setNotice(undefined);
            replay.mutate({ ids: selected });
          }}
        >
          Replay selected{none ? "" : ` (${selected.length})`}
        </button>
        <button
          type="button"
          disabled={replay.isPending || !openOnly || matching === 0}
          title={openOnly ? "Replays every open dead letter this filter matches" : "Only open (dead) letters can be replayed: set the status filter to Open"}
          onClick={() => {
            setNotice(undefined);
            replay.reset();
            setMode("confirm-all");
          }}
        >
          Replay all matching filter{matching !== undefined ? ` (${matching})` : ""}
        </button>
        <button
          type="button"
          className="msg-danger-outline"
          disabled={none}
          onClick={() => {
            setNotice(undefined);
            setMode("discard");
          }}
        >
          Discard selected{none ? "" : ` (${selected.length})`}
        </button>
        {notice && (
          <span className="small msg-notice" role="status">
            {notice}
          </span>
        )}
      </div>
      {mode === "confirm-all" && (
        <div className="msg-confirm" data-testid="confirm-replay-all">
          <span>
            Replay {matching !== undefined ? <strong>{matching}</strong> : "every"} open dead letter{matching === 1 ? "" : "s"} matching{" "}
            {isFiltered(filter) ? "the current filter" : "no filter — that is every open dead letter"}?
          </span>
          <button type="button" className="primary" disabled={replay.isPending} onClick={() => replay.mutate({ filter: { ...toApiFilter(filter), status: "dead" } })}>
            {replay.isPending ? "Starting…" : "Replay them"}
          </button>
          <button type="button" onClick={() => setMode("idle")}>
            Cancel
          </button>
        </div>
      )}
      {mode === "discard" && (
        <DiscardForm
          ids={selected}
          onCancel={() => setMode("idle")}
          onDone={(n) => {
            setMode("idle");
            setNotice(`${n} dead letter${n === 1 ? "" : "s"} discarded${n < selected.length ? ` (${selected.length - n} were no longer open)` : ""}.`);
            onDone();
          }}
        />
      )}
      {replay.error && (
        <div className="msg-error-text small" role="alert">
          Replay refused: {errorText(replay.error)}
        </div>
      )}
    </div>
  );
}
