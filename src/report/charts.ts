import * as Plot from "@observablehq/plot";
import { parseHTML } from "linkedom";
import type { Curve } from "../evaluation/curves.js";

/** Series names in the order (and colours) every chart uses. */
export const SERIES = ["heuristic", "plain_logistic", "degree2_seed", "degree2_logistic", "oracle"] as const;
const COLORS = ["#9e9e9e", "#f28e2b", "#b07aa1", "#4e79a7", "#59a14f"];

const WIDTH = 440;
const HEIGHT = 320;

type Marks = NonNullable<Plot.PlotOptions["marks"]>;

/** Renders Plot options to an SVG (or figure) string with a server-side DOM. */
function render(options: Plot.PlotOptions): string {
  const { document } = parseHTML("<!doctype html><html><body></body></html>");
  const node = Plot.plot({ ...options, document } as Plot.PlotOptions);
  return (node as unknown as { outerHTML: string }).outerHTML;
}

function curveRows(curves: Record<string, Curve>): Array<{ series: string; x: number; y: number }> {
  const rows: Array<{ series: string; x: number; y: number }> = [];
  for (const name of SERIES) {
    const curve = curves[name];
    if (curve === undefined) continue;
    curve.x.forEach((x, i) => rows.push({ series: name, x, y: curve.y[i] }));
  }
  return rows;
}

function colorScale(curves: Record<string, Curve>) {
  const present = SERIES.filter((s) => curves[s] !== undefined);
  return { domain: present, range: present.map((s) => COLORS[SERIES.indexOf(s)]), legend: true };
}

/** ROC curves of every series, with the chance diagonal. */
export function rocChart(curves: Record<string, Curve>): string {
  const marks: Marks = [
    Plot.line([[0, 0], [1, 1]], { stroke: "#bbb", strokeDasharray: "4,3" }),
    Plot.line(curveRows(curves), { x: "x", y: "y", stroke: "series", strokeWidth: 1.8 }),
  ];
  return render({
    width: WIDTH,
    height: HEIGHT,
    x: { domain: [0, 1], label: "false-positive rate" },
    y: { domain: [0, 1], label: "true-positive rate" },
    color: colorScale(curves),
    marks,
  });
}

/** Precision-recall curves of every series, with the base rate as a rule. */
export function prChart(curves: Record<string, Curve>, baseRate: number): string {
  return render({
    width: WIDTH,
    height: HEIGHT,
    x: { domain: [0, 1], label: "recall" },
    y: { domain: [0, 1], label: "precision" },
    color: colorScale(curves),
    marks: [
      Plot.ruleY([baseRate], { stroke: "#bbb", strokeDasharray: "4,3" }),
      Plot.line(curveRows(curves), { x: "x", y: "y", stroke: "series", strokeWidth: 1.8 }),
    ],
  });
}

/** Reliability curve: mean predicted vs observed rate per bin (dot area ~ windows), diagonal = perfect. */
export function reliabilityChart(bins: Array<{ count: number; mean_predicted: number | null; observed_rate: number | null }>): string {
  const points = bins.filter((b) => b.count > 0).map((b) => ({ p: b.mean_predicted!, o: b.observed_rate!, count: b.count }));
  const top = Math.min(1, Math.max(0.1, ...points.map((d) => Math.max(d.p, d.o))) * 1.1);
  return render({
    width: WIDTH,
    height: HEIGHT,
    x: { domain: [0, top], label: "mean predicted probability" },
    y: { domain: [0, top], label: "observed click rate" },
    r: { range: [2, 12] },
    marks: [
      Plot.line([[0, 0], [top, top]], { stroke: "#bbb", strokeDasharray: "4,3" }),
      Plot.line(points, { x: "p", y: "o", stroke: "#4e79a7" }),
      Plot.dot(points, { x: "p", y: "o", r: "count", fill: "#4e79a7", fillOpacity: 0.6, stroke: "#4e79a7" }),
    ],
  });
}

/** Horizontal bars, largest first. */
export function barChart(values: Array<{ name: string; value: number; sd?: number }>, label: string, color: string): string {
  const sorted = [...values].sort((a, b) => b.value - a.value || (a.name < b.name ? -1 : 1));
  const marks: Marks = [
    Plot.barX(sorted, { x: "value", y: "name", fill: color }),
    Plot.ruleX([0], { stroke: "#666" }),
  ];
  if (sorted.some((d) => d.sd !== undefined && d.sd > 0)) {
    marks.push(Plot.link(sorted, { x1: (d: { value: number; sd?: number }) => d.value - (d.sd ?? 0), x2: (d: { value: number; sd?: number }) => d.value + (d.sd ?? 0), y1: "name", y2: "name", stroke: "#333" }));
  }
  return render({
    width: WIDTH,
    height: 24 + sorted.length * 18,
    marginLeft: 180,
    x: { label, grid: true },
    y: { domain: sorted.map((d) => d.name), label: null },
    marks,
  });
}

type PathRow = { C: number; roc_auc_mean: number; roc_auc_std: number };

/**
 * The regularisation path: mean fold ROC AUC against C (log scale) with a +/- 1 sd band, the
 * chosen C in red, and the plain model's CV ROC AUC on the same folds as a dashed reference.
 */
export function regularisationPathChart(path: PathRow[], chosen: number, plain: number): string {
  return render({
    width: WIDTH,
    height: 260,
    x: { type: "log", label: "C (inverse L2 strength)" },
    y: { label: "CV ROC AUC", grid: true },
    marks: [
      Plot.areaY(path, { x: "C", y1: (d: PathRow) => d.roc_auc_mean - d.roc_auc_std, y2: (d: PathRow) => d.roc_auc_mean + d.roc_auc_std, fill: "#4e79a7", fillOpacity: 0.15 }),
      Plot.ruleY([plain], { stroke: COLORS[1], strokeDasharray: "4,3" }),
      Plot.text([{ C: path[0].C, y: plain }], { x: "C", y: "y", text: () => "plain model", textAnchor: "start", dy: -6, fill: COLORS[1] }),
      Plot.line(path, { x: "C", y: "roc_auc_mean", stroke: "#4e79a7" }),
      Plot.dot(path, { x: "C", y: "roc_auc_mean", fill: (d: PathRow) => (d.C === chosen ? "#e15759" : "#4e79a7"), r: 4 }),
    ],
  });
}
