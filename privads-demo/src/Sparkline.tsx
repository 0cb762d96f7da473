export interface SparkPoint {
  t: number;
  p: number;
}

/** A plain SVG line of probability over time, scaled to the visible range. */
export function Sparkline({ points, width = 300, height = 64 }: { points: readonly SparkPoint[]; width?: number; height?: number }) {
  if (points.length < 2) {
    return <svg className="sparkline" width={width} height={height} role="img" aria-label="probability over time (collecting)" />;
  }
  const t0 = points[0].t;
  const t1 = points[points.length - 1].t;
  const top = Math.min(1, Math.max(0.05, ...points.map((point) => point.p)) * 1.15);
  const x = (t: number) => (t1 > t0 ? ((t - t0) / (t1 - t0)) * (width - 4) + 2 : width / 2);
  const y = (p: number) => height - 2 - (p / top) * (height - 4);
  const line = points.map((point) => `${x(point.t).toFixed(1)},${y(point.p).toFixed(1)}`).join(" ");
  return (
    <svg className="sparkline" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label="probability over time">
      <line x1="0" x2={width} y1={y(0)} y2={y(0)} className="axis" />
      <polyline points={line} fill="none" className="trace" />
      <text x="2" y="11" className="label">{`${(top * 100).toFixed(0)}%`}</text>
      <text x={width - 2} y={height - 4} className="label" textAnchor="end">{`${(t1 - t0).toFixed(0)} s`}</text>
    </svg>
  );
}
