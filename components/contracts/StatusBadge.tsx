import styles from "./contracts.module.css";

const LABEL = { ok: "verified", failed: "failed", unverified: "unverified", none: "no pacts" } as const;

/** A verification status: verified ok, failed, unverified, or none (nothing to verify). */
export function VerificationBadge({ status }: { status: keyof typeof LABEL }) {
  return (
    <span className={`badge ${styles[status]}`} data-status={status}>
      {status === "ok" ? "✓ " : status === "failed" ? "✗ " : ""}
      {LABEL[status]}
    </span>
  );
}

const SOURCE = { pact: ["pact", styles.srcPact], code: ["code", styles.srcCode], broker: ["broker", styles.srcBroker], traces: ["observed", styles.srcTraces] } as const;

/** How a consumer is known: a pact, a consumer in code, an event read published to the broker, or traces. */
export function SourceBadge({ source, detail }: { source: keyof typeof SOURCE; detail?: string }) {
  const [label, cls] = SOURCE[source];
  return (
    <span className={`badge ${styles.source} ${cls}`} title={detail} data-source={source}>
      {label}
    </span>
  );
}

/** A change's level: ERR, WARN or INFO. */
export function LevelBadge({ level }: { level: "ERR" | "WARN" | "INFO" }) {
  return <span className={`badge ${level === "ERR" ? styles.err : level === "WARN" ? styles.warn : styles.inf}`}>{level}</span>;
}
