"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "@/components/trpc/client";
import { QueryState } from "@/components/ui/QueryState";
import styles from "./contracts.module.css";
import { diffHref } from "./diff-href";
import { SideBySide } from "./SideBySide";
import { LevelBadge } from "./StatusBadge";

const MODES = ["BACKWARD", "FORWARD", "FULL", "NONE"] as const;
type Mode = (typeof MODES)[number];

const MODE_TEXT: Record<Mode, string> = {
  BACKWARD: "clients and readers built against the old version keep working with the new one",
  FORWARD: "clients and readers of the new version keep working with the old one (a rollback)",
  FULL: "both ways",
  NONE: "no check; the changes are listed for information",
};

type Version = { id: string; label: string; source: string; contractVersion: string };

/** The default pair: the newest two published versions, else the first and the last known. */
function defaults(versions: Version[]): [string, string] | undefined {
  const published = versions.filter((v) => v.source === "broker");
  if (published.length >= 2) return [published.at(-2)!.id, published.at(-1)!.id];
  if (versions.length >= 2) return [versions[0]!.id, versions.at(-1)!.id];
  return versions[0] ? [versions[0].id, versions[0].id] : undefined;
}

/**
 * Two versions of one contract compared: version pickers, the verdict with its mode, every change with
 * its level, location, explanation and fix, and both documents side by side with the changes marked.
 */
export function ContractDiff({ service, kind, subject, from, to, mode }: { service: string; kind: "openapi" | "event"; subject: string; from?: string; to?: string; mode?: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const contracts = useQuery(trpc.contracts.browser.service.queryOptions({ service }));
  const versions: Version[] | undefined = contracts.data ? (kind === "openapi" ? contracts.data.api?.versions : contracts.data.events.find((e) => e.eventType === subject)?.versions) ?? [] : undefined;
  const pair = versions ? defaults(versions) : undefined;
  // The pickers answer at once; the URL follows (so a second pick never works from a stale URL).
  const [picked, setPicked] = useState<{ from?: string; to?: string; mode?: string }>({ from, to, mode });
  const chosen = { from: picked.from ?? pair?.[0], to: picked.to ?? pair?.[1], mode: (MODES as readonly string[]).includes(picked.mode ?? "") ? (picked.mode as Mode) : "BACKWARD" };
  const diff = useQuery({
    ...trpc.contracts.browser.diff.queryOptions({ service, kind, subject, from: chosen.from ?? "", to: chosen.to ?? "", mode: chosen.mode }),
    enabled: Boolean(chosen.from && chosen.to && subject),
  });
  const [selected, setSelected] = useState<number | null>(null);
  const go = (next: { from?: string; to?: string; mode?: string }) => {
    setSelected(null);
    const state = { from: next.from ?? chosen.from, to: next.to ?? chosen.to, mode: next.mode ?? chosen.mode };
    setPicked(state);
    router.replace(diffHref(service, kind, subject, state.from ?? "", state.to ?? "", state.mode));
  };
  const pickSubject = (value: string) => {
    const [k, s] = value === "openapi" ? (["openapi", service] as const) : (["event", value] as const);
    const list: Version[] = (k === "openapi" ? contracts.data?.api?.versions : contracts.data?.events.find((e) => e.eventType === s)?.versions) ?? [];
    const p = defaults(list);
    setSelected(null);
    setPicked({ from: p?.[0], to: p?.[1], mode: chosen.mode });
    router.replace(diffHref(service, k, s, p?.[0] ?? "", p?.[1] ?? "", chosen.mode));
  };
  const d = diff.data;

  return (
    <div className="stack">
      <div className="crumbs">
        <Link href="/contracts">Contracts</Link> / <Link href={`/contracts/${service}`}>{service}</Link> / <span>diff</span>
      </div>
      <div className="page-head">
        <div>
          <h1>Compare contract versions</h1>
          <p>
            {kind === "openapi" ? `The HTTP API of ${service}` : <span className="mono">{subject}</span>}: what changed between two versions, and whether it breaks anyone.
          </p>
        </div>
      </div>
      <QueryState query={contracts} what={`the contracts of ${service}`} back={{ href: "/contracts", label: "All contracts" }}>
        <div className="panel">
          <div className={styles.pickers} data-testid="diff-pickers">
            <label>
              Contract
              <select aria-label="Contract" value={kind === "openapi" ? "openapi" : subject} onChange={(e) => pickSubject(e.target.value)}>
                {contracts.data?.api && <option value="openapi">REST API ({service})</option>}
                {contracts.data?.events.map((e) => (
                  <option key={e.eventType} value={e.eventType}>
                    event {e.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              From
              <select aria-label="From" value={chosen.from ?? ""} onChange={(e) => go({ from: e.target.value })}>
                {versions?.map((v) => (
                  <option key={v.id} value={v.id}>
                    {v.label}
                  </option>
                ))}
              </select>
            </label>
            <span className={styles.arrow}>→</span>
            <label>
              To
              <select aria-label="To" value={chosen.to ?? ""} onChange={(e) => go({ to: e.target.value })}>
                {versions?.map((v) => (
                  <option key={v.id} value={v.id}>
                    {v.label}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Mode
              <select aria-label="Mode" value={chosen.mode} onChange={(e) => go({ mode: e.target.value })}>
                {MODES.map((m) => (
                  <option key={m}>{m}</option>
                ))}
              </select>
            </label>
            <button type="button" onClick={() => go({ from: chosen.to, to: chosen.from })} disabled={!chosen.from || !chosen.to}>
              ⇄ Swap
            </button>
          </div>
        </div>
        {versions && versions.length === 0 && <div className="panel state">No versions of this contract are known.</div>}
        <QueryState query={{ isLoading: diff.isLoading && diff.fetchStatus !== "idle", error: diff.error }} what="the diff">
          {d && (
            <>
              <div className={`${styles.verdict} ${d.compatible ? styles.verdictCompatible : styles.verdictBreaking}`} data-testid="verdict" data-compatible={d.compatible}>
                <span className={styles.verdictWord}>{d.compatible ? "compatible" : "breaking"}</span>
                <span className={styles.verdictText}>
                  <strong>{d.from.label}</strong> → <strong>{d.to.label}</strong> in <strong>{d.mode}</strong> mode ({MODE_TEXT[d.mode as Mode] ?? d.mode}):{" "}
                  {d.counts.ERR} breaking, {d.counts.WARN} warning{d.counts.WARN === 1 ? "" : "s"}, {d.counts.INFO} compatible change{d.counts.INFO === 1 ? "" : "s"}.
                </span>
              </div>
              <div className="panel">
                <div className="panel-pad">
                  <h2 style={{ margin: 0 }}>Changes</h2>
                </div>
                {d.changes.length === 0 ? (
                  <div className="state">The two versions are the same contract.</div>
                ) : (
                  <table className="data" data-testid="changes">
                    <thead>
                      <tr>
                        <th style={{ width: 70 }}>Level</th>
                        <th style={{ width: "28%" }}>Where</th>
                        <th>What changed, why it matters, what to do</th>
                      </tr>
                    </thead>
                    <tbody>
                      {d.changes.map((c, i) => (
                        <tr key={i} className={`${styles.changeRow} ${selected === i ? styles.selected : ""}`} onClick={() => setSelected(i)} data-level={c.level} data-change={c.id}>
                          <td>
                            <LevelBadge level={c.level} />
                          </td>
                          <td>
                            {c.operation && <div className="mono small">{c.operation}</div>}
                            <div className={styles.path}>{c.path}</div>
                            <div className="muted small">
                              {c.id}
                              {c.direction === "forward" ? " · forward" : ""}
                            </div>
                          </td>
                          <td>
                            <div>{c.message}</div>
                            {c.explanation && (
                              <div className={styles.why}>
                                <strong>Why:</strong> {c.explanation}
                              </div>
                            )}
                            {c.fix && (
                              <div className={styles.why}>
                                <strong>Fix:</strong> {c.fix}
                              </div>
                            )}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
              </div>
              <div className="panel">
                <div className="panel-pad row" style={{ justifyContent: "space-between" }}>
                  <h2 style={{ margin: 0 }}>Side by side</h2>
                  <span className="small muted">
                    Lines marked by level: <LevelBadge level="ERR" /> <LevelBadge level="WARN" /> <LevelBadge level="INFO" /> — click a change above to jump to it.
                  </span>
                </div>
                <SideBySide from={d.from.document} to={d.to.document} fromLabel={d.from.label} toLabel={d.to.label} changes={d.changes} selected={selected} />
              </div>
            </>
          )}
        </QueryState>
      </QueryState>
    </div>
  );
}
