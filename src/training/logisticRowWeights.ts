import { TooFewOfAClassError } from "./tooFewOfAClass.js";
/** The rows a logistic fit uses: labels and weights in row-subset order. @internal */
export interface LogisticRows {
  labels: Uint8Array;
  /** Class weight times sample weight, per row used. */
  weights: Float64Array;
  /** Total weight of the positive rows and of all rows. */
  positiveWeight: number;
  weightSum: number;
}

/**
 * Labels and weights of the rows `rowIndex` of `y`. `"balanced"` weighs class c by
 * `m / (2 m_c)` counted on these `m` rows (scikit-learn's `compute_class_weight("balanced")`),
 * `null` by 1; `sampleWeight` (indexed like `y`) multiplies in. Throws `RangeError` (messages
 * prefixed with `where`) on a label other than 0/1, a single class, a negative or non-finite
 * sample weight, or a class whose total weight is 0. @internal
 */
export function logisticRowWeights(
  y: Uint8Array,
  rowIndex: Int32Array,
  classWeight: "balanced" | null,
  sampleWeight: Float64Array | undefined,
  where: string,
): LogisticRows {
  const m = rowIndex.length;
  const labels = new Uint8Array(m);
  let positives = 0;
  for (let k = 0; k < m; k++) {
    const v = y[rowIndex[k]];
    if (v !== 0 && v !== 1) throw new RangeError(`${where}: y[${rowIndex[k]}] = ${v}, labels must be 0 or 1`);
    labels[k] = v;
    positives += v;
  }
  const negatives = m - positives;
  if (positives === 0 || negatives === 0) {
    throw new TooFewOfAClassError(`${where}: need both classes in the rows used, got ${positives} positives and ${negatives} negatives`);
  }
  const classW1 = classWeight === "balanced" ? m / (2 * positives) : 1;
  const classW0 = classWeight === "balanced" ? m / (2 * negatives) : 1;
  if (sampleWeight !== undefined && sampleWeight.length !== y.length) {
    throw new RangeError(`${where}: sampleWeight has ${sampleWeight.length} values, expected n = ${y.length}`);
  }
  const weights = new Float64Array(m);
  let weightSum = 0;
  let positiveWeight = 0;
  for (let k = 0; k < m; k++) {
    let wk = labels[k] === 1 ? classW1 : classW0;
    if (sampleWeight !== undefined) {
      const s = sampleWeight[rowIndex[k]];
      if (!(s >= 0) || !Number.isFinite(s)) throw new RangeError(`${where}: sampleWeight[${rowIndex[k]}] = ${s} must be finite and >= 0`);
      wk *= s;
    }
    weights[k] = wk;
    weightSum += wk;
    if (labels[k] === 1) positiveWeight += wk;
  }
  if (!(positiveWeight > 0) || !(weightSum - positiveWeight > 0)) {
    throw new RangeError(`${where}: each class needs positive total sample weight`);
  }
  return { labels, weights, positiveWeight, weightSum };
}
