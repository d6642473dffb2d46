"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "@/components/trpc/client";
import { QueryState } from "@/components/ui/QueryState";
import { timeAgo } from "@/components/ui/time";
import styles from "./contracts.module.css";
import { VerificationBadge } from "./StatusBadge";

/** Every service with contracts: counts, published versions, deployments and the newest verification of its pacts. */
export function ContractServices() {
  const trpc = useTRPC();
  const services = useQuery(trpc.contracts.browser.services.queryOptions({ hours: 24 }));
  return (
    <div className="panel">
      <QueryState query={services} what="the services' contracts">
        {services.data?.length === 0 ? (
          <div className="state">No contracts yet: run npm run contracts:generate, or publish from CI.</div>
        ) : (
          <table className="data" data-testid="contract-services">
            <thead>
              <tr>
                <th>Service</th>
                <th className={styles.num}>Operations</th>
                <th className={styles.num}>Events</th>
                <th className={styles.num}>Consumers</th>
                <th className={styles.num}>Deprecations</th>
                <th>Versions</th>
                <th>Deployed</th>
                <th>Pact verification</th>
              </tr>
            </thead>
            <tbody>
              {services.data?.map((s) => (
                <tr key={s.service} data-service={s.service}>
                  <td>
                    <Link className="svc-name" href={`/contracts/${s.service}`}>
                      {s.service}
                    </Link>
                    <span className={styles.sub}>
                      {s.title ?? "no HTTP API"}
                      {s.apiVersion ? ` · ${s.apiVersion}` : ""}
                    </span>
                  </td>
                  <td className={styles.num}>{s.operations}</td>
                  <td className={styles.num}>{s.events}</td>
                  <td className={styles.num}>{s.consumers}</td>
                  <td className={styles.num}>{s.deprecations ? <span className="badge badge-deprecated">{s.deprecations}</span> : <span className="muted">0</span>}</td>
                  <td>
                    {s.versions.length ? (
                      <span className="row">
                        {s.versions.map((v) => (
                          <span key={v.number} className="chip chip-api" title={`${v.branch ?? "no branch"} · published ${timeAgo(v.createdAt)}`}>
                            {v.number}
                          </span>
                        ))}
                      </span>
                    ) : (
                      <span className="muted small">not published</span>
                    )}
                  </td>
                  <td>
                    {s.deployed.length ? (
                      <span className={styles.envs}>
                        {s.deployed.map((d) => (
                          <span key={d.environment} className={styles.env}>
                            {d.environment} {d.version}
                          </span>
                        ))}
                      </span>
                    ) : (
                      <span className="muted small">—</span>
                    )}
                  </td>
                  <td>
                    <VerificationBadge status={s.verification.status} />
                    {s.verification.providerVersion && (
                      <span className={styles.sub}>
                        by {s.verification.providerVersion}
                        {s.verification.at ? ` · ${timeAgo(s.verification.at)}` : ""}
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </QueryState>
    </div>
  );
}
