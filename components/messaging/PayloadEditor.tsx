"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/components/trpc/client";
import { DiscardForm } from "./DiscardForm";
import { errorText } from "./format";
import { parsePayload, prettyJson, sameJson } from "./payload";
import type { DeadLetterFull } from "./types";

type Props = { dl: DeadLetterFull; canOperate: boolean; onOperation: (operationId: string) => void };

/**
 * The payload as JSON, editable while the dead letter is open: Save, Save and replay, Replay, Discard.
 * Invalid JSON is refused here, before any request; the original payload stays visible beside an edit.
 */
export function PayloadEditor({ dl, canOperate, onOperation }: Props) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const original = (dl.envelope as { payload?: unknown } | null)?.payload ?? {};
  const current = dl.editedPayload ?? original;
  const saved = prettyJson(current);
  const [text, setText] = useState(saved);
  const [reason, setReason] = useState("");
  const [discarding, setDiscarding] = useState(false);
  const [notice, setNotice] = useState<string>();

  const parsed = parsePayload(text);
  // Unsaved when the text means something else than what is stored (formatting and key order aside).
  const dirty = text !== saved && !(parsed.ok && sameJson(parsed.value, current));
  const open = dl.status === "dead";
  const editable = canOperate && open;
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.messaging.deadLetters.pathKey() });

  const edit = useMutation(
    trpc.messaging.deadLetters.edit.mutationOptions({
      onSuccess: async (r, input) => {
        setNotice(input.replay ? "Saved; replay started." : "Saved. Replay it when ready.");
        setReason("");
        if (r.operationId) onOperation(r.operationId);
        await refresh();
      },
    }),
  );
  const replay = useMutation(
    trpc.messaging.deadLetters.replay.mutationOptions({
      onSuccess: async (r) => {
        setNotice("Replay started.");
        onOperation(r.operationId);
        await refresh();
      },
    }),
  );
  const busy = edit.isPending || replay.isPending;
  const failure = edit.error ?? replay.error;
  const save = (andReplay: boolean) => {
    setNotice(undefined);
    replay.reset();
    if (!parsed.ok) return; // refused inline; nothing is sent
    edit.mutate({ id: dl.id, payload: parsed.value, replay: andReplay, ...(reason.trim() ? { reason: reason.trim() } : {}) });
  };
  const showOriginal = dl.editedPayload !== null || dirty;

  return (
    <section className="panel panel-pad" data-testid="payload">
      <div className="msg-panel-head">
        <h3>Payload</h3>
        {dl.editedPayload !== null && <span className="badge badge-neutral">edited — replays use this version</span>}
      </div>
      <div className="msg-payload">
        <label className="msg-field">
          <span className="small muted">{dl.editedPayload !== null || dirty ? "Edited payload (JSON)" : "Payload (JSON)"}</span>
          <textarea
            className={`msg-code msg-editor${parsed.ok ? "" : " invalid"}`}
            aria-label="Payload JSON"
            aria-invalid={!parsed.ok}
            spellCheck={false}
            value={text}
            readOnly={!editable}
            rows={Math.min(24, Math.max(8, text.split("\n").length + 1))}
            onChange={(e) => {
              setText(e.target.value);
              setNotice(undefined);
            }}
          />
        </label>
        {showOriginal && (
          <div className="msg-field" data-testid="original-payload">
            <span className="small muted">Original payload, as delivered</span>
            <pre className="msg-code msg-original">{prettyJson(original)}</pre>
          </div>
        )}
      </div>
      {!parsed.ok && (
        <div className="msg-error-text small" role="alert" data-testid="json-error">
          {parsed.error} — fix it before saving; nothing was sent.
        </div>
      )}
      {editable ? (
        <>
          <label className="msg-field" style={{ marginTop: 10 }}>
            <span className="small muted">Why the change (optional, kept in the audit trail)</span>
            <input type="text" value={reason} onChange={(e) => setReason(e.target.value)} placeholder="e.g. assetId was a slug, not a UUID" />
          </label>
          <div className="row msg-editor-actions">
            <button type="button" disabled={!dirty || !parsed.ok || busy} onClick={() => save(false)}>
              Save
            </button>
            <button type="button" className={dirty ? "primary" : undefined} disabled={!dirty || !parsed.ok || busy} onClick={() => save(true)}>
              Save and replay
            </button>
            <button
              type="button"
              className={dirty ? undefined : "primary"}
              disabled={dirty || busy}
              title={dirty ? "There are unsaved changes: use Save and replay" : "Replay with the payload shown"}
              onClick={() => {
                setNotice(undefined);
                edit.reset();
                replay.mutate({ ids: [dl.id] });
              }}
            >
              Replay
            </button>
            {dirty && (
              <button type="button" className="msg-link" onClick={() => setText(saved)} disabled={busy}>
                Undo changes
              </button>
            )}
            <span className="msg-spacer" />
            <button type="button" className="msg-danger-outline" onClick={() => setDiscarding(true)} disabled={busy || discarding}>
              Discard…
            </button>
          </div>
          {discarding && (
            <DiscardForm
              ids={[dl.id]}
              onCancel={() => setDiscarding(false)}
              onDone={() => {
                setDiscarding(false);
                setNotice("Discarded.");
              }}
            />
          )}
        </>
      ) : (
        <p className="muted small" style={{ marginBottom: 0 }}>
          {!canOperate
            ? "Editing, replaying and discarding need the engineer role."
            : dl.status === "replaying"
              ? "Being replayed: the consumer has not applied it yet."
              : `This dead letter is ${dl.status}: it can no longer be edited or replayed.`}
        </p>
      )}
      {notice && (
        <div className="msg-notice small" role="status">
          {notice}
        </div>
      )}
      {failure && (
        <div className="msg-error-text small" role="alert">
          Refused: {errorText(failure)}
        </div>
      )}
    </section>
  );
}
