/**
 * A design matrix as the solver sees it: `n` rows of `d` columns, reached only through the
 * two products that dominate a fit and a row read. The dense row-major matrix
 * ({@link DenseDesign}) is one implementation; the degree-2 model's design computes its terms
 * from the raw features on the fly (`Degree2Design`), so training memory does not grow with
 * the number of terms times the number of windows. Row indices are into `0..n-1`.
 */
export interface Design {
  readonly n: number;
  readonly d: number;
  /** `out[k] = c + row(rows[k]) . v`. */
  forward(rows: Int32Array, c: number, v: Float64Array, out: Float64Array): void;
  /** `out = sum_k r[k] row(rows[k])` (overwrites `out`); returns `sum_k r[k]`. */
  transpose(rows: Int32Array, r: Float64Array, out: Float64Array): number;
  /** Writes row `index` into `out` at `offset`. */
  row(index: number, out: Float64Array, offset: number): void;
  /**
   * Optional, for designs with structure to exploit: the centred, weighted Gram of the rows
   * `rows[sample[s]]` with weights `sampleWeight[s]` (see sampledGram, which it replaces).
   */
  sampledGram?(rows: Int32Array, sample: Int32Array, sampleWeight: Float64Array, mu: Float64Array, G: Float64Array): void;
}
