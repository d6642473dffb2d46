"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useTRPC } from "@/components/trpc/client";
import { QueryState } from "@/components/ui/QueryState";
import { timeAgo } from "@/components/ui/time";
import { ConsumersSection } from "./ConsumersSection";
import styles from "./contracts.module.css";
import { DeprecationsSection } from "./DeprecationsSection";
import { diffHref } from "./diff-href";
import { EventsSection } from "./EventsSection";
import { OperationCard } from "./OperationCard";

const TABS = ["operations", "events", "consumers", "deprecations", "versions"] as const;
type Tab = (typeof TABS)[number];

/** One service's contracts: REST operations, events with every schema version, consumers, deprecations, published versions. */
export function ServiceContracts({ service }: { service: string }) {
  const trpc = useTRPC();
  const q = useQuery(trpc.contracts.browser.service.queryOptions({ service }));
  const [tab, setTab] = useState<Tab>("operations");
  const d = q.data;
  const apiVersions = d?.api?.versions ?? [];
  const brokerApi = apiVersions.filter((v) => v.source === "broker");
  const count: Record<Tab, number | undefined> = {
    operations: d?.api?.operations.length,
    events: d?.events.length,
    consumers: undefined,
    deprecations: d?.deprecations.length,
    versions: d?.versions.length,
  };

  return (
    <div className="stack">
      <div className="crumbs">
        <Link href="/contracts">Contracts</Link> / <span>{service}</span>
      </div>
      <QueryState query={q} what={`the contracts of ${service}`} back={{ href: "/contracts", label: "All contracts" }}>
        {d && (
          <>
            <div className="page-head">
              <div>
                <h1>{d.api?.title ?? service}</h1>
                <p>
                  {d.api?.description ?? `Events of ${service}.`}{" "}
                  {d.api && (
                    <span className="muted small">
                      Showing <span className="mono">{apiVersions.find((v) => v.id === d.api!.shownVersion)?.label}</span> · {apiVersions.length} versions known
                    </span>
                  )}
                </p>
              </div>
              {d.api && apiVersions.length > 1 && (
                <Link
                  className="button"
                  data-testid="compare-api"
                  href={diffHref(service, "openapi", service, brokerApi.at(-2)?.id ?? apiVersions[0]!.id, brokerApi.at(-1)?.id ?? apiVersions.at(-1)!.id)}
                >
                  Compare API versions
                </Link>
              )}
            </div>
            <nav className={styles.tabs} aria-label="Contract sections">
              {TABS.map((t) => (
                <button key={t} type="button" className={tab === t ? styles.active : undefined} aria-pressed={tab === t} onClick={() => setTab(t)}>
                  {t[0]!.toUpperCase() + t.slice(1)}
                  {count[t] !== undefined && <span className={styles.count}>{count[t]}</span>}
                </button>
              ))}
            </nav>
            {tab === "operations" &&
              (d.api ? (
                <div className={styles.ops} data-testid="operations">
                  {d.api.operations.map((op, i) => (
                    <OperationCard key={op.key} op={op} open={i === 0} tryable={d.api!.shownVersion === "code"} />
                  ))}
                </div>
              ) : (
                <div className="panel state">{service} has no HTTP API.</div>
              ))}
            {tab === "events" && <EventsSection service={service} events={d.events} />}
            {tab === "consumers" && <ConsumersSection service={service} />}
            {tab === "deprecations" && <DeprecationsSection deprecations={d.deprecations} />}
            {tab === "versions" && (
              <div className="panel">
                <table className="data" data-testid="versions">
                  <thead>
                    <tr>
                      <th>Version</th>
                      <th>Branch</th>
                      <th>Published</th>
                      <th>Deployed in</th>
                      <th>API changes</th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.versions.map((v) => {
                      const prev = brokerApi[brokerApi.findIndex((b) => b.id === `broker:${v.number}`) - 1];
                      return (
                        <tr key={v.number}>
                          <td className="mono">{v.number}</td>
                          <td>{v.branch ?? <span className="muted">—</span>}</td>
                          <td title={new Date(v.createdAt).toISOString()}>{timeAgo(v.createdAt)}</td>
                          <td>{v.deployedIn.length ? v.deployedIn.join(", ") : <span className="muted">—</span>}</td>
                          <td>{prev ? <Link href={diffHref(service, "openapi", service, prev.id, `broker:${v.number}`)}>diff from {prev.id.slice(7)}</Link> : <span className="muted">—</span>}</td>
                        </tr>
                      );
                    })}
                    {d.versions.length === 0 && (
                      <tr>
                        <td colSpan={5} className="muted">
                          No version of {service} was published to the broker.
                        </td>
                      </tr>
                    )}
                  </tbody>
                </table>
              </div>
            )}
          </>
        )}
      </QueryState>
    </div>
  );
}
