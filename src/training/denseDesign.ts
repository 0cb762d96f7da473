import type { Design } from "./design.js";
import { rowDotProducts, transposedProduct } from "./rowProducts.js";
import { checkMatrix } from "./rowSelection.js";

/** A dense row-major `n x d` matrix as a {@link Design}. */
export class DenseDesign implements Design {
  readonly n: number;
  readonly d: number;
  readonly A: Float64Array;

  constructor(A: Float64Array, n: number, d: number, where = "DenseDesign") {
    checkMatrix(A, n, d, where);
    this.A = A;
    this.n = n;
    this.d = d;
  }

  forward(rows: Int32Array, c: number, v: Float64Array, out: Float64Array): void {
    rowDotProducts(this.A, this.d, rows, c, v, out);
  }

  transpose(rows: Int32Array, r: Float64Array, out: Float64Array): number {
    return transposedProduct(this.A, this.d, rows, r, out);
  }

  row(index: number, out: Float64Array, offset: number): void {
    const o = index * this.d;
    for (let j = 0; j < this.d; j++) out[offset + j] = this.A[o + j];
  }
}
