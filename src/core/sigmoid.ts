// The logistic function and its relatives in one overflow-free form. Every one is written
// on `e = exp(-|x|)`, which lies in (0, 1] for every finite x: nothing overflows, and the
// small tail (`e / (1 + e)` for x < 0) keeps its full relative precision instead of being
// `1 - (something close to 1)`. Hot loops compute `e` once and pass it to several of the
// `...FromExp` forms; the plain forms compute it themselves.

/** `exp(-|x|)`: the one exponential the forms below share. */
export function expNegAbs(x: number): number {
  return Math.exp(-Math.abs(x));
}

/** `sigmoid(x)` given `e = exp(-|x|)`. */
export function sigmoidFromExp(x: number, e: number): number {
  return x >= 0 ? 1 / (1 + e) : e / (1 + e);
}

/** `softplus(x) = log(1 + exp(x)) = max(x, 0) + log1p(exp(-|x|))` given `e = exp(-|x|)`. */
export function softplusFromExp(x: number, e: number): number {
  return (x > 0 ? x : 0) + Math.log1p(e);
}

/**
 * `weight * sigmoid'(x)`, where `sigmoid'(x) = sigmoid(x) (1 - sigmoid(x)) = e / (1 + e)^2`
 * given `e = exp(-|x|)` (even in x); the weight goes into the numerator, so a weighted
 * Hessian term costs one rounding fewer. Unlike `p (1 - p)` it does not round to 0 once `p`
 * rounds to 1 (x above ~37).
 */
export function sigmoidSlopeFromExp(e: number, weight = 1): number {
  return (weight * e) / ((1 + e) * (1 + e));
}

/** Logistic function `1 / (1 + exp(-x))`, written so neither branch overflows. */
export function sigmoid(x: number): number {
  return sigmoidFromExp(x, expNegAbs(x));
}

/**
 * `softplus(x) = log(1 + exp(x))`, without overflow; the log loss of margin `t` is
 * `softplus(-t)` for a positive label and `softplus(t)` for a negative one.
 */
export function softplus(x: number): number {
  return softplusFromExp(x, expNegAbs(x));
}
