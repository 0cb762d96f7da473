import { describe, expect, it } from "vitest";
import { expNegAbs, sigmoid, sigmoidFromExp, sigmoidSlopeFromExp, softplus, softplusFromExp } from "../../src/core/sigmoid.js";

// Hand values: exp(-40) = 4.248354255291589e-18 (to 16 digits), ln 2 = 0.6931471805599453.
const EXP_MINUS_40 = 4.248354255291589e-18;
const LN2 = 0.6931471805599453;
const relErr = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

describe("sigmoid kernel at the extremes", () => {
  it("sigmoid: 1/2 at 0, saturates without overflow, keeps the small tail's relative precision", () => {
    expect(sigmoid(0)).toBe(0.5);
    expect(sigmoid(-0)).toBe(0.5);
    expect(sigmoid(800)).toBe(1); // the naive e^x / (1 + e^x) is NaN here
    expect(sigmoid(-800)).toBe(0);
    expect(sigmoid(Infinity)).toBe(1);
    expect(sigmoid(-Infinity)).toBe(0);
    expect(Number.isNaN(sigmoid(Number.NaN))).toBe(true);
    // sigmoid(-40) = e^-40 / (1 + e^-40) = e^-40 (1 - 4.2e-18): equal to e^-40 to 1e-15,
    // where 1 - sigmoid(40) would give 0.
    expect(relErr(sigmoid(-40), EXP_MINUS_40)).toBeLessThan(1e-15);
    expect(1 - sigmoid(40)).toBe(0);
    // Far in the tail 1 + e^x rounds to 1: the value is e^x itself.
    expect(sigmoid(-700)).toBe(Math.exp(-700));
  });

  it("softplus: ln 2 at 0, x for large x, e^x for very negative x, never Infinity", () => {
    expect(relErr(softplus(0), LN2)).toBeLessThan(1e-16);
    expect(softplus(800)).toBe(800); // log(1 + exp(800)) would be Infinity
    expect(softplus(40)).toBe(40); // 40 + 4.2e-18 rounds to 40
    expect(softplus(-800)).toBe(0);
    expect(relErr(softplus(-40), EXP_MINUS_40)).toBeLessThan(1e-15); // log1p(e) = e (1 - e/2 ...)
    expect(softplus(Infinity)).toBe(Infinity);
    expect(softplus(-Infinity)).toBe(0);
  });

  it("sigmoid slope: 1/4 at 0, e^-|x| in the tails where p (1 - p) is 0, the weight in the numerator", () => {
    expect(sigmoidSlopeFromExp(expNegAbs(0))).toBe(0.25);
    expect(sigmoidSlopeFromExp(expNegAbs(0), 3)).toBe(0.75);
    for (const x of [40, -40]) expect(relErr(sigmoidSlopeFromExp(expNegAbs(x)), EXP_MINUS_40)).toBeLessThan(1e-15);
    const p = sigmoid(40);
    expect(p * (1 - p)).toBe(0); // the p (1 - p) form has lost it
    expect(sigmoidSlopeFromExp(expNegAbs(800))).toBe(0);
  });

  it("agrees with textbook formulas where those are accurate (|x| <= 20), within 1e-15 relative", () => {
    for (let x = -20; x <= 20; x += 0.37) {
      const e = expNegAbs(x);
      expect(relErr(sigmoidFromExp(x, e), 1 / (1 + Math.exp(-x)))).toBeLessThan(1e-15);
      expect(sigmoid(x)).toBe(sigmoidFromExp(x, e));
      expect(softplus(x)).toBe(softplusFromExp(x, e));
      expect(relErr(softplus(x), Math.log1p(Math.exp(x)))).toBeLessThan(1e-15);
      const ex = Math.exp(-x);
      expect(relErr(sigmoidSlopeFromExp(e), ex / ((1 + ex) * (1 + ex)))).toBeLessThan(1e-15);
      // Identities: sigmoid(x) + sigmoid(-x) = 1 and softplus(x) - softplus(-x) = x.
      expect(Math.abs(sigmoid(x) + sigmoid(-x) - 1)).toBeLessThanOrEqual(2 ** -52);
      expect(Math.abs(softplus(x) - softplus(-x) - x)).toBeLessThan(1e-14 * Math.max(1, Math.abs(x)));
    }
  });
});
