import { FEATURE_COUNT } from "./featureNames.js";

/** One degree-2 term: `[i, j]` is `z_i * z_j`; a linear term has `j = -1`. */
export type PolynomialTerm = readonly [number, number];

const TERMS_BY_WIDTH = new Map<number, ReadonlyArray<PolynomialTerm>>();

/**
 * The degree-2 term order for `d` standardised features, fixed by contract (docs/model.md):
 * `z_0 .. z_{d-1}`, then every product `z_i * z_j` with `i <= j`, `i` ascending, then `j`
 * ascending: 230 terms for the 20 features of the `seed` set, 377 for the 26 of `ads`.
 */
export function polynomialTerms(d: number): ReadonlyArray<PolynomialTerm> {
  let terms = TERMS_BY_WIDTH.get(d);
  if (terms === undefined) {
    const built: PolynomialTerm[] = [];
    for (let i = 0; i < d; i++) built.push([i, -1]);
    for (let i = 0; i < d; i++) for (let j = i; j < d; j++) built.push([i, j]);
    terms = Object.freeze(built);
    TERMS_BY_WIDTH.set(d, terms);
  }
  return terms;
}

/** Number of degree-2 terms of `d` features: `d + d (d + 1) / 2`. */
export function termCount(d: number): number {
  return d + (d * (d + 1)) / 2;
}

/** The `seed` set's terms (20 features, 230 terms). */
export const POLYNOMIAL_TERMS: ReadonlyArray<PolynomialTerm> = polynomialTerms(FEATURE_COUNT);

export const TERM_COUNT = POLYNOMIAL_TERMS.length; // 230

/** Human-readable term names of a feature list, e.g. `hover_count` and `hover_count*window_focused`. */
export function termNames(featureNames: readonly string[]): string[] {
  return polynomialTerms(featureNames.length).map(([i, j]) => (j < 0 ? featureNames[i] : `${featureNames[i]}*${featureNames[j]}`));
}

/**
 * Writes the degree-2 terms of one standardised row `z` (its first `d` values) into `out` at
 * `offset`. The loop mirrors {@link polynomialTerms} without reading it, for speed.
 */
export function expandPolynomial(z: ArrayLike<number>, out: Float64Array | number[], offset = 0, d: number = z.length): void {
  let k = offset;
  for (let i = 0; i < d; i++) out[k++] = z[i];
  for (let i = 0; i < d; i++) {
    const zi = z[i];
    for (let j = i; j < d; j++) out[k++] = zi * z[j];
  }
}
