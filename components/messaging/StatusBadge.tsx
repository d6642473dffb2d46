const LABEL: Record<string, string> = { dead: "dead", replaying: "replaying", replayed: "replayed", discarded: "discarded" };

/** A dead letter's status: dead, replaying, replayed or discarded. */
export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge msg-status msg-status-${LABEL[status] ? status : "other"}`}>{LABEL[status] ?? status}</span>;
}
