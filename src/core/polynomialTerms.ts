import { FEATURE_COUNT } from "./featureNames.js";

/**
 * The degree-2 term order, fixed by contract: the 20 standardised features z_0..z_19,
 * then every product z_i * z_j with i <= j, i ascending, then j ascending (210 terms).
 * Each term is `[i, j]`; linear terms have `j = -1`.
 */
export const POLYNOMIAL_TERMS: ReadonlyArray<readonly [number, number]> = Object.freeze(buildTerms(FEATURE_COUNT));

export const TERM_COUNT = POLYNOMIAL_TERMS.length; // 230

function buildTerms(d: number): Array<readonly [number, number]> {
  const terms: Array<readonly [number, number]> = [];
  for (let i = 0; i < d; i++) terms.push([i, -1]);
  for (let i = 0; i < d; i++) for (let j = i; j < d; j++) terms.push([i, j]);
  return terms;
}

/** Human-readable term names, e.g. `hover_count` and `hover_count*window_focused`. */
export function termNames(featureNames: readonly string[]): string[] {
  return POLYNOMIAL_TERMS.map(([i, j]) => (j < 0 ? featureNames[i] : `${featureNames[i]}*${featureNames[j]}`));
}

/**
 * Writes the 230 terms of one standardised row `z` (length 20) into `out` at `offset`.
 * The loop mirrors {@link POLYNOMIAL_TERMS} without reading it, for speed.
 */
export function expandPolynomial(z: ArrayLike<number>, out: Float64Array | number[], offset = 0): void {
  // A local bound: loops over a module-level binding stayed unoptimised far longer in V8.
  const d = FEATURE_COUNT;
  let k = offset;
  for (let i = 0; i < d; i++) out[k++] = z[i];
  for (let i = 0; i < d; i++) {
    const zi = z[i];
    for (let j = i; j < d; j++) out[k++] = zi * z[j];
  }
}
