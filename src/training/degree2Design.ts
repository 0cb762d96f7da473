import { termCount } from "../core/polynomialTerms.js";
import { degree2GramOf } from "./degree2Gram.js";
import type { Design } from "./design.js";
import type { FeatureTransform } from "./featureTransform.js";
import { checkMatrix } from "./rowSelection.js";

/**
 * The model's design over the raw `n x F` feature matrix `X`, never stored: each row's `F`
 * raw features are clamped and standardised by `transform`, and (degree 2) expanded to the
 * `termCount(F)` terms in `polynomialTerms` order while a product runs. Memory is `X` itself
 * (8 F bytes per window) instead of 8 termCount(F) (3 KB per window for the 26 `ads`
 * features), and a pass costs about what a pass over the stored matrix did: the terms are
 * recomputed from values already in cache instead of read from memory. Degree 1 is the
 * plain model's design, the F standardised features. With `stride` > F the rows of `X` are
 * wider and only their first F values are used (the `seed` set's model on an `ads` matrix,
 * without a copy).
 */
export class Degree2Design implements Design {
  readonly n: number;
  readonly d: number;
  readonly F: number;
  readonly X: Float64Array;
  readonly degree: 1 | 2;
  private readonly low: Float64Array;
  private readonly high: Float64Array;
  private readonly mean: Float64Array;
  private readonly invScale: Float64Array;
  private readonly z: Float64Array; // four standardised rows, for the blocked transpose

  /** Values per row of `X`: F, or more when the model uses the leading F columns of a wider matrix. */
  readonly stride: number;

  constructor(X: Float64Array, n: number, transform: FeatureTransform, degree: 1 | 2 = 2, stride = transform.mean.length) {
    const F = transform.mean.length;
    if (!Number.isInteger(stride) || stride < F) throw new RangeError(`Degree2Design: stride must be an integer >= F = ${F}, got ${stride}`);
    checkMatrix(X, n, stride, "Degree2Design");
    if (X.length !== n * stride) throw new RangeError(`Degree2Design: matrix has ${X.length} values, not n * stride = ${n} * ${stride}`);
    this.X = X;
    this.stride = stride;
    this.n = n;
    this.F = F;
    this.degree = degree;
    this.d = degree === 2 ? termCount(F) : F;
    this.low = transform.low ?? new Float64Array(F).fill(-Infinity);
    this.high = transform.high ?? new Float64Array(F).fill(Infinity);
    this.mean = transform.mean;
    this.invScale = Float64Array.from(transform.scale, (s) => 1 / s);
    this.z = new Float64Array(4 * F);
    if (degree === 2) this.sampledGram = this.degree2Gram;
  }

  /** Degree 2 only: the Gram from monomial sums (Degree2Gram), 27,000 instead of 71,000 multiply-adds a row for 26 features. */
  readonly sampledGram?: Design["sampledGram"];

  private degree2Gram(rows: Int32Array, sample: Int32Array, sampleWeight: Float64Array, mu: Float64Array, G: Float64Array): void {
    const { F, z } = this;
    const gram = degree2GramOf(F);
    gram.reset();
    const w = new Float64Array(4);
    for (let s = 0; s < sample.length; s += 4) {
      for (let b = 0; b < 4; b++) {
        if (s + b < sample.length) {
          this.standardise(rows[sample[s + b]], z, b * F);
          w[b] = sampleWeight[s + b];
        } else {
          z.fill(0, b * F, b * F + F);
          w[b] = 0;
        }
      }
      gram.add4(z, w[0], w[1], w[2], w[3]);
    }
    gram.centred(mu, G);
  }

  /** The standardised (clamped) features of raw row `index` into `z` at `offset`. */
  private standardise(index: number, z: Float64Array, offset: number): void {
    const { X, F, low, high, mean, invScale } = this;
    const o = index * this.stride;
    for (let i = 0; i < F; i++) {
      const x = X[o + i];
      z[offset + i] = ((x < low[i] ? low[i] : x > high[i] ? high[i] : x) - mean[i]) * invScale[i];
    }
  }

  forward(rows: Int32Array, c: number, v: Float64Array, out: Float64Array): void {
    const { F, z } = this;
    const m = rows.length;
    let k = 0;
    // Four rows at a time: each coefficient is loaded once for four multiply-adds, and the
    // four independent sums keep the adder busy.
    for (; k + 3 < m; k += 4) {
      this.standardise(rows[k], z, 0);
      this.standardise(rows[k + 1], z, F);
      this.standardise(rows[k + 2], z, 2 * F);
      this.standardise(rows[k + 3], z, 3 * F);
      let s0 = c;
      let s1 = c;
      let s2 = c;
      let s3 = c;
      for (let i = 0; i < F; i++) {
        const b = v[i];
        s0 += b * z[i];
        s1 += b * z[F + i];
        s2 += b * z[2 * F + i];
        s3 += b * z[3 * F + i];
      }
      if (this.degree === 2) {
        let p = F;
        for (let i = 0; i < F; i++) {
          let t0 = 0;
          let t1 = 0;
          let t2 = 0;
          let t3 = 0;
          for (let j = i; j < F; j++) {
            const b = v[p++];
            t0 += b * z[j];
            t1 += b * z[F + j];
            t2 += b * z[2 * F + j];
            t3 += b * z[3 * F + j];
          }
          s0 += z[i] * t0;
          s1 += z[F + i] * t1;
          s2 += z[2 * F + i] * t2;
          s3 += z[3 * F + i] * t3;
        }
      }
      out[k] = s0;
      out[k + 1] = s1;
      out[k + 2] = s2;
      out[k + 3] = s3;
    }
    for (; k < m; k++) {
      this.standardise(rows[k], z, 0);
      let s = c;
      for (let i = 0; i < F; i++) s += v[i] * z[i];
      if (this.degree === 2) {
        let p = F;
        for (let i = 0; i < F; i++) {
          let t = 0;
          for (let j = i; j < F; j++) t += v[p++] * z[j];
          s += z[i] * t;
        }
      }
      out[k] = s;
    }
  }

  transpose(rows: Int32Array, r: Float64Array, out: Float64Array): number {
    const { F, z } = this;
    out.fill(0);
    const m = rows.length;
    let R = 0;
    let k = 0;
    // Four rows per sweep of `out`: a quarter of its loads and stores.
    for (; k + 3 < m; k += 4) {
      const r0 = r[k];
      const r1 = r[k + 1];
      const r2 = r[k + 2];
      const r3 = r[k + 3];
      R += r0 + r1 + r2 + r3;
      this.standardise(rows[k], z, 0);
      this.standardise(rows[k + 1], z, F);
      this.standardise(rows[k + 2], z, 2 * F);
      this.standardise(rows[k + 3], z, 3 * F);
      for (let i = 0; i < F; i++) out[i] += r0 * z[i] + r1 * z[F + i] + r2 * z[2 * F + i] + r3 * z[3 * F + i];
      if (this.degree === 2) {
        let p = F;
        for (let i = 0; i < F; i++) {
          const a0 = r0 * z[i];
          const a1 = r1 * z[F + i];
          const a2 = r2 * z[2 * F + i];
          const a3 = r3 * z[3 * F + i];
          for (let j = i; j < F; j++) out[p++] += a0 * z[j] + a1 * z[F + j] + a2 * z[2 * F + j] + a3 * z[3 * F + j];
        }
      }
    }
    for (; k < m; k++) {
      const rk = r[k];
      R += rk;
      this.standardise(rows[k], z, 0);
      for (let i = 0; i < F; i++) out[i] += rk * z[i];
      if (this.degree === 2) {
        let p = F;
        for (let i = 0; i < F; i++) {
          const a = rk * z[i];
          for (let j = i; j < F; j++) out[p++] += a * z[j];
        }
      }
    }
    return R;
  }

  row(index: number, out: Float64Array, offset: number): void {
    const { F, z } = this;
    this.standardise(index, z, 0);
    let p = offset;
    for (let i = 0; i < F; i++) out[p++] = z[i];
    if (this.degree === 2) {
      for (let i = 0; i < F; i++) {
        const zi = z[i];
        for (let j = i; j < F; j++) out[p++] = zi * z[j];
      }
    }
  }
}
