/**
 * The restriction `phi(a) = f(x + a p)` of an objective to a search line, evaluated at `a`:
 * writes `[phi(a), phi'(a), phi''(a)]` into `out` (length >= 3).
 */
export type LineFunction = (a: number, out: Float64Array) => void;

/** Outcome of {@link wolfeLineSearch}. */
export interface LineSearchResult {
  /** The accepted step; when not `accepted`, only where the search stopped. */
  step: number;
  /** Whether `step` meets the strong Wolfe conditions (with the rounding allowance). */
  accepted: boolean;
  /** `phi` evaluations made. */
  trials: number;
}

/** Armijo (sufficient decrease) constant of the strong Wolfe conditions. */
export const WOLFE_C1 = 1e-4;
/** Curvature constant: `|phi'(a)| <= c2 |phi'(0)|`; 0.1 asks for a fairly exact search. */
export const WOLFE_C2 = 0.1;
const MAX_TRIALS = 60;
// Near the optimum, `phi(a) - phi(0)` is below the rounding of `phi(0)` itself: a step whose
// value is within this relative allowance counts as a decrease (the curvature test still decides).
const ROUNDING_ALLOWANCE = 1e-12;

/**
 * Finds a step `a > 0` meeting the strong Wolfe conditions
 * `phi(a) <= phi(0) + c1 a phi'(0)` and `|phi'(a)| <= c2 |phi'(0)|` (c1 = 1e-4, c2 = 0.1) for
 * a descent direction (`phi'(0) < 0`). Starts at `a = 1` (the quasi-Newton step) and takes
 * safeguarded 1-D Newton steps `a - phi'(a) / phi''(a)` inside a bracket `[lo, hi]` that it
 * narrows as it goes: a trial that fails the decrease test or climbs (`phi' > 0`) becomes `hi`,
 * any other becomes `lo`. A Newton step outside the bracket is replaced by bisection, or by
 * quadrupling while no upper end is known. Built for a `phi` whose second derivative is cheap
 * (the logistic objective on cached margins), where Newton meets the curvature test in one or
 * two trials. Gives up (`accepted: false`) after 60 trials or once the bracket has shrunk to
 * rounding.
 */
export function wolfeLineSearch(phi: LineFunction, phi0: number, dphi0: number, values: Float64Array = new Float64Array(3)): LineSearchResult {
  let lo = 0;
  let hi = Infinity;
  let a = 1;
  for (let trial = 1; trial <= MAX_TRIALS; trial++) {
    phi(a, values);
    const fa = values[0];
    const da = values[1];
    const decrease = fa <= phi0 + WOLFE_C1 * a * dphi0 || fa <= phi0 + ROUNDING_ALLOWANCE * Math.abs(phi0);
    if (decrease && Math.abs(da) <= WOLFE_C2 * Math.abs(dphi0)) return { step: a, accepted: true, trials: trial };
    if (!decrease || da > 0) hi = a;
    else lo = a;
    let next = a - da / values[2];
    if (!(next > lo && next < hi) || !Number.isFinite(next)) next = hi === Infinity ? 4 * a : 0.5 * (lo + hi);
    if (hi < Infinity && hi - lo <= 1e-15 * hi) return { step: a, accepted: false, trials: trial };
    a = next;
  }
  return { step: a, accepted: false, trials: MAX_TRIALS };
}
