"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import type { SloService } from "@/services/telemetry/dashboards-slos";
import type { BurnAlert, BurnRule } from "@/services/telemetry/slo";
import { useTRPC } from "@/components/trpc/client";
import { QueryState } from "@/components/ui/QueryState";
import { timeAgo } from "@/components/ui/time";
import { fmtCount, fmtMs, fmtRatio, fmtWindow } from "./format";
import { alertRedHref, redHref, traceHref, tracesHref } from "./links";
import obs from "./observability.module.css";

const SLI_LABEL = { availability: "availability", latency: "latency" } as const;

/** The SLO page: firing burn-rate alerts, each service's objectives and error budgets, and the rules. */
export function SloOverview() {
  const trpc = useTRPC();
  const slos = useQuery({ ...trpc.telemetry.dashboards.slos.queryOptions(), refetchInterval: 60_000 });
  const data = slos.data;
  return (
    <QueryState query={slos} what="SLOs">
      {data && (
        <div className="stack">
          <section className="panel" data-testid="alerts">
            <div className="panel-pad msg-panel-head" style={{ borderBottom: "1px solid var(--line)" }}>
              <h2 style={{ margin: 0, fontSize: 16 }}>Firing alerts</h2>
              <span className="badge badge-neutral">{data.alerts.length} firing</span>
              <span className="msg-spacer" />
              <span className="small muted" title={new Date(data.evaluatedAt).toISOString()}>
                evaluated {timeAgo(data.evaluatedAt)}
              </span>
            </div>
            {data.alerts.length === 0 ? (
              <div className="state">No burn-rate alert is firing: every service spends its error budget slower than the rules allow.</div>
            ) : (
              groupAlerts(data.alerts).map((g) => (
                <AlertGroup key={`${g[0]!.service}:${g[0]!.sli}`} alerts={g} threshold={data.services.find((s) => s.service === g[0]!.service)?.objective.latencyThresholdMs ?? null} />
              ))
            )}
          </section>
          <section className="panel">
            <div className="panel-pad" style={{ borderBottom: "1px solid var(--line)" }}>
              <h2 style={{ margin: 0, fontSize: 16 }}>Service level objectives</h2>
              <div className="small muted">SLIs over the calls each service answers (server and consumer spans) in its window; the bar is the error budget left.</div>
            </div>
            {data.services.length === 0 ? (
              <div className="state">No service has sent traces in the last 30 days.</div>
            ) : (
              <div className="msg-scroll">
              <table className="data" data-testid="slo-table">
                <thead>
                  <tr>
                    <th>Service</th>
                    <th>Objectives</th>
                    <th className={obs.num}>Calls</th>
                    <th className={obs.num}>Availability</th>
                    <th>Availability budget</th>
                    <th className={obs.num}>Latency SLI</th>
                    <th>Latency budget</th>
                    <th className={obs.num}>Alerts</th>
                  </tr>
                </thead>
                <tbody>
                  {data.services.map((s) => (
                    <SloRow key={s.service} slo={s} />
                  ))}
                </tbody>
              </table>
              </div>
            )}
          </section>
          <section className="panel">
            <div className="panel-pad" style={{ borderBottom: "1px solid var(--line)" }}>
              <h2 style={{ margin: 0, fontSize: 16 }}>Burn-rate rules</h2>
              <div className="small muted">
                An alert fires when both windows burn the error budget at least this many times faster than the SLO allows (multiwindow, multi-burn-rate; Google SRE workbook).
              </div>
            </div>
            <RulesTable rules={data.rules} />
          </section>
        </div>
      )}
    </QueryState>
  );
}

/** The alerts of one service and SLI (one per rule firing), fastest rule first. */
function groupAlerts(alerts: BurnAlert[]): BurnAlert[][] {
  const groups = new Map<string, BurnAlert[]>();
  for (const a of alerts) {
    const key = `${a.service}\u0000${a.sli}`;
    groups.set(key, [...(groups.get(key) ?? []), a]);
  }
  return [...groups.values()].map((g) => g.sort((x, y) => x.long.minutes - y.long.minutes));
}

function AlertGroup({ alerts, threshold }: { alerts: BurnAlert[]; threshold: number | null }) {
  const a = alerts[0]!;
  const failing = a.sli === "availability";
  const widest = alerts[alerts.length - 1]!;
  const pages = alerts.some((x) => x.severity === "page");
  return (
    <div className={obs.alert} data-testid="alert" data-service={a.service} data-sli={a.sli} data-factor={a.factor}>
      <div>
        <span className={`badge ${pages ? obs.sevPage : obs.sevTicket}`}>{pages ? "page" : "ticket"}</span>
        <div className="small muted" style={{ marginTop: 6 }}>
          {alerts.length} of 3 rules firing
        </div>
      </div>
      <div className="msg-min0">
        <div className={obs.alertTitle}>
          <Link href={redHref(a.service, { preset: "1h" })} className="svc-name">
            {a.service}
          </Link>{" "}
          — {SLI_LABEL[a.sli]} budget burning {a.long.burnRate.toFixed(1)}× over {fmtWindow(a.long.minutes)}
        </div>
        <table className={obs.burnTable}>
          <tbody>
            {alerts.map((x) => (
              <tr key={x.factor} data-testid="alert-rule" data-factor={x.factor}>
                <td>
                  <span className={`badge ${x.severity === "page" ? obs.sevPage : obs.sevTicket}`}>{x.severity}</span>
                </td>
                <td className={obs.num}>{x.factor}×</td>
                <td>
                  long {fmtWindow(x.long.minutes)}: <strong>{x.long.burnRate.toFixed(1)}×</strong> <span className="muted">({fmtCount(x.long.bad)} bad of {fmtCount(x.long.calls)})</span>
                </td>
                <td>
                  short {fmtWindow(x.short.minutes)}: <strong>{x.short.burnRate.toFixed(1)}×</strong> <span className="muted">({fmtCount(x.short.bad)} bad of {fmtCount(x.short.calls)})</span>
                </td>
                <td>
                  <Link href={alertRedHref(x.service, { at: x.at, longMinutes: x.long.minutes, shortMinutes: x.short.minutes })} data-testid="alert-red-link">
                    RED chart at that time
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {a.exampleTraceIds.length > 0 && (
          <div className={obs.traceIds} style={{ marginTop: 6 }}>
            <span className="small muted" style={{ fontFamily: "var(--sans)" }}>
              {failing ? "failing" : "slow"} traces:
            </span>
            {a.exampleTraceIds.map((t) => (
              <Link key={t} href={traceHref(t)} data-testid="example-trace" title={t}>
                {t.slice(0, 12)}…
              </Link>
            ))}
          </div>
        )}
      </div>
      <div className={obs.links} style={{ flexDirection: "column", gap: 4, alignItems: "flex-end" }}>
        <Link href={tracesHref({ service: a.service, from: widest.link.from, to: widest.link.to, errorsOnly: failing, minDurationMs: failing ? undefined : threshold })}>
          all {failing ? "failing" : "slow"} traces ({fmtWindow(widest.long.minutes)})
        </Link>
      </div>
    </div>
  );
}

function Budget({ remaining }: { remaining: number }) {
  const clamped = Math.max(0, Math.min(1, remaining));
  const color = remaining <= 0 ? "var(--bad)" : remaining < 0.25 ? "#dc8a00" : "var(--ok)";
  return (
    <div className={obs.budget} title={`${(remaining * 100).toFixed(1)}% of the error budget left`}>
      <div className={obs.budgetTrack} role="meter" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(clamped * 100)} aria-label="error budget remaining">
        <div className={obs.budgetFill} style={{ width: `${clamped * 100}%`, background: color }} />
      </div>
      <span className={`${obs.budgetText} ${remaining <= 0 ? obs.bad : ""}`}>{remaining >= 0 ? `${Math.round(remaining * 100)}% left` : `${(1 - remaining).toFixed(1).replace(/\.0$/, "")}× spent`}</span>
    </div>
  );
}

function SloRow({ slo: s }: { slo: SloService }) {
  const o = s.objective;
  return (
    <tr data-service={s.service}>
      <td className={obs.nowrap}>
        <Link className="svc-name" href={redHref(s.service, { preset: "24h" })}>
          {s.service}
        </Link>
      </td>
      <td className={`small ${obs.nowrap}`}>
        <div>{fmtRatio(o.availabilityTarget)} available</div>
        <div>
          {fmtRatio(o.latencyTarget)} within {fmtMs(o.latencyThresholdMs)}
        </div>
        <div className="muted">{o.windowDays}-day window</div>
      </td>
      <td className={obs.num}>{fmtCount(s.calls)}</td>
      <td className={`${obs.num} ${s.availability !== null && s.availability < o.availabilityTarget ? obs.bad : ""}`}>{fmtRatio(s.availability)}</td>
      <td>
        <Budget remaining={s.availabilityBudgetRemaining} />
      </td>
      <td className={`${obs.num} ${s.latencyWithin !== null && s.latencyWithin < o.latencyTarget ? obs.bad : ""}`}>{fmtRatio(s.latencyWithin)}</td>
      <td>
        <Budget remaining={s.latencyBudgetRemaining} />
      </td>
      <td className={obs.num}>{s.firing > 0 ? <span className="badge badge-deprecated">{s.firing} firing</span> : <span className="muted">none</span>}</td>
    </tr>
  );
}

function RulesTable({ rules }: { rules: readonly BurnRule[] }) {
  return (
    <table className="data" data-testid="rules">
      <thead>
        <tr>
          <th>Severity</th>
          <th className={obs.num}>Burn rate</th>
          <th className={obs.num}>Long window</th>
          <th className={obs.num}>Short window</th>
          <th>Budget spent when it fires</th>
        </tr>
      </thead>
      <tbody>
        {rules.map((r) => (
          <tr key={`${r.severity}:${r.factor}`}>
            <td>
              <span className={`badge ${r.severity === "page" ? obs.sevPage : obs.sevTicket}`}>{r.severity}</span>
            </td>
            <td className={obs.num}>{r.factor}×</td>
            <td className={obs.num}>{fmtWindow(r.longMinutes)}</td>
            <td className={obs.num}>{fmtWindow(r.shortMinutes)}</td>
            <td className="small">{((r.factor * r.longMinutes) / (30 * 1440) * 100).toFixed(r.factor * r.longMinutes >= 30 * 1440 * 0.1 ? 0 : 1)}% of a 30-day budget in {fmtWindow(r.longMinutes)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
