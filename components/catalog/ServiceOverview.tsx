"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Fragment } from "react";
import { useTRPC } from "@/components/trpc/client";
import { LifecycleBadge, OwnerChip } from "@/components/ui/Badges";
import { QueryState } from "@/components/ui/QueryState";
import { timeAgo } from "@/components/ui/time";

type Linked = { ref: string; kind: string; name: string; title: string | null; exists: boolean };

function EntityLinkView({ e }: { e: Linked }) {
  const label = e.title ?? e.name;
  if (e.kind === "component" && e.exists) return <Link href={`/catalog/${e.name}`}>{label}</Link>;
  return (
    <span title={e.exists ? e.ref : `${e.ref} is not in the catalog`}>
      {label} <span className="muted small">({e.kind}{e.exists ? "" : ", missing"})</span>
    </span>
  );
}

function LinkList({ items, empty }: { items: Linked[]; empty: string }) {
  if (items.length === 0) return <span className="muted">{empty}</span>;
  return (
    <span className="row">
      {items.map((e, i) => (
        <span key={e.ref}>
          <EntityLinkView e={e} />
          {i < items.length - 1 ? "," : ""}
        </span>
      ))}
    </span>
  );
}

/** One service: what it is, who owns it and who is on call, its APIs and who uses them, its dependencies. */
export function ServiceOverview({ name }: { name: string }) {
  const trpc = useTRPC();
  const q = useQuery(trpc.catalog.get.queryOptions({ name }));
  const s = q.data;
  return (
    <QueryState query={q} what={`service "${name}"`} back={{ href: "/catalog", label: "Back to the catalog" }}>
      {s && (
        <div className="stack">
          <div className="page-head">
            <div>
              <div className="crumbs">
                <Link href="/catalog">Catalog</Link> / {s.name}
              </div>
              <h1>{s.title ?? s.name}</h1>
              <p>{s.description}</p>
              <div className="row" style={{ marginTop: 8 }}>
                <LifecycleBadge lifecycle={s.lifecycle} />
                <span className="badge badge-neutral">{s.type}</span>
                {s.tags.map((t) => (
                  <span key={t} className="badge badge-neutral">
                    #{t}
                  </span>
                ))}
              </div>
            </div>
          </div>
          <div className="grid-2">
            <div className="stack">
              <section className="panel">
                <div className="panel-pad">
                  <h2>Provided APIs</h2>
                </div>
                <table className="data" data-testid="provided-apis">
                  <thead>
                    <tr>
                      <th>API</th>
                      <th>Type</th>
                      <th>Lifecycle</th>
                      <th>Consumed by</th>
                    </tr>
                  </thead>
                  <tbody>
                    {s.apis.provided.map((a) => (
                      <tr key={a.ref}>
                        <td>
                          <span className="chip chip-api">{a.name}</span>
                          <div className="muted small">{a.description}</div>
                        </td>
                        <td>{a.type ?? "—"}</td>
                        <td>
                          <LifecycleBadge lifecycle={a.lifecycle} />
                        </td>
                        <td>
                          <LinkList items={a.consumers} empty="no declared consumers" />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </section>
              <section className="panel">
                <div className="panel-pad">
                  <h2>Consumed APIs</h2>
                </div>
                {s.apis.consumed.length === 0 ? (
                  <div className="state">This service consumes no other service&apos;s API.</div>
                ) : (
                  <table className="data" data-testid="consumed-apis">
                    <thead>
                      <tr>
                        <th>API</th>
                        <th>Type</th>
                        <th>Provided by</th>
                      </tr>
                    </thead>
                    <tbody>
                      {s.apis.consumed.map((a) => (
                        <tr key={a.ref}>
                          <td>
                            <span className="chip chip-api">{a.name}</span>
                          </td>
                          <td>{a.type ?? "—"}</td>
                          <td>
                            <LinkList items={a.providers} empty={a.exists ? "no provider declared" : "API not in the catalog"} />
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
              </section>
              <section className="panel panel-pad">
                <h2>Dependencies</h2>
                <dl className="kv">
                  <dt>Depends on</dt>
                  <dd>
                    <LinkList items={s.dependencies} empty="nothing declared" />
                  </dd>
                  <dt>Depended on by</dt>
                  <dd>
                    <LinkList items={s.dependents} empty="no service declares a dependency on it" />
                  </dd>
                </dl>
              </section>
            </div>
            <div className="stack">
              <section className="panel panel-pad" data-testid="owner-card">
                <h3>Owner</h3>
                <div style={{ marginBottom: 10 }}>
                  <OwnerChip name={s.ownerTeam?.name ?? s.ownerName} />
                </div>
                {s.ownerTeam ? (
                  <>
                    <p className="small muted" style={{ marginTop: 0 }}>
                      {s.ownerTeam.description}
                    </p>
                    <dl className="kv">
                      <dt>On call</dt>
                      <dd>{s.ownerTeam.onCall ?? "—"}</dd>
                      <dt>Chat</dt>
                      <dd>{s.ownerTeam.chatChannel ?? "—"}</dd>
                    </dl>
                    <h3 style={{ marginTop: 14 }}>Members</h3>
                    <ul className="list-plain">
                      {s.ownerTeam.members.map((m) => (
                        <li key={m.email} className="member">
                          <span>{m.name}</span>
                          <span className="muted small">{m.role}</span>
                        </li>
                      ))}
                    </ul>
                  </>
                ) : (
                  <p className="small muted">The team &quot;{s.ownerName}&quot; is not known to the auth service.</p>
                )}
              </section>
              <section className="panel panel-pad">
                <h3>About</h3>
                <dl className="kv">
                  <dt>System</dt>
                  <dd>{s.system ? s.system.slice(s.system.indexOf("/") + 1) : "—"}</dd>
                  <dt>Entity</dt>
                  <dd className="mono">{s.ref}</dd>
                  <dt>Descriptor</dt>
                  <dd className="mono">{s.sourcePath}</dd>
                  <dt>Updated</dt>
                  <dd>{timeAgo(s.updatedAt)}</dd>
                  {Object.entries(s.annotations).map(([k, v]) => (
                    <Fragment key={k}>
                      <dt className="small">{k.replace(/^.*\//, "")}</dt>
                      <dd className="mono">{v}</dd>
                    </Fragment>
                  ))}
                </dl>
              </section>
            </div>
          </div>
        </div>
      )}
    </QueryState>
  );
}
