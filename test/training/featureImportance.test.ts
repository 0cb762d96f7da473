import { describe, expect, it } from "vitest";
import { FEATURE_NAMES } from "../../src/core/featureNames.js";
import { polynomialTerms, termNames } from "../../src/core/polynomialTerms.js";
import { DenseDesign } from "../../src/training/denseDesign.js";
import { perFeatureImportance, standardisedCoefficients, topTerms } from "../../src/training/featureImportance.js";

const termIndex = (i: number, j: number, d = 20): number => polynomialTerms(d).findIndex(([a, b]) => a === i && b === j);

describe("feature importance", () => {
  it("standardisedCoefficients multiplies by the population sd of each column", () => {
    // columns: [1, 3] -> sd 1; [2, 2] -> sd 0; [0, 10] -> sd 5
    const A = Float64Array.of(1, 2, 0, 3, 2, 10);
    const out = standardisedCoefficients(Float64Array.of(2, 5, -0.5), new DenseDesign(A, 2, 3), Int32Array.of(0, 1));
    expect(Array.from(out)).toEqual([2, 0, -2.5]);
    // on a row subset (rows 0 and 2 of a 3-row matrix)
    const B = Float64Array.of(0, 100, 4);
    expect(standardisedCoefficients(Float64Array.of(1), new DenseDesign(B, 3, 1), Int32Array.of(0, 2))[0]).toBe(2);
  });

  it("topTerms sorts by |value|, largest first, and keeps k", () => {
    const names = ["a", "b", "c", "d"];
    expect(topTerms(Float64Array.of(0.1, -3, 2, -0.5), names, 3)).toEqual([
      { term: "b", coefficient: -3 },
      { term: "c", coefficient: 2 },
      { term: "d", coefficient: -0.5 },
    ]);
  });

  it("perFeatureImportance: a product counts for both features, a square once, normalised", () => {
    const coef = new Float64Array(230);
    coef[termIndex(0, 1)] = 2; // z0 * z1: 2 for feature 0 and 2 for feature 1
    coef[termIndex(3, 3)] = -1; // z3^2: 1 for feature 3
    coef[termIndex(5, -1)] = 3; // z5: 3 for feature 5
    const imp = perFeatureImportance(coef, 20);
    const total = 2 + 2 + 1 + 3;
    expect(Math.abs(imp[0] - 2 / total)).toBeLessThan(1e-15);
    expect(Math.abs(imp[1] - 2 / total)).toBeLessThan(1e-15);
    expect(Math.abs(imp[3] - 1 / total)).toBeLessThan(1e-15);
    expect(Math.abs(imp[5] - 3 / total)).toBeLessThan(1e-15);
    expect(Math.abs(imp.reduce((s, v) => s + v, 0) - 1)).toBeLessThan(1e-15);
    expect(imp.length).toBe(FEATURE_NAMES.length);
    expect(termNames(FEATURE_NAMES)[termIndex(0, 1)]).toBe(`${FEATURE_NAMES[0]}*${FEATURE_NAMES[1]}`);
    expect(Array.from(perFeatureImportance(new Float64Array(230), 20))).toEqual(new Array(20).fill(0));
  });

  it("perFeatureImportance at 26 features (ads set): 377 coefficients, ad features get their share", () => {
    const coef = new Float64Array(377);
    coef[termIndex(20, 24, 26)] = 4; // ads_in_view * pointer_on_ad: 4 each
    coef[termIndex(25, -1, 26)] = 2; // pointer_on_ad_seconds: 2
    const imp = perFeatureImportance(coef, 26);
    expect(imp.length).toBe(26);
    expect([imp[20], imp[24], imp[25]]).toEqual([0.4, 0.4, 0.2]);
    expect(() => perFeatureImportance(new Float64Array(230), 26)).toThrow("perFeatureImportance: 26 features need 377 coefficients, got 230");
  });
});
