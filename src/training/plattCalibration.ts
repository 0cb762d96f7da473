import { expNegAbs, sigmoid, sigmoidFromExp, sigmoidSlopeFromExp, softplus } from "../core/sigmoid.js";
import { TooFewOfAClassError } from "./tooFewOfAClass.js";

/** `p = sigmoid(slope * margin + intercept)`. */
export interface PlattCalibration {
  slope: number;
  intercept: number;
}

/** The calibrated probabilities of `margins` (the formula `scoreModel` ends with). */
export function calibrate(margins: Float64Array, c: PlattCalibration): Float64Array {
  return margins.map((m) => sigmoid(c.slope * m + c.intercept));
}

/**
 * Platt scaling: unweighted logistic regression of `y` on the margin, solved by 2-parameter
 * Newton with step halving. The balanced-weight model's probabilities are centred on a 50 %
 * base rate; fitted on out-of-fold margins, this maps them back to the true rate (and fixes
 * any over- or under-confidence). When the classes are separable by the margin (the
 * unpenalised optimum is at infinity) a tiny ridge `1e-6 * n * slope^2 / 2` keeps it finite;
 * otherwise there is no penalty. Throws `RangeError` on a length mismatch, a non-finite
 * margin or a single class.
 */
export function fitPlattCalibration(margins: Float64Array, y: Uint8Array): PlattCalibration {
  const n = margins.length;
  if (y.length !== n) throw new RangeError(`fitPlattCalibration: ${n} margins but ${y.length} labels`);
  let positives = 0;
  let minPos = Infinity;
  let maxPos = -Infinity;
  let minNeg = Infinity;
  let maxNeg = -Infinity;
  for (let i = 0; i < n; i++) {
    const m = margins[i];
    if (!Number.isFinite(m)) throw new RangeError(`fitPlattCalibration: margins[${i}] = ${m} is not finite`);
    if (y[i] === 1) {
      positives++;
      minPos = Math.min(minPos, m);
      maxPos = Math.max(maxPos, m);
    } else if (y[i] === 0) {
      minNeg = Math.min(minNeg, m);
      maxNeg = Math.max(maxNeg, m);
    } else {
      throw new RangeError(`fitPlattCalibration: y[${i}] = ${y[i]}, labels must be 0 or 1`);
    }
  }
  if (positives === 0 || positives === n) {
    throw new TooFewOfAClassError(`fitPlattCalibration: need both classes, got ${positives} positives of ${n}`);
  }
  // Separable (or quasi-separable) in 1-D: a threshold puts every positive on one side.
  const separable = minPos >= maxNeg || maxPos <= minNeg;
  const ridge = separable ? 1e-6 * n : 0;

  const objective = (a: number, b: number): number => {
    let f = 0.5 * ridge * a * a;
    for (let i = 0; i < n; i++) {
      const t = a * margins[i] + b;
      const u = y[i] === 1 ? -t : t;
      f += softplus(u);
    }
    return f;
  };
  let a = 1;
  let b = 0;
  let f = objective(a, b);
  for (let iter = 0; iter < 100; iter++) {
    let ga = ridge * a;
    let gb = 0;
    let haa = ridge;
    let hab = 0;
    let hbb = 0;
    for (let i = 0; i < n; i++) {
      const m = margins[i];
      const t = a * m + b;
      const e = expNegAbs(t);
      const r = sigmoidFromExp(t, e) - y[i];
      const h = sigmoidSlopeFromExp(e);
      ga += r * m;
      gb += r;
      haa += h * m * m;
      hab += h * m;
      hbb += h;
    }
    if (Math.max(Math.abs(ga), Math.abs(gb)) <= 1e-12 * n) break;
    const det = haa * hbb - hab * hab;
    if (!(det > 0)) break;
    const da = -(hbb * ga - hab * gb) / det;
    const db = -(haa * gb - hab * ga) / det;
    // At round-off level the step no longer changes anything: done.
    if (Math.abs(da) <= 1e-14 * (1 + Math.abs(a)) && Math.abs(db) <= 1e-14 * (1 + Math.abs(b))) break;
    let step = 1;
    let next = objective(a + da, b + db);
    // Only a strict decrease counts: equal objectives at round-off would otherwise spin here.
    while (!(next < f) && step > 1e-10) {
      step *= 0.5;
      next = objective(a + step * da, b + step * db);
    }
    if (!(next < f)) break;
    a += step * da;
    b += step * db;
    f = next;
  }
  return { slope: a, intercept: b };
}
