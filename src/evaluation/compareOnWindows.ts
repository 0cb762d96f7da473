import { type Curve, prCurve, rocCurve } from "./curves.js";
import type { HeldOutPredictions } from "./heldOutPredictions.js";
import { type MetricSummary, metricSummary } from "./metricSummary.js";

/**
 * The predictors of the comparison table, in table order: `degree2_logistic` is the shipped
 * model (of its feature set); `degree2_seed` the degree-2 model on the 20 `seed` features
 * beside a shipped `ads` model (absent when the shipped model is the seed set's).
 */
const PREDICTORS = ["heuristic", "plain_logistic", "degree2_seed", "degree2_logistic", "oracle"] as const;
export type Predictor = (typeof PREDICTORS)[number];

/** One comparison row per predictor, on one set of windows. */
export interface Comparison {
  /** Which windows: the oracle's sample of the held-out windows, or all held-out windows. */
  windows: "oracle_sample" | "held_out";
  nSamples: number;
  nPositive: number;
  /** Per predictor; the oracle's only when it was run, the seed model's only beside an ads model. */
  rows: Partial<Record<Predictor, MetricSummary>>;
  /** ROC (fpr, tpr) and PR (recall, precision) curves of each row, thinned for plotting. */
  curves: { roc: Partial<Record<Predictor, Curve>>; pr: Partial<Record<Predictor, Curve>> };
}

/**
 * The comparison table on a subset of the held-out windows (`positions` into `heldOut`, or
 * all of them when null), with the oracle's probabilities for those windows when given.
 */
export function compareOnWindows(heldOut: HeldOutPredictions, positions: Int32Array | null, oracle: Float64Array | null): Comparison {
  const idx = positions ?? Int32Array.from(heldOut.rows, (_, i) => i);
  const labels = Uint8Array.from(idx, (i) => heldOut.labels[i]);
  const pick = (values: Float64Array) => Float64Array.from(idx, (i) => values[i]);
  const series: Partial<Record<Predictor, Float64Array>> = {
    heuristic: pick(heldOut.heuristic),
    plain_logistic: pick(heldOut.plain),
    degree2_logistic: pick(heldOut.model),
  };
  if (heldOut.seedModel !== null) series.degree2_seed = pick(heldOut.seedModel);
  if (oracle !== null) {
    if (oracle.length !== idx.length) throw new RangeError(`compareOnWindows: ${oracle.length} oracle values for ${idx.length} windows`);
    series.oracle = oracle;
  }
  const comparison: Comparison = {
    windows: positions === null ? "held_out" : "oracle_sample",
    nSamples: idx.length,
    nPositive: labels.reduce((a, b) => a + b, 0),
    rows: {},
    curves: { roc: {}, pr: {} },
  };
  for (const name of PREDICTORS) {
    const p = series[name];
    if (p === undefined) continue;
    comparison.rows[name] = metricSummary(p, labels);
    comparison.curves.roc[name] = rocCurve(p, labels);
    comparison.curves.pr[name] = prCurve(p, labels);
  }
  return comparison;
}
