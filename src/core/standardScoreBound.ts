/**
 * Standardised features are clamped to this many standard deviations before scoring.
 * Real windows sit within a few dozen; without a bound, a caller passing 1e200 would square
 * it into Infinity, and Infinity - Infinity makes the probability NaN.
 */
export const MAX_STANDARD_SCORE = 1e6;

/** Clamps a standardised value to +/- {@link MAX_STANDARD_SCORE}. */
export function boundStandardScore(z: number): number {
  return z > MAX_STANDARD_SCORE ? MAX_STANDARD_SCORE : z < -MAX_STANDARD_SCORE ? -MAX_STANDARD_SCORE : z;
}

/**
 * Clamps raw feature rows (row-major, 20 per row) in place so that every standardised value
 * lies within the bound: every runtime, the ONNX graph included, then stays finite.
 * Returns whether anything changed.
 */
export function boundRawFeatures(rows: Float64Array | Float32Array, mean: ArrayLike<number>, scale: ArrayLike<number>): boolean {
  const d = mean.length;
  let changed = false;
  for (let k = 0; k < rows.length; k++) {
    const i = k % d;
    const lo = mean[i] - MAX_STANDARD_SCORE * scale[i];
    const hi = mean[i] + MAX_STANDARD_SCORE * scale[i];
    const v = rows[k];
    if (v < lo || v > hi) {
      rows[k] = v < lo ? lo : hi;
      changed = true;
    }
  }
  return changed;
}
