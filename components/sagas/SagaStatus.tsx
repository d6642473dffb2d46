const CLASS: Record<string, string> = {
  completed: "saga-ok",
  succeeded: "saga-ok",
  running: "saga-run",
  retrying: "saga-warn",
  compensating: "saga-warn",
  compensated: "saga-undone",
  skipped: "saga-muted",
  failed: "saga-bad",
};

/** A saga run's or step's status, coloured by what it means for the operator. */
export function SagaStatus({ status }: { status: string }) {
  return <span className={`badge ${CLASS[status] ?? "badge-neutral"}`}>{status}</span>;
}
