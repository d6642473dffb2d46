import { formatTime } from "./format";
import type { AuditAction, DeadLetterFull } from "./types";

/** Who did it: a person, or for the system's own entries the consumer that applied or refused the message. */
function actorOf(a: AuditAction, consumer: string): string {
  if (a.actor !== "system") return a.actor;
  return a.action === "replayed" || a.action === "failed-again" ? consumer : "Switchyard";
}

function describe(a: AuditAction): string {
  const details = (a.details ?? {}) as { edited?: boolean; error?: string };
  switch (a.action) {
    case "edit":
      return "edited the payload";
    case "replay":
      return details.edited ? "replayed it with the edited payload" : "replayed it";
    case "replayed":
      return "applied the replay";
    case "failed-again":
      return `refused it again${details.error ? `: ${details.error}` : ""}`;
    case "discard":
      return "discarded it";
    default:
      return a.action;
  }
}

/** Everything that happened to a dead letter, oldest first, with who did it. */
export function AuditTimeline({ dl }: { dl: DeadLetterFull }) {
  return (
    <section className="panel panel-pad">
      <h3>Audit trail</h3>
      <ol className="msg-timeline" data-testid="audit-timeline">
        <li className="msg-tl-system">
          <div className="msg-tl-what">
            <strong>{dl.consumer}</strong> gave up on it
          </div>
          <div className="muted small">{formatTime(dl.firstFailedAt)}</div>
        </li>
        {dl.actions.map((a) => (
          <li key={a.id} className={`msg-tl-${a.action}`} data-action={a.action}>
            <div className="msg-tl-what">
              <strong>{actorOf(a, dl.consumer)}</strong> {describe(a)}
            </div>
            {a.reason && <div className="msg-tl-reason">“{a.reason}”</div>}
            <div className="muted small">{formatTime(a.at)}</div>
          </li>
        ))}
      </ol>
    </section>
  );
}
