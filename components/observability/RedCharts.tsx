"use client";

import { Area, AreaChart, CartesianGrid, Legend, Line, LineChart, ReferenceArea, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { RedStep } from "@/services/telemetry/dashboards";
import { fmtMs, fmtPct, fmtRate, fmtTime, fmtWindow } from "./format";
import obs from "./observability.module.css";

/** An alert to mark on the charts: its time, and its long and short windows before it. */
export type ChartMark = { at: number; longMinutes: number | null; shortMinutes: number | null };

type Point = { t: number; rate: number; errorPct: number | null; p50: number | null; p95: number | null; p99: number | null };

function stepLabel(seconds: number): string {
  return seconds === 60 ? "per minute" : `per ${fmtWindow(seconds / 60)}`;
}

/** Request rate, error % and p50/p95/p99 latency of a RED series, with an alert's windows marked. */
export function RedCharts({ series, stepSeconds, from, to, mark }: { series: RedStep[]; stepSeconds: number; from: number; to: number; mark: ChartMark | null }) {
  const data: Point[] = series.map((p) => ({
    t: new Date(p.t).getTime(),
    rate: p.rate,
    errorPct: p.calls > 0 ? p.errorPct : null,
    p50: p.p50,
    p95: p.p95,
    p99: p.p99,
  }));
  const withCalls = series.filter((p) => p.calls > 0).length;
  const withDate = to - from > 20 * 3_600_000;
  const x = (
    <XAxis
      dataKey="t"
      type="number"
      scale="time"
      domain={[from, to]}
      tickFormatter={(t: number) => fmtTime(t, withDate)}
      tick={{ fontSize: 11, fill: "#7b8694" }}
      tickLine={false}
      axisLine={{ stroke: "#e3e7ec" }}
      minTickGap={36}
    />
  );
  const grid = <CartesianGrid stroke="#eef1f4" vertical={false} />;
  const clamp = (t: number) => Math.min(to, Math.max(from, t));
  const marks = mark && [
    mark.longMinutes && (
      <ReferenceArea key="long" x1={clamp(mark.at - mark.longMinutes * 60_000)} x2={clamp(mark.at)} fill="#f79009" fillOpacity={0.09} ifOverflow="hidden" />
    ),
    mark.shortMinutes && (
      <ReferenceArea key="short" x1={clamp(mark.at - mark.shortMinutes * 60_000)} x2={clamp(mark.at)} fill="#d92d20" fillOpacity={0.14} ifOverflow="hidden" />
    ),
    <ReferenceLine key="at" x={clamp(mark.at)} stroke="#d92d20" strokeDasharray="4 3" strokeWidth={1.5} label={{ value: "alert", position: "insideTopRight", fill: "#b42318", fontSize: 11 }} />,
  ];
  const tooltipLabel = (t: unknown) => fmtTime(Number(t), true);
  return (
    <div className={obs.charts}>
      <div className={`panel ${obs.chart}`} data-testid="chart-rate" data-points={withCalls}>
        <div className={obs.chartHead}>
          <h3>Request rate</h3>
          <span className="small muted">req/s, {stepLabel(stepSeconds)}</span>
        </div>
        <div className={obs.chartBox}>
          <ResponsiveContainer width="100%" height="100%">
            <AreaChart data={data} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
              {grid}
              {x}
              <YAxis width={54} tick={{ fontSize: 11, fill: "#7b8694" }} tickLine={false} axisLine={false} tickFormatter={(v: number) => fmtRate(v).replace("/s", "")} />
              <Tooltip labelFormatter={tooltipLabel} formatter={(v) => [fmtRate(Number(v)), "rate"]} />
              <Area type="monotone" dataKey="rate" stroke="#2f6fed" fill="#2f6fed" fillOpacity={0.15} strokeWidth={1.8} isAnimationActive={false} />
              {marks}
            </AreaChart>
          </ResponsiveContainer>
        </div>
      </div>
      <div className={`panel ${obs.chart}`} data-testid="chart-errors" data-points={withCalls}>
        <div className={obs.chartHead}>
          <h3>Errors</h3>
          <span className="small muted">% of calls with status Error, {stepLabel(stepSeconds)}</span>
        </div>
        <div className={obs.chartBox}>
          <ResponsiveContainer width="100%" height="100%">
            <AreaChart data={data} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
              {grid}
              {x}
              <YAxis width={54} tick={{ fontSize: 11, fill: "#7b8694" }} tickLine={false} axisLine={false} domain={[0, "auto"]} allowDecimals={false} tickFormatter={(v: number) => `${v}%`} />
              <Tooltip labelFormatter={tooltipLabel} formatter={(v) => [fmtPct(Number(v)), "errors"]} />
              <Area type="linear" dataKey="errorPct" stroke="#d92d20" fill="#d92d20" fillOpacity={0.14} strokeWidth={1.8} isAnimationActive={false} />
              {marks}
            </AreaChart>
          </ResponsiveContainer>
        </div>
      </div>
      <div className={`panel ${obs.chart} ${obs.chartWide}`} data-testid="chart-latency" data-points={withCalls}>
        <div className={obs.chartHead}>
          <h3>Latency</h3>
          <span className="small muted">p50 / p95 / p99 from the duration histogram, {stepLabel(stepSeconds)}</span>
        </div>
        <div className={obs.chartBox}>
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={data} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
              {grid}
              {x}
              <YAxis width={54} tick={{ fontSize: 11, fill: "#7b8694" }} tickLine={false} axisLine={false} tickFormatter={(v: number) => fmtMs(v)} />
              <Tooltip labelFormatter={tooltipLabel} formatter={(v, name) => [fmtMs(Number(v)), String(name)]} />
              <Legend iconType="plainline" wrapperStyle={{ fontSize: 12 }} />
              <Line type="monotone" dataKey="p50" name="p50" stroke="#16794c" dot={false} strokeWidth={1.8} isAnimationActive={false} />
              <Line type="monotone" dataKey="p95" name="p95" stroke="#dc8a00" dot={false} strokeWidth={1.8} isAnimationActive={false} />
              <Line type="monotone" dataKey="p99" name="p99" stroke="#b42318" dot={false} strokeWidth={1.8} isAnimationActive={false} />
              {marks}
            </LineChart>
          </ResponsiveContainer>
        </div>
      </div>
    </div>
  );
}
