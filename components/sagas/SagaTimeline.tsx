"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "@/components/trpc/client";
import { QueryState } from "@/components/ui/QueryState";
import { SagaStatus } from "./SagaStatus";

const fmt = (d: Date | string | null) => (d ? new Date(d).toISOString().replace("T", " ").slice(0, 23) : "—");

function took(from: Date | string, to: Date | string | null): string {
  if (!to) return "";
  const ms = new Date(to).getTime() - new Date(from).getTime();
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** One saga run: its plan (which steps it reached), then every step try and compensation in order. */
export function SagaTimeline({ id }: { id: string }) {
  const trpc = useTRPC();
  const run = useQuery({
    ...trpc.sagas.get.queryOptions({ id }),
    refetchInterval: (q) => (q.state.data && ["running", "compensating"].includes(q.state.data.status) ? 1000 : false),
  });
  const r = run.data;

  return (
    <QueryState query={run} what="this saga run" back={{ href: "/sagas", label: "All saga runs" }}>
      {r && (
        <div className="stack">
          <div className="crumbs">
            <Link href="/sagas">Sagas</Link> / <span className="mono">{r.id}</span>
          </div>
          <div className="page-head">
            <div>
              <h1>
                {r.saga} <SagaStatus status={r.status} />
              </h1>
              <p>
                Orchestrated by <strong>{r.service}</strong> for <span className="mono">{r.subject}</span>, started by{" "}
                <span className="mono">{r.startedBy}</span>. Correlation{" "}
                <Link className="mono" href={`/events?correlation=${encodeURIComponent(r.correlationId)}`}>
                  {r.correlationId}
                </Link>
                .
              </p>
            </div>
          </div>
          {r.error && (
            <div className="panel panel-pad saga-error" role="alert" data-testid="saga-error">
              {r.error}
            </div>
          )}
          <div className="panel panel-pad">
            <h2>Plan</h2>
            <ol className="saga-plan" data-testid="saga-plan">
              {r.plan.map((p) => (
                <li key={p.index} className={p.reached ? "saga-plan-reached" : "saga-plan-unreached"}>
                  <span className="saga-plan-n">{p.index + 1}</span>
                  <span>
                    <strong>{p.name}</strong> <span className="chip">{p.service}</span>
                    {!p.compensable && <span className="muted small"> · nothing to undo</span>}
                  </span>
                </li>
              ))}
            </ol>
          </div>
          <div className="panel">
            <div className="panel-pad">
              <h2>Timeline</h2>
            </div>
            <table className="data" data-testid="saga-steps">
              <thead>
                <tr>
                  <th>Step</th>
                  <th>Service</th>
                  <th>Direction</th>
                  <th>Status</th>
                  <th>Attempts</th>
                  <th>Started</th>
                  <th>Took</th>
                  <th>Result</th>
                </tr>
              </thead>
              <tbody>
                {r.steps.map((s) => (
                  <tr key={`${s.index}-${s.phase}`} data-step={`${s.name}:${s.phase}`} className={s.phase === "compensate" ? "saga-row-back" : ""}>
                    <td>
                      <strong>{s.name}</strong>
                    </td>
                    <td>
                      <span className="chip">{s.service}</span>
                    </td>
                    <td>{s.phase === "compensate" ? "↩ undo" : "→ run"}</td>
                    <td>
                      <SagaStatus status={s.status} />
                    </td>
                    <td>{s.attempts}</td>
                    <td className="mono small">{fmt(s.startedAt)}</td>
                    <td>{took(s.startedAt, s.finishedAt)}</td>
                    <td className="saga-result">
                      {s.error ? <span className="saga-bad-text">{s.error}</span> : s.output ? <code>{JSON.stringify(s.output)}</code> : <span className="muted">—</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="panel panel-pad">
            <h2>Input and data</h2>
            <div className="grid-2">
              <pre className="saga-json">{JSON.stringify(r.input, null, 2)}</pre>
              <pre className="saga-json">{JSON.stringify(r.data, null, 2)}</pre>
            </div>
          </div>
        </div>
      )}
    </QueryState>
  );
}
