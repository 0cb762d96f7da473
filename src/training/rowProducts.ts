// The two passes over a row-major design matrix that dominate the solver's time, unrolled
// by four. @internal

/** `out[k] = c + A[rows[k]] . v`, four accumulators to break the add latency chain. */
export function rowDotProducts(A: Float64Array, d: number, rowIndex: Int32Array, c: number, v: Float64Array, out: Float64Array): void {
  const m = rowIndex.length;
  const d4 = d - (d % 4);
  for (let k = 0; k < m; k++) {
    const o = rowIndex[k] * d;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let j = 0;
    for (; j < d4; j += 4) {
      s0 += A[o + j] * v[j];
      s1 += A[o + j + 1] * v[j + 1];
      s2 += A[o + j + 2] * v[j + 2];
      s3 += A[o + j + 3] * v[j + 3];
    }
    for (; j < d; j++) s0 += A[o + j] * v[j];
    out[k] = c + (s0 + s1 + (s2 + s3));
  }
}

/** `out = A[rows]^T r`; returns `sum r`. Four rows per sweep of `out` to cut its loads/stores. */
export function transposedProduct(A: Float64Array, d: number, rowIndex: Int32Array, r: Float64Array, out: Float64Array): number {
  out.fill(0);
  const m = rowIndex.length;
  let R = 0;
  let k = 0;
  for (; k + 3 < m; k += 4) {
    const r0 = r[k];
    const r1 = r[k + 1];
    const r2 = r[k + 2];
    const r3 = r[k + 3];
    R += r0 + r1 + r2 + r3;
    const o0 = rowIndex[k] * d;
    const o1 = rowIndex[k + 1] * d;
    const o2 = rowIndex[k + 2] * d;
    const o3 = rowIndex[k + 3] * d;
    for (let j = 0; j < d; j++) out[j] += r0 * A[o0 + j] + r1 * A[o1 + j] + r2 * A[o2 + j] + r3 * A[o3 + j];
  }
  for (; k < m; k++) {
    const rk = r[k];
    R += rk;
    const o = rowIndex[k] * d;
    for (let j = 0; j < d; j++) out[j] += rk * A[o + j];
  }
  return R;
}
