import { termCount } from "../core/polynomialTerms.js";

/**
 * The weighted Gram of degree-2 rows, `sum_s w_s c_s c_s^T` with `c = (t - mu, 1)` and `t` the
 * terms of a standardised row `z` (polynomialTerms order: `z_i`, then `z_i z_j`, i <= j), from
 * the weighted sums of every monomial of degree <= 4 in `z`. Every Gram entry is one such sum
 * (`t_a t_b` multiplies at most four z's), and there are 27,405 of them for 26 features against
 * 71,631 entries in the Gram's triangle: a row costs about 27,000 multiply-adds instead of
 * 71,000. Centring is applied to the sums afterwards. @internal
 */
export class Degree2Gram {
  readonly F: number;
  readonly d: number;
  /** Sums by monomial: degree 0, then 1, 2, 3, 4, each in nested ascending-index order. */
  private readonly sums: Float64Array;
  private readonly start: Int32Array; // offset of each degree's block in `sums`
  /** For each Gram entry (lower triangle, row-major D x D), its monomial's index in `sums`. */
  private readonly entry: Int32Array;
  /** For each column a < d, the monomial index of t_a itself (its weighted sum). */
  private readonly single: Int32Array;

  constructor(F: number) {
    this.F = F;
    this.d = termCount(F);
    const count = (k: number) => binomial(F + k - 1, k);
    this.start = Int32Array.of(0, 1, 1 + count(1), 1 + count(1) + count(2), 1 + count(1) + count(2) + count(3));
    this.sums = new Float64Array(this.start[4] + count(4));
    const index = monomialIndex(F, this.start);
    const factors: number[][] = [];
    for (let i = 0; i < F; i++) factors.push([i]);
    for (let i = 0; i < F; i++) for (let j = i; j < F; j++) factors.push([i, j]);
    factors.push([]); // the intercept
    const D = this.d + 1;
    this.entry = new Int32Array(D * D);
    for (let a = 0; a < D; a++) {
      for (let b = 0; b <= a; b++) this.entry[a * D + b] = index([...factors[a], ...factors[b]]);
    }
    this.single = Int32Array.from({ length: this.d }, (_, a) => index(factors[a]));
  }

  /** Starts a new estimate. */
  reset(): void {
    this.sums.fill(0);
  }

  /**
   * Adds four standardised rows, `z[0..F)`, `z[F..2F)`, `z[2F..3F)`, `z[3F..4F)`, with weights
   * `w0..w3` (0 for an unused slot): each sum is loaded and stored once per four rows.
   */
  add4(z: Float64Array, w0: number, w1: number, w2: number, w3: number): void {
    const { F, sums, start } = this;
    const F2 = 2 * F;
    const F3 = 3 * F;
    sums[0] += w0 + w1 + w2 + w3;
    let p1 = start[1];
    let p2 = start[2];
    let p3 = start[3];
    let p4 = start[4];
    for (let i = 0; i < F; i++) {
      const a0 = w0 * z[i];
      const a1 = w1 * z[F + i];
      const a2 = w2 * z[F2 + i];
      const a3 = w3 * z[F3 + i];
      sums[p1++] += a0 + a1 + a2 + a3;
      for (let j = i; j < F; j++) {
        const b0 = a0 * z[j];
        const b1 = a1 * z[F + j];
        const b2 = a2 * z[F2 + j];
        const b3 = a3 * z[F3 + j];
        sums[p2++] += b0 + b1 + b2 + b3;
        for (let k = j; k < F; k++) {
          const c0 = b0 * z[k];
          const c1 = b1 * z[F + k];
          const c2 = b2 * z[F2 + k];
          const c3 = b3 * z[F3 + k];
          sums[p3++] += c0 + c1 + c2 + c3;
          for (let l = k; l < F; l++) sums[p4++] += c0 * z[l] + c1 * z[F + l] + c2 * z[F2 + l] + c3 * z[F3 + l];
        }
      }
    }
  }

  /** The centred Gram's lower triangle (D = d + 1, the intercept last) into `G`. */
  centred(mu: Float64Array, G: Float64Array): void {
    const { d, sums, entry, single } = this;
    const D = d + 1;
    const W = sums[0];
    for (let a = 0; a < d; a++) {
      const row = a * D;
      const sa = sums[single[a]];
      const ma = mu[a];
      for (let b = 0; b <= a; b++) G[row + b] = sums[entry[row + b]] - ma * sums[single[b]] - mu[b] * sa + W * ma * mu[b];
    }
    const last = d * D;
    for (let b = 0; b < d; b++) G[last + b] = sums[single[b]] - W * mu[b];
    G[last + d] = W;
  }
}

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

/** The position in `sums` of a multiset of feature indices (any order), as `add` lays them out. */
function monomialIndex(F: number, start: Int32Array): (factors: readonly number[]) => number {
  // A sorted multiset as base-(F + 1) digits f + 1: unique for every size (no digit is 0).
  const key = (factors: readonly number[]) => factors.reduce((k, f) => k * (F + 1) + f + 1, 0);
  const byKey = new Map<number, number>([[0, 0]]);
  let p1 = start[1];
  let p2 = start[2];
  let p3 = start[3];
  let p4 = start[4];
  for (let i = 0; i < F; i++) {
    byKey.set(key([i]), p1++);
    for (let j = i; j < F; j++) {
      byKey.set(key([i, j]), p2++);
      for (let k = j; k < F; k++) {
        byKey.set(key([i, j, k]), p3++);
        for (let l = k; l < F; l++) byKey.set(key([i, j, k, l]), p4++);
      }
    }
  }
  return (factors) => byKey.get(key([...factors].sort((x, y) => x - y)))!;
}

const GRAMS = new Map<number, Degree2Gram>();

/** The (reused) Degree2Gram of F features: its index tables are built once per process. */
export function degree2GramOf(F: number): Degree2Gram {
  let gram = GRAMS.get(F);
  if (gram === undefined) {
    gram = new Degree2Gram(F);
    GRAMS.set(F, gram);
  }
  return gram;
}
