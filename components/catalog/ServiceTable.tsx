"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useDeferredValue, useEffect, useState } from "react";
import { useTRPC } from "@/components/trpc/client";
import { LifecycleBadge, OwnerChip } from "@/components/ui/Badges";
import { QueryState } from "@/components/ui/QueryState";
import { timeAgo } from "@/components/ui/time";

function apiName(ref: string): string {
  return ref.slice(ref.indexOf("/") + 1);
}

/** The service catalog: every Component with owner, lifecycle, APIs and dependencies, filterable. */
export function ServiceTable() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [search, setSearch] = useState("");
  const [owner, setOwner] = useState("");
  const [lifecycle, setLifecycle] = useState("");
  const deferredSearch = useDeferredValue(search);

  const all = useQuery(trpc.catalog.list.queryOptions({}));
  const filtered = useQuery(
    trpc.catalog.list.queryOptions({
      search: deferredSearch || undefined,
      owner: owner || undefined,
      lifecycle: lifecycle || undefined,
    }),
  );
  const me = useQuery(trpc.auth.me.queryOptions());
  const refresh = useMutation(trpc.catalog.refresh.mutationOptions());
  const awaitedJob = refresh.data?.jobId;
  // The sync runs in the worker: poll its run until it finishes, then reload the list.
  const runs = useQuery({
    ...trpc.catalog.syncRuns.queryOptions({ limit: 1 }),
    refetchInterval: (q) => {
      const run = q.state.data?.[0];
      return awaitedJob && !(run?.jobId === awaitedJob && run.finishedAt) ? 1000 : false;
    },
  });
  const finishedJob = runs.data?.[0]?.finishedAt ? runs.data[0].jobId : undefined;
  useEffect(() => {
    if (awaitedJob && finishedJob === awaitedJob) void queryClient.invalidateQueries({ queryKey: trpc.catalog.list.pathKey() });
  }, [awaitedJob, finishedJob, queryClient, trpc]);

  const owners = [...new Set((all.data ?? []).map((s) => s.ownerName).filter((o): o is string => !!o))].sort();
  const lifecycles = [...new Set((all.data ?? []).map((s) => s.lifecycle).filter((l): l is string => !!l))].sort();
  const lastRun = runs.data?.[0];
  const canRefresh = me.data?.roles.some((r) => r === "engineer" || r === "admin");

  return (
    <div className="panel">
      <div className="filters">
        <input
          type="search"
          placeholder="Search services, descriptions, tags…"
          aria-label="Search services"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <select aria-label="Owner" value={owner} onChange={(e) => setOwner(e.target.value)}>
          <option value="">All owners</option>
          {owners.map((o) => (
            <option key={o}>{o}</option>
          ))}
        </select>
        <select aria-label="Lifecycle" value={lifecycle} onChange={(e) => setLifecycle(e.target.value)}>
          <option value="">All lifecycles</option>
          {lifecycles.map((l) => (
            <option key={l}>{l}</option>
          ))}
        </select>
      </div>
      <QueryState query={filtered} what="the catalog">
        {filtered.data && filtered.data.length === 0 ? (
          <div className="state">
            {all.data?.length ? "No service matches these filters." : "The catalog is empty: the worker has not loaded it yet."}
          </div>
        ) : (
          <table className="data" data-testid="service-table">
            <thead>
              <tr>
                <th style={{ width: "34%" }}>Service</th>
                <th>Owner</th>
                <th>Lifecycle</th>
                <th>Provides</th>
                <th>Consumes</th>
                <th>Depends on</th>
              </tr>
            </thead>
            <tbody>
              {filtered.data?.map((s) => (
                <tr key={s.ref} data-service={s.name}>
                  <td>
                    <Link href={`/catalog/${s.name}`} className="svc-name">
                      {s.title ?? s.name}
                    </Link>{" "}
                    <span className="svc-ref">{s.name}</span>
                    <div className="muted small">{s.description}</div>
                  </td>
                  <td>
                    <OwnerChip name={s.ownerTeam ?? s.ownerName} />
                    {s.ownerTeam && <div className="svc-ref">{s.ownerName}</div>}
                  </td>
                  <td>
                    <LifecycleBadge lifecycle={s.lifecycle} />
                  </td>
                  <td>
                    <div className="row">
                      {s.providesApis.map((a) => (
                        <span key={a} className="chip chip-api">
                          {apiName(a)}
                        </span>
                      ))}
                    </div>
                  </td>
                  <td className="small">{s.consumesApis.map(apiName).join(", ") || <span className="muted">—</span>}</td>
                  <td className="small">{s.dependsOn.map(apiName).join(", ") || <span className="muted">—</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </QueryState>
      <div className="footer-note">
        <span data-testid="sync-status">
          {lastRun
            ? `Last catalog sync ${timeAgo(lastRun.startedAt)} (${lastRun.trigger}): ${lastRun.status}, ${lastRun.upserted} updated, ${lastRun.unchanged} unchanged, ${lastRun.removed} removed`
            : "No catalog sync has run yet"}
          {lastRun && Array.isArray(lastRun.errors) && lastRun.errors.length > 0 && ` · ${lastRun.errors.length} rejected document(s)`}
        </span>
        {canRefresh && (
          <button type="button" onClick={() => refresh.mutate()} disabled={refresh.isPending}>
            {refresh.isPending ? "Queuing…" : refresh.isSuccess ? "Sync queued" : "Sync now"}
          </button>
        )}
      </div>
    </div>
  );
}
