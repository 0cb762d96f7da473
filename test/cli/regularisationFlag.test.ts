import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/cli/command.js";
import { regularisationFlag } from "../../src/cli/flags.js";

describe("--C VALUE", () => {
  it("is undefined when absent (C chosen on the path) and the number when given", () => {
    expect(regularisationFlag(undefined, undefined)).toBeUndefined();
    expect(regularisationFlag("1", undefined)).toBe(1);
    expect(regularisationFlag("1e-3", false)).toBe(0.001);
    expect(regularisationFlag(" 0.25 ", undefined)).toBe(0.25);
  });

  it("refuses what is not a positive finite number, naming it", () => {
    for (const bad of ["0", "-1", "abc", "", " ", "Infinity", "NaN", "1e400"]) {
      expect(() => regularisationFlag(bad, undefined)).toThrow(UsageError);
      expect(() => regularisationFlag(bad, undefined)).toThrow(`--C must be a positive finite number (e.g. 1, 0.01 or 1e-3), got ${JSON.stringify(bad)}`);
    }
  });

  it("refuses the old --tune, saying what replaced it", () => {
    expect(() => regularisationFlag(undefined, true)).toThrow("--tune is no longer needed: C is chosen by grouped CV on the regularisation path by default; --C VALUE fixes it");
  });
});
