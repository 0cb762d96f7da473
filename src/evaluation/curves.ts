import { orderDescending, rocAuc } from "../training/classificationMetrics.js";

/** A curve as parallel coordinate lists (compact in JSON). */
export interface Curve {
  x: number[];
  y: number[];
}

/** Operating points (fp, tp) after each distinct score, from high to low (tied scores enter together). */
function operatingPoints(scores: ArrayLike<number>, y: Uint8Array): { fp: number[]; tp: number[]; positives: number; negatives: number } {
  if (scores.length !== y.length) throw new RangeError(`curve: ${scores.length} scores but ${y.length} labels`);
  const order = orderDescending(scores);
  const fp = [0];
  const tp = [0];
  let f = 0;
  let t = 0;
  let i = 0;
  while (i < order.length) {
    const s = scores[order[i]];
    while (i < order.length && scores[order[i]] === s) {
      if (y[order[i]] === 1) t++;
      else f++;
      i++;
    }
    fp.push(f);
    tp.push(t);
  }
  return { fp, tp, positives: t, negatives: f };
}

/** Keeps about `maxPoints` points, evenly spread over the index, always the first and last. */
function thin(x: number[], y: number[], maxPoints: number): Curve {
  if (x.length <= maxPoints) return { x, y };
  const keepX: number[] = [];
  const keepY: number[] = [];
  const step = (x.length - 1) / (maxPoints - 1);
  for (let k = 0; k < maxPoints; k++) {
    const i = Math.round(k * step);
    keepX.push(x[i]);
    keepY.push(y[i]);
  }
  return { x: keepX, y: keepY };
}

/**
 * ROC curve (false-positive rate, true-positive rate) from (0, 0) to (1, 1), thinned to at
 * most `maxPoints` points for plotting. Needs both classes.
 */
export function rocCurve(scores: ArrayLike<number>, y: Uint8Array, maxPoints = 120): Curve {
  rocAuc(scores, y); // validates input and classes
  const { fp, tp, positives, negatives } = operatingPoints(scores, y);
  return thin(fp.map((v) => v / negatives), tp.map((v) => v / positives), maxPoints);
}

/** Precision-recall curve (recall, precision) from the highest threshold down, thinned like {@link rocCurve}. */
export function prCurve(scores: ArrayLike<number>, y: Uint8Array, maxPoints = 120): Curve {
  rocAuc(scores, y);
  const { fp, tp, positives } = operatingPoints(scores, y);
  const x: number[] = [];
  const yy: number[] = [];
  for (let k = 1; k < fp.length; k++) {
    x.push(tp[k] / positives);
    yy.push(tp[k] / (tp[k] + fp[k]));
  }
  return thin(x, yy, maxPoints);
}
