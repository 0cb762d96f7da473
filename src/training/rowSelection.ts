/**
 * Shared validation for the `rows` subsets every training function accepts.
 * A subset is an `Int32Array` of row indices into an `n`-row matrix, so cross-validation
 * folds index the one design matrix instead of copying it.
 * @internal
 */
export function resolveRows(n: number, rows: Int32Array | undefined, where: string): Int32Array {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${where}: n must be a non-negative integer, got ${n}`);
  if (rows === undefined) {
    const all = new Int32Array(n);
    for (let i = 0; i < n; i++) all[i] = i;
    return all;
  }
  for (let k = 0; k < rows.length; k++) {
    const r = rows[k];
    if (r < 0 || r >= n) throw new RangeError(`${where}: rows[${k}] = ${r} is outside 0..${n - 1}`);
  }
  return rows;
}

/** Throws unless `data` holds at least `n * d` values. @internal */
export function checkMatrix(data: ArrayLike<number>, n: number, d: number, where: string): void {
  if (!Number.isInteger(d) || d < 1) throw new RangeError(`${where}: d must be a positive integer, got ${d}`);
  if (data.length < n * d) {
    throw new RangeError(`${where}: matrix has ${data.length} values, need n * d = ${n} * ${d} = ${n * d}`);
  }
}
