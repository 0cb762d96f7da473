import { TooFewOfAClassError } from "./tooFewOfAClass.js";
/**
 * Binary classification metrics with scikit-learn's definitions, so the numbers in the
 * report can be compared with the original Python system's. Scores and probabilities are
 * any `ArrayLike<number>`; labels are 0/1. Length mismatches, empty input, labels other
 * than 0/1 and metrics undefined for a single class throw `RangeError`.
 */

const EPS = 1e-15;

function checkInputs(name: string, scores: ArrayLike<number>, y: Uint8Array | ArrayLike<number>): number {
  if (scores.length !== y.length) throw new RangeError(`${name}: ${scores.length} scores but ${y.length} labels`);
  if (scores.length === 0) throw new RangeError(`${name}: empty input`);
  let positives = 0;
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (v !== 0 && v !== 1) throw new RangeError(`${name}: y[${i}] = ${v}, labels must be 0 or 1`);
    positives += v;
    if (Number.isNaN(scores[i])) throw new RangeError(`${name}: scores[${i}] is NaN`);
  }
  return positives;
}

function needBothClasses(name: string, positives: number, n: number): void {
  if (positives === 0 || positives === n) {
    throw new TooFewOfAClassError(`${name}: undefined with a single class (${positives} positives of ${n})`);
  }
}

/**
 * Row indices sorted by score, descending (ties keep index order).
 * @internal shared with the report's curves and the bootstrap.
 */
export function orderDescending(scores: ArrayLike<number>): Int32Array {
  const order = Int32Array.from({ length: scores.length }, (_, i) => i);
  order.sort((a, b) => scores[b] - scores[a] || a - b);
  return order;
}

/**
 * Area under the ROC curve: the probability that a random positive scores above a random
 * negative, ties counting one half (Mann-Whitney U). O(n log n).
 */
export function rocAuc(scores: ArrayLike<number>, y: Uint8Array | ArrayLike<number>): number {
  const positives = checkInputs("rocAuc", scores, y);
  const n = scores.length;
  needBothClasses("rocAuc", positives, n);
  // Each class's scores sorted with the native numeric sort, then merged: several times
  // faster than sorting indices with a comparator (the permutation importance calls this a lot).
  const negatives = n - positives;
  const pos = new Float64Array(positives);
  const neg = new Float64Array(negatives);
  for (let i = 0, a = 0, b = 0; i < n; i++) {
    if (y[i] === 1) pos[a++] = scores[i];
    else neg[b++] = scores[i];
  }
  pos.sort();
  neg.sort();
  // For each positive: the negatives strictly below it, plus half of the tied ones.
  let below = 0;
  let upTo = 0;
  let pairs = 0;
  for (let k = 0; k < positives; k++) {
    const s = pos[k];
    while (below < negatives && neg[below] < s) below++;
    if (upTo < below) upTo = below;
    while (upTo < negatives && neg[upTo] <= s) upTo++;
    pairs += below + 0.5 * (upTo - below);
  }
  return pairs / (positives * negatives);
}

/**
 * Average precision, as scikit-learn's `average_precision_score`: over the distinct score
 * thresholds from high to low, `sum (R_k - R_{k-1}) P_k` (a step function, no
 * interpolation; tied scores enter together). Undefined without positives.
 */
export function prAuc(scores: ArrayLike<number>, y: Uint8Array | ArrayLike<number>): number {
  const positives = checkInputs("prAuc", scores, y);
  const n = scores.length;
  if (positives === 0) throw new RangeError(`prAuc: undefined without positives (0 of ${n})`);
  const order = orderDescending(scores);
  let tp = 0;
  let fp = 0;
  let ap = 0;
  let i = 0;
  while (i < n) {
    const s = scores[order[i]];
    let newTp = 0;
    while (i < n && scores[order[i]] === s) {
      if (y[order[i]] === 1) newTp++;
      else fp++;
      i++;
    }
    tp += newTp;
    if (newTp > 0) ap += (newTp / positives) * (tp / (tp + fp));
  }
  return ap;
}

/** Mean negative log-likelihood; p is clipped to [1e-15, 1 - 1e-15] as scikit-learn does. */
export function logLoss(p: ArrayLike<number>, y: Uint8Array | ArrayLike<number>): number {
  checkInputs("logLoss", p, y);
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    const q = Math.min(1 - EPS, Math.max(EPS, p[i]));
    s -= y[i] === 1 ? Math.log(q) : Math.log1p(-q);
  }
  return s / p.length;
}

/**
 * Normalised entropy (He et al., 2014): log loss divided by the entropy of the observed base
 * rate, i.e. relative to always predicting that rate. Below 1 means better than the prior.
 */
export function normalizedEntropy(p: ArrayLike<number>, y: Uint8Array | ArrayLike<number>): number {
  const positives = checkInputs("normalizedEntropy", p, y);
  const n = p.length;
  needBothClasses("normalizedEntropy", positives, n);
  const r = positives / n;
  const entropy = -(r * Math.log(r) + (1 - r) * Math.log1p(-r));
  return logLoss(p, y) / entropy;
}

/** Mean squared error of the probabilities. */
export function brierScore(p: ArrayLike<number>, y: Uint8Array | ArrayLike<number>): number {
  checkInputs("brierScore", p, y);
  let s = 0;
  for (let i = 0; i < p.length; i++) s += (p[i] - y[i]) ** 2;
  return s / p.length;
}

/** Mean predicted probability / observed positive rate (1 = calibrated in the large). */
export function calibrationRatio(p: ArrayLike<number>, y: Uint8Array | ArrayLike<number>): number {
  const positives = checkInputs("calibrationRatio", p, y);
  if (positives === 0) throw new RangeError("calibrationRatio: undefined without positives");
  let s = 0;
  for (let i = 0; i < p.length; i++) s += p[i];
  return s / positives;
}

/** One bin of a reliability curve; `meanPredicted`/`observedRate` are null when `count` is 0. */
export interface ReliabilityBin {
  lower: number;
  upper: number;
  count: number;
  meanPredicted: number | null;
  observedRate: number | null;
}

/**
 * Reliability curve over `bins` equal-width bins of [0, 1]: bin b holds
 * `b / bins <= p < (b + 1) / bins` (p = 1 goes to the last bin). Every bin is returned, empty
 * ones with count 0 and null means.
 */
export function reliabilityCurve(p: ArrayLike<number>, y: Uint8Array | ArrayLike<number>, bins = 10): ReliabilityBin[] {
  checkInputs("reliabilityCurve", p, y);
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`reliabilityCurve: bins must be a positive integer, got ${bins}`);
  const count = new Float64Array(bins);
  const sumP = new Float64Array(bins);
  const sumY = new Float64Array(bins);
  for (let i = 0; i < p.length; i++) {
    const v = p[i];
    if (!(v >= 0 && v <= 1)) throw new RangeError(`reliabilityCurve: p[${i}] = ${v} is not a probability`);
    const b = Math.min(bins - 1, Math.floor(v * bins));
    count[b]++;
    sumP[b] += v;
    sumY[b] += y[i];
  }
  return Array.from({ length: bins }, (_, b) => ({
    lower: b / bins,
    upper: (b + 1) / bins,
    count: count[b],
    meanPredicted: count[b] > 0 ? sumP[b] / count[b] : null,
    observedRate: count[b] > 0 ? sumY[b] / count[b] : null,
  }));
}

/**
 * Expected calibration error: `sum_b (n_b / n) |mean p_b - rate_b|` over the equal-width
 * bins of {@link reliabilityCurve}.
 */
export function expectedCalibrationError(p: ArrayLike<number>, y: Uint8Array | ArrayLike<number>, bins = 10): number {
  const curve = reliabilityCurve(p, y, bins);
  let s = 0;
  for (const bin of curve) {
    if (bin.count > 0) s += bin.count * Math.abs(bin.meanPredicted! - bin.observedRate!);
  }
  return s / p.length;
}
