import { formatTime } from "./format";
import type { DeadLetterFull } from "./types";

type EnvelopeJson = { aggregateVersion?: number; occurredAt?: string; correlationId?: string; traceparent?: string; version?: number };

/** A dead letter's envelope and delivery facts. */
export function EnvelopeCard({ dl }: { dl: DeadLetterFull }) {
  const env = (dl.envelope ?? {}) as EnvelopeJson;
  return (
    <section className="panel panel-pad" data-testid="envelope">
      <h3>Envelope</h3>
      <dl className="kv msg-kv">
        <dt>Event id</dt>
        <dd className="mono">{dl.eventId}</dd>
        <dt>Event type</dt>
        <dd className="mono">
          {dl.eventType}
          {env.version !== undefined && <span className="muted"> · v{env.version}</span>}
        </dd>
        <dt>Aggregate</dt>
        <dd className="mono">
          {dl.aggregateId}
          {env.aggregateVersion !== undefined && <span className="muted"> · version {env.aggregateVersion}</span>}
        </dd>
        <dt>Consumer</dt>
        <dd>
          <span className="chip chip-api">{dl.consumer}</span>
        </dd>
        <dt>Attempts</dt>
        <dd>
          {dl.attempts}
          {dl.unrecoverable && <span className="muted"> · unrecoverable, not retried</span>}
        </dd>
        <dt>First failure</dt>
        <dd>{formatTime(dl.firstFailedAt)}</dd>
        <dt>Last failure</dt>
        <dd>{formatTime(dl.lastFailedAt)}</dd>
        <dt>Occurred</dt>
        <dd>{formatTime(env.occurredAt)}</dd>
        <dt>Trace id</dt>
        <dd className="mono">{dl.traceId ?? <span className="muted">—</span>}</dd>
        {env.correlationId && (
          <>
            <dt>Correlation</dt>
            <dd className="mono">{env.correlationId}</dd>
          </>
        )}
        <dt>Replays</dt>
        <dd>{dl.replayCount}</dd>
        {dl.discardReason && (
          <>
            <dt>Discarded</dt>
            <dd>{dl.discardReason}</dd>
          </>
        )}
      </dl>
    </section>
  );
}
