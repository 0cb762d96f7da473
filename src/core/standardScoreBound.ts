/**
 * Standardised features are clamped to this many standard deviations before scoring, by the
 * reference scorer, the builtin runtime and a Clip node of the exported ONNX graph alike.
 * Real windows sit within a few dozen; without a bound, a caller passing 1e200 would square
 * it into Infinity, and Infinity - Infinity makes the probability NaN.
 */
export const MAX_STANDARD_SCORE = 1e6;

/** Clamps a standardised value to +/- {@link MAX_STANDARD_SCORE}. */
export function boundStandardScore(z: number): number {
  return z > MAX_STANDARD_SCORE ? MAX_STANDARD_SCORE : z < -MAX_STANDARD_SCORE ? -MAX_STANDARD_SCORE : z;
}
