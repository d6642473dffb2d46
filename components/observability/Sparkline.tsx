/** A tiny inline line chart (SVG) of a series; gaps (null) break the line, a lone point is a dot. */
export function Sparkline({ values, color = "#2f6fed", width = 110, height = 26, label }: { values: (number | null)[]; color?: string; width?: number; height?: number; label: string }) {
  const finite = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const max = Math.max(0, ...finite);
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  const y = (v: number) => (max > 0 ? height - 2 - ((height - 4) * v) / max : height - 2);
  const runs: { x: number; y: number }[][] = [[]];
  values.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) runs.push([]);
    else runs[runs.length - 1]!.push({ x: i * step, y: y(v) });
  });
  return (
    <svg className="spark" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label} data-points={finite.length}>
      <line x1={0} x2={width} y1={height - 1.5} y2={height - 1.5} stroke="#e3e7ec" strokeWidth={1} />
      {runs
        .filter((r) => r.length > 0)
        .map((r, i) =>
          r.length === 1 ? (
            <circle key={i} cx={r[0]!.x} cy={r[0]!.y} r={1.8} fill={color} />
          ) : (
            <path key={i} d={r.map((p, j) => `${j ? "L" : "M"}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join("")} fill="none" stroke={color} strokeWidth={1.5} strokeLinejoin="round" strokeLinecap="round" />
          ),
        )}
    </svg>
  );
}
