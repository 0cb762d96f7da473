import { describe, expect, it } from "vitest";
import { FEATURE_SETS } from "../../src/core/featureNames.js";
import { domainClamps } from "../../src/evaluation/domainClamps.js";

describe("domainClamps", () => {
  it("counts, by hand, the rows and features outside the domain (bounds themselves are inside)", () => {
    const F = FEATURE_SETS.seed.length;
    const domain = { low: new Array(F).fill(0), high: new Array(F).fill(1) };
    const X = new Float64Array(4 * F).fill(0.5);
    X[0 * F + 3] = -0.1; // row 0: feature 3 below
    X[1 * F + 3] = 1.5; // row 1: feature 3 above ...
    X[1 * F + 7] = 2; // ... and feature 7 above
    X[2 * F + 5] = 1; // row 2: on the bound, inside
    const out = domainClamps(X, Int32Array.of(0, 1, 2, 3), domain, "seed");
    expect(out.rows).toBe(4);
    expect(out.anyOutside).toBe(0.5);
    expect(out.perFeature[3]).toEqual({ name: FEATURE_SETS.seed[3], outside: 0.5 });
    expect(out.perFeature[7].outside).toBe(0.25);
    expect(out.perFeature[5].outside).toBe(0);
    // Only the rows asked for.
    expect(domainClamps(X, Int32Array.of(2, 3), domain, "seed").anyOutside).toBe(0);
    expect(() => domainClamps(X, Int32Array.of(0), { low: [0], high: [1] }, "seed")).toThrow("the domain has 1 features, the seed set 20");
  });
});
