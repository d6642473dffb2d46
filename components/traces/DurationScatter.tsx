"use client";

import { useRouter } from "next/navigation";
import { CartesianGrid, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis, ZAxis } from "recharts";
import { clockTime, formatMs } from "./format";
import styles from "./traces.module.css";

export type ScatterPoint = { traceId: string; spanId: string; service: string; name: string; startTime: Date | string; durationMs: number; error: boolean };
type Dot = { t: number; d: number; p: ScatterPoint };

function Tip({ active, payload }: { active?: boolean; payload?: { payload?: Dot }[] }) {
  const dot = active ? payload?.[0]?.payload : undefined;
  if (!dot) return null;
  return (
    <div className={styles.tip}>
      <div>
        <strong>{dot.p.service}</strong> {dot.p.name}
      </div>
      <div>
        {formatMs(dot.p.durationMs)} at {clockTime(dot.t)}
        {dot.p.error && <span className={styles.errorText}> · error</span>}
      </div>
      <div className="muted small">click to open the trace</div>
    </div>
  );
}

/** Matching spans by start time and duration (log scale); errors in red; a click opens the trace at that span. */
export function DurationScatter({ points, from, to }: { points: ScatterPoint[]; from: number; to: number }) {
  const router = useRouter();
  const dots = (error: boolean): Dot[] =>
    points.filter((p) => p.error === error).map((p) => ({ t: new Date(p.startTime).getTime(), d: Math.max(p.durationMs, 0.01), p }));
  const open = (dot: unknown) => {
    const p = (dot as { payload?: Dot }).payload?.p;
    if (p) router.push(`/traces/${p.traceId}?span=${p.spanId}`);
  };
  return (
    <div className={styles.scatter} data-testid="duration-scatter">
      <ResponsiveContainer width="100%" height={260}>
        <ScatterChart margin={{ top: 12, right: 20, bottom: 8, left: 8 }}>
          <CartesianGrid stroke="#eef1f4" />
          <XAxis dataKey="t" type="number" domain={[from, to]} tickFormatter={(v: number) => clockTime(v).slice(0, 8)} tick={{ fontSize: 11 }} name="start" />
          <YAxis dataKey="d" type="number" scale="log" domain={["auto", "auto"]} allowDataOverflow tickFormatter={(v: number) => formatMs(v)} tick={{ fontSize: 11 }} width={70} name="duration" />
          <ZAxis range={[36, 36]} />
          <Tooltip content={<Tip />} cursor={{ strokeDasharray: "3 3" }} />
          <Scatter name="ok" data={dots(false)} fill="#2f6fed" fillOpacity={0.7} onClick={open} cursor="pointer" isAnimationActive={false} />
          <Scatter name="error" data={dots(true)} fill="#d92d20" fillOpacity={0.85} onClick={open} cursor="pointer" isAnimationActive={false} />
        </ScatterChart>
      </ResponsiveContainer>
      <div className={styles.scatterLegend}>
        <span>
          <i style={{ background: "#2f6fed" }} /> span
        </span>
        <span>
          <i style={{ background: "#d92d20" }} /> error
        </span>
        <span className="muted">duration (log scale) by start time · {points.length} matching spans</span>
      </div>
    </div>
  );
}
