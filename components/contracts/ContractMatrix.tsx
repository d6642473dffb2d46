"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "@/components/trpc/client";
import { QueryState } from "@/components/ui/QueryState";
import { timeAgo } from "@/components/ui/time";
import type { TMatrixCell } from "@/services/contracts/browser-matrix";
import styles from "./contracts.module.css";
import { VerificationBadge } from "./StatusBadge";

const CELL = { ok: styles.cellOk, failed: styles.cellFailed, unverified: styles.cellUnverified } as const;

function Deployed({ label, list }: { label: string; list: { environment: string; version: string }[] }) {
  return (
    <div className={styles.envs}>
      <span className="muted small">{label}:</span>
      {list.length ? (
        list.map((d) => (
          <span key={d.environment} className={styles.env}>
            {d.environment} {d.version}
          </span>
        ))
      ) : (
        <span className="muted small">not deployed</span>
      )}
    </div>
  );
}

function Cell({ cell }: { cell: TMatrixCell }) {
  return (
    <div className={`${styles.cell} ${CELL[cell.status]}`} data-testid="matrix-cell" data-consumer={cell.consumer} data-provider={cell.provider} data-status={cell.status}>
      <div className="row" style={{ justifyContent: "space-between" }}>
        <span className="row" style={{ gap: 4 }}>
          {cell.interactions.map((i) => (
            <span key={i.kind} className={`chip ${i.kind === "event" ? "" : "chip-api"}`}>
              {i.label}
            </span>
          ))}
        </span>
        <VerificationBadge status={cell.status} />
      </div>
      {cell.checks.slice(0, 3).map((k, i) => (
        <div key={i} className={styles.checkLine} title={k.detail}>
          <span className={`badge ${styles[k.status]}`}>{k.status === "ok" ? "✓" : k.status === "failed" ? "✗" : "?"}</span>
          <span className="small">
            {k.kind === "pact" ? "pact" : "events"}
            {k.providerVersion ? (
              <>
                {" "}
                by <span className="mono">{cell.provider} {k.providerVersion}</span>
              </>
            ) : (
              " not verified yet"
            )}
            {k.at && <span className="muted"> · {timeAgo(k.at)}</span>}
            {k.status === "failed" && <span className={styles.sub}>{k.detail}</span>}
          </span>
        </div>
      ))}
      <Deployed label={cell.consumer} list={cell.consumerDeployed} />
      <Deployed label={cell.provider} list={cell.providerDeployed} />
    </div>
  );
}

/** Consumers (rows) x providers (columns): what each pair exchanges, its newest verification, and where both run. */
export function ContractMatrix() {
  const trpc = useTRPC();
  const q = useQuery(trpc.contracts.browser.matrix.queryOptions({}));
  const m = q.data;
  return (
    <div className="panel">
      <QueryState query={q} what="the contract matrix">
        {m && m.cells.length === 0 && <div className="state">No consumer declares a contract with a provider yet.</div>}
        {m && m.cells.length > 0 && (
          <div className={styles.matrixWrap}>
            <table className={styles.matrix} data-testid="contract-matrix">
              <colgroup>
                <col className={styles.headCol} />
                {m.providers.map((p) => (
                  <col key={p} />
                ))}
              </colgroup>
              <thead>
                <tr>
                  <th className={styles.rowHead}>
                    Consumer ↓<br />
                    Provider →
                  </th>
                  {m.providers.map((p) => (
                    <th key={p}>
                      <Link href={`/contracts/${p}`}>{p}</Link>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {m.consumers.map((c) => (
                  <tr key={c} data-row={c}>
                    <th className={styles.rowHead} scope="row">
                      <Link href={`/contracts/${c}`}>{c}</Link>
                    </th>
                    {m.providers.map((p) => {
                      const cell = m.cells.find((x) => x.consumer === c && x.provider === p);
                      return <td key={p}>{cell ? <Cell cell={cell} /> : <div className={styles.emptyCell}>—</div>}</td>;
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <div className={styles.legend} data-testid="matrix-legend">
          <strong>Legend</strong>
          <span className={styles.legendItem}>
            <span className={styles.swatch} style={{ background: "var(--ok)" }} /> <VerificationBadge status="ok" /> the newest verification passed
          </span>
          <span className={styles.legendItem}>
            <span className={styles.swatch} style={{ background: "var(--bad)" }} /> <VerificationBadge status="failed" /> the newest verification failed
          </span>
          <span className={styles.legendItem}>
            <span className={styles.swatch} style={{ background: "#d08a10" }} /> <VerificationBadge status="unverified" /> nothing verified it yet
          </span>
          <span className={styles.legendItem}>
            <span className="chip chip-api">HTTP / message pact</span> consumer-driven pact in the broker
          </span>
          <span className={styles.legendItem}>
            <span className="chip">event types</span> subscriptions; checked by reading the provider&apos;s published writer schemas with the consumer&apos;s reader schemas
          </span>
        </div>
      </QueryState>
    </div>
  );
}
