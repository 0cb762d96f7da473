import { describe, expect, it } from "vitest";
import { backSolve, choleskyInPlace, forwardSolve } from "../../src/training/sampledHessian.js";
import { makeRandom } from "./syntheticData.js";

describe("choleskyInPlace", () => {
  // Sizes around the four-row blocking (remainders 0..3) and one of the solver's size.
  for (const D of [1, 2, 5, 8, 11, 23, 231]) {
    it(`D = ${D}: L L^T gives back a random SPD matrix, and the solves invert it`, () => {
      const { normal } = makeRandom(D + 3);
      const B = Float64Array.from({ length: D * D }, () => normal());
      const H = new Float64Array(D * D); // B B^T + D I
      for (let i = 0; i < D; i++) {
        for (let j = 0; j < D; j++) {
          let v = i === j ? D : 0;
          for (let k = 0; k < D; k++) v += B[i * D + k] * B[j * D + k];
          H[i * D + j] = v;
        }
      }
      const L = H.slice();
      choleskyInPlace(L, D);
      let worst = 0;
      for (let i = 0; i < D; i++) {
        for (let j = 0; j < D; j++) {
          if (j > i) expect(L[i * D + j]).toBe(0);
          let v = 0;
          for (let k = 0; k < D; k++) v += L[i * D + k] * L[j * D + k];
          worst = Math.max(worst, Math.abs(v - H[i * D + j]) / D);
        }
      }
      expect(worst).toBeLessThan(1e-10);
      // H x = g through the two triangular solves, checked by multiplying back.
      const g = Float64Array.from({ length: D }, (_, i) => Math.sin(i + 1));
      const tmp = new Float64Array(D);
      const x = new Float64Array(D);
      forwardSolve(L, D, g, tmp);
      backSolve(L, D, tmp, x);
      for (let i = 0; i < D; i++) {
        let v = 0;
        for (let k = 0; k < D; k++) v += H[i * D + k] * x[k];
        expect(Math.abs(v - g[i])).toBeLessThan(1e-9);
      }
    });
  }
});
