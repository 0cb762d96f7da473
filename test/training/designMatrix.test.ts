import { describe, expect, it } from "vitest";
import { buildDesignMatrix } from "../../src/training/designMatrix.js";
import { fitStandardScaler } from "../../src/training/standardScaler.js";

describe("fitStandardScaler", () => {
  it("population mean and sd; sd 0 becomes scale 1; rows subset", () => {
    // 3 x 2: column 0 = [1, 2, 3] (mean 2, sd sqrt(2/3)), column 1 constant 5
    const X = Float64Array.of(1, 5, 2, 5, 3, 5);
    const s = fitStandardScaler(X, 3, 2);
    expect(Math.abs(s.mean[0] - 2)).toBeLessThan(1e-15);
    expect(Math.abs(s.scale[0] - Math.sqrt(2 / 3))).toBeLessThan(1e-15);
    expect([s.mean[1], s.scale[1]]).toEqual([5, 1]);
    const sub = fitStandardScaler(X, 3, 2, Int32Array.of(0, 2));
    expect([sub.mean[0], sub.scale[0]]).toEqual([2, 1]);
  });
  it("keeps precision when the mean dwarfs the spread", () => {
    const X = Float64Array.of(1e9 + 1, 1e9 + 2, 1e9 + 3);
    const s = fitStandardScaler(X, 3, 1);
    expect(Math.abs(s.scale[0] - Math.sqrt(2 / 3))).toBeLessThan(1e-12);
  });
});

describe("buildDesignMatrix", () => {
  it("standardises, then writes linear terms and products i <= j in contract order", () => {
    const x = Float64Array.from({ length: 40 }, (_, i) => (i < 20 ? i : 2 * (i - 20)));
    const scaler = { mean: new Float64Array(20).fill(1), scale: new Float64Array(20).fill(2) };
    const A = buildDesignMatrix(x, 2, scaler, Int32Array.of(1));
    expect(A.length).toBe(230);
    const z = Array.from({ length: 20 }, (_, j) => (2 * j - 1) / 2);
    expect(A[0]).toBe(z[0]);
    expect(A[19]).toBe(z[19]);
    expect(A[20]).toBe(z[0] * z[0]); // z0^2
    expect(A[21]).toBe(z[0] * z[1]);
    expect(A[40]).toBe(z[1] * z[1]); // after the 20 products of z0
    expect(A[229]).toBe(z[19] * z[19]);
  });
  it("F = 26 (ads set): 377 columns; linear terms, then z_i * z_j (i <= j) checked against hand products", () => {
    // One raw row x_j = j, scaler mean 0 and scale 1 except column 25 (mean 5, scale 4): z = x
    // except z_25 = (25 - 5) / 4 = 5. Column positions by hand: the 26 linear terms, then for
    // i = 0 the 26 products z_0 z_0 .. z_0 z_25 (columns 26..51), for i = 1 the 25 products
    // z_1 z_1 .. z_1 z_25 (52..76), ...; the block of i starts at 26 + sum_{k<i} (26 - k).
    const x = Float64Array.from({ length: 26 }, (_, j) => j);
    const mean = new Float64Array(26);
    const scale = new Float64Array(26).fill(1);
    mean[25] = 5;
    scale[25] = 4;
    const A = buildDesignMatrix(x, 1, { mean, scale });
    expect(A.length).toBe(377);
    expect(Array.from(A.subarray(0, 26))).toEqual([...Array.from({ length: 25 }, (_, j) => j), 5]);
    expect(A[26]).toBe(0); // z0 * z0
    expect(A[52]).toBe(1); // z1 * z1
    expect(A[53]).toBe(2); // z1 * z2
    expect(A[76]).toBe(5); // z1 * z25 = 1 * 5
    const blockStart = (i: number) => 26 + (i * (26 + 27 - i)) / 2; // 26 + sum_{k<i} (26 - k)
    expect(blockStart(20)).toBe(26 + 330); // sum_{k<20} (26 - k) = 20 * 26 - 190 = 330
    expect(A[blockStart(20)]).toBe(400); // ads_in_view^2 = 20 * 20
    expect(A[blockStart(20) + 4]).toBe(480); // ads_in_view * pointer_on_ad = 20 * 24
    expect(A[blockStart(24) + 1]).toBe(120); // pointer_on_ad * pointer_on_ad_seconds = 24 * 5
    expect(A[376]).toBe(25); // the last: z25^2 = 5 * 5
  });
  it("rejects features and scaler of different widths", () => {
    const scaler = { mean: new Float64Array(20), scale: new Float64Array(20).fill(1) };
    expect(() => buildDesignMatrix(new Float64Array(2 * 26), 2, scaler)).toThrow(
      "buildDesignMatrix: matrix has 52 values, not n * F = 2 * 20 (scaler width F): scaler and features disagree",
    );
  });
  it("degree 1: the standardised features only, rows chosen and written into a reused buffer", () => {
    // mean 1, scale 2: z = (x - 1) / 2 by hand; raw row 0 is all 3 (z = 1), raw row 1 all -1 (z = -1)
    const x = Float64Array.from({ length: 40 }, (_, k) => (k < 20 ? 3 : -1));
    const scaler = { mean: new Float64Array(20).fill(1), scale: new Float64Array(20).fill(2) };
    const out = new Float64Array(100).fill(9);
    const A = buildDesignMatrix(x, 2, scaler, Int32Array.of(1, 0), out, 1);
    expect(Array.from(A)).toEqual([...new Array(20).fill(-1), ...new Array(20).fill(1)]);
    expect(out[40]).toBe(9); // beyond the view: untouched
  });
  it("rejects a scaler of the wrong size", () => {
    expect(() => buildDesignMatrix(new Float64Array(20), 1, { mean: new Float64Array(3), scale: new Float64Array(3) })).toThrow(RangeError);
  });
});
