import { orderDescending } from "../training/classificationMetrics.js";
import { SeededRandom } from "../random/seededRandom.js";

/**
 * ROC AUC with non-negative integer row weights (a bootstrap resample as counts), ties
 * counting one half, from a precomputed descending `order` of `scores`. NaN without both classes.
 */
export function weightedRocAuc(order: Int32Array, scores: ArrayLike<number>, y: Uint8Array, w: Float64Array): number {
  let positives = 0;
  let negatives = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] === 1) positives += w[i];
    else negatives += w[i];
  }
  if (positives === 0 || negatives === 0) return NaN;
  let negativesAbove = 0;
  let pairs = 0;
  let i = 0;
  while (i < order.length) {
    const s = scores[order[i]];
    let tiedPos = 0;
    let tiedNeg = 0;
    while (i < order.length && scores[order[i]] === s) {
      const r = order[i];
      if (y[r] === 1) tiedPos += w[r];
      else tiedNeg += w[r];
      i++;
    }
    pairs += tiedPos * (negatives - negativesAbove - tiedNeg + 0.5 * tiedNeg);
    negativesAbove += tiedNeg;
  }
  return pairs / (positives * negatives);
}

/**
 * 95 % percentile interval of `AUC(a) / AUC(b)` over `resamples` bootstrap resamples of the
 * groups (sessions: windows of one session are resampled together, since they are
 * correlated). Seeded, so the interval is reproducible.
 */
export function bootstrapAucRatio(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  y: Uint8Array,
  groups: Int32Array,
  options: { seed: number; resamples?: number },
): [number, number] {
  const resamples = options.resamples ?? 1000;
  const n = y.length;
  const ids = new Map<number, number>();
  const groupOf = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let g = ids.get(groups[i]);
    if (g === undefined) {
      g = ids.size;
      ids.set(groups[i], g);
    }
    groupOf[i] = g;
  }
  const G = ids.size;
  const orderA = orderDescending(a);
  const orderB = orderDescending(b);
  const rng = new SeededRandom(options.seed >>> 0);
  const counts = new Float64Array(G);
  const w = new Float64Array(n);
  const ratios: number[] = [];
  for (let s = 0; s < resamples; s++) {
    counts.fill(0);
    for (let k = 0; k < G; k++) counts[Math.floor(rng.uniform() * G)]++;
    for (let i = 0; i < n; i++) w[i] = counts[groupOf[i]];
    const ratio = weightedRocAuc(orderA, a, y, w) / weightedRocAuc(orderB, b, y, w);
    if (Number.isFinite(ratio)) ratios.push(ratio);
  }
  ratios.sort((x, z) => x - z);
  const at = (q: number) => ratios[Math.min(ratios.length - 1, Math.max(0, Math.round(q * (ratios.length - 1))))];
  return [at(0.025), at(0.975)];
}
