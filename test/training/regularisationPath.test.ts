import { describe, expect, it } from "vitest";
import { rocAuc } from "../../src/training/classificationMetrics.js";
import { crossValidate, type FoldDesign } from "../../src/training/crossValidate.js";
import { DenseDesign } from "../../src/training/denseDesign.js";
import { groupedStratifiedKFold } from "../../src/training/groupedKFold.js";
import { fitLogisticRegression } from "../../src/training/logisticRegression.js";
import { hierarchicalPenalty, LINEAR_C_FLOOR, regularisationPath } from "../../src/training/regularisationPath.js";
import { plantedProblem } from "./syntheticData.js";

describe("regularisationPath", () => {
  const n = 600;
  const d = 12;
  const { A, y } = plantedProblem(n, d, 11, -1.5);
  const rows = Int32Array.from({ length: n }, (_, i) => i);
  const groups = Int32Array.from(rows, (r) => Math.floor(r / 4));
  const folds = groupedStratifiedKFold(groups, y, 4, 3);
  const designs = (): FoldDesign[] => folds.map(() => ({ design: new DenseDesign(A, n, d), workspace: {} }));

  it("scores every C as independent cold fits on the same folds do, and ships the best", () => {
    const path = [0.001, 0.01, 0.1, 1];
    const result = regularisationPath(designs(), y, rows, folds, { path, tolerance: 1e-11 });
    expect(result.points.map((p) => p.C)).toEqual(path);
    result.points.forEach((point) => {
      // Each fold refitted from scratch by the dense solver, scored by hand.
      const aucs = folds.map(({ train, test }) => {
        const fit = fitLogisticRegression(A, n, d, y, { C: point.C, rows: train, tolerance: 1e-11 });
        const margins = Array.from(test, (r) => A.subarray(r * d, r * d + d).reduce((m, a, j) => m + a * fit.coefficients[j], fit.intercept));
        return rocAuc(Float64Array.from(margins), Uint8Array.from(test, (r) => y[r]));
      });
      const mean = aucs.reduce((a, b) => a + b, 0) / aucs.length;
      expect(Math.abs(point.rocAucMean - mean)).toBeLessThan(1e-9);
      expect(Math.abs(point.rocAucStd - Math.sqrt(aucs.reduce((a, v) => a + (v - mean) ** 2, 0) / aucs.length))).toBeLessThan(1e-9);
    });
    const best = result.points.reduce((a, p) => (p.rocAucMean > a.rocAucMean ? p : a));
    expect(result.C).toBe(best.C);
    expect(result.cv.rocAucMean).toBe(best.rocAucMean);
  });

  it("warm starts and the shared workspace make later points cheaper than cold fits", () => {
    const path = [0.01, 0.1, 1];
    const warm = regularisationPath(designs(), y, rows, folds, { path, tolerance: 1e-8 });
    const cold = path.map((C) => crossValidate(designs(), y, rows, folds, { C, tolerance: 1e-8 }));
    for (let i = 1; i < path.length; i++) {
      expect(warm.points[i].iterations).toBeLessThan(cold[i].fits.reduce((a, f) => a + f.iterations, 0));
    }
  });

  it("breaks a tie towards the stronger regularisation", () => {
    // At vanishing C the coefficients are C times one fixed direction: every C ranks the
    // windows identically, so the fold AUCs are equal and the first (smallest) C must win.
    const result = regularisationPath(designs(), y, rows, folds, { path: [1e-9, 1e-8, 1e-7] });
    expect(result.points[0].rocAucMean).toBe(result.points[2].rocAucMean);
    expect(result.C).toBe(1e-9);
  });

  it("refuses an empty, non-ascending or non-positive path", () => {
    expect(() => regularisationPath(designs(), y, rows, folds, { path: [] })).toThrow("the path is empty");
    expect(() => regularisationPath(designs(), y, rows, folds, { path: [1, 0.1] })).toThrow("path must ascend, but path[1] = 0.1 <= 1");
    expect(() => regularisationPath(designs(), y, rows, folds, { path: [0, 1] })).toThrow("path[0] = 0; every C must be a positive finite number");
  });
});

describe("hierarchicalPenalty", () => {
  it("gives the products C and the F linear terms max(C, 0.01): uniform from 0.01 up", () => {
    // 1 / C_j = w_j / C: linear w = C / max(C, 0.01), products w = 1.
    expect(Array.from(hierarchicalPenalty(2, 1e-4))).toEqual([0.01, 0.01, 1, 1, 1]); // linear 1 / C_j = 100 = 1 / 0.01
    expect(Array.from(hierarchicalPenalty(3, 1))).toEqual(new Array(9).fill(1)); // uniform at C = 1, the first model
    expect(Array.from(hierarchicalPenalty(1, 0.01))).toEqual([1, 1]);
    expect(LINEAR_C_FLOOR).toBe(0.01);
  });
});
