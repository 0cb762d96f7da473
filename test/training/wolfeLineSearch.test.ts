import { describe, expect, it } from "vitest";
import { WOLFE_C1, WOLFE_C2, wolfeLineSearch, type LineFunction } from "../../src/training/wolfeLineSearch.js";

/** A line function from closed forms of phi, phi', phi''. */
const lineOf =
  (f: (a: number) => number, df: (a: number) => number, d2f: (a: number) => number): LineFunction =>
  (a, out) => {
    out[0] = f(a);
    out[1] = df(a);
    out[2] = d2f(a);
  };

/** The strong Wolfe conditions, checked independently of the search. */
function meetsStrongWolfe(f: (a: number) => number, df: (a: number) => number, a: number): boolean {
  return f(a) <= f(0) + WOLFE_C1 * a * df(0) && Math.abs(df(a)) <= WOLFE_C2 * Math.abs(df(0));
}

describe("wolfeLineSearch", () => {
  it("a quadratic (a - 3)^2: one Newton step from a = 1 lands on the minimum a = 3", () => {
    const f = (a: number): number => (a - 3) ** 2;
    const df = (a: number): number => 2 * (a - 3);
    const r = wolfeLineSearch(lineOf(f, df, () => 2), f(0), df(0));
    // Trial 1 at a = 1: phi' = -4 fails the curvature test; Newton: 1 - (-4) / 2 = 3.
    expect(r).toEqual({ step: 3, accepted: true, trials: 2 });
  });

  it("the quasi-Newton step a = 1 is accepted at once when it is good enough", () => {
    const f = (a: number): number => (a - 1.05) ** 2;
    const df = (a: number): number => 2 * (a - 1.05);
    // phi'(1) = -0.1, |phi'(1)| <= 0.1 |phi'(0)| = 0.21: accepted without a second trial.
    expect(wolfeLineSearch(lineOf(f, df, () => 2), f(0), df(0))).toEqual({ step: 1, accepted: true, trials: 1 });
  });

  it("a step that overshoots the decrease test becomes the bracket's upper end (minimum at 0.01)", () => {
    const f = (a: number): number => (a - 0.01) ** 2;
    const df = (a: number): number => 2 * (a - 0.01);
    const r = wolfeLineSearch(lineOf(f, df, () => 2), f(0), df(0));
    expect(r.accepted).toBe(true);
    expect(Math.abs(r.step - 0.01)).toBeLessThan(1e-15);
    expect(meetsStrongWolfe(f, df, r.step)).toBe(true);
  });

  it("log cosh(a - 5): Newton from a = 1 overshoots, quadrupling and bisection bracket it; the step meets strong Wolfe", () => {
    const f = (a: number): number => Math.log(Math.cosh(a - 5));
    const df = (a: number): number => Math.tanh(a - 5);
    const d2f = (a: number): number => 1 / Math.cosh(a - 5) ** 2;
    const r = wolfeLineSearch(lineOf(f, df, d2f), f(0), df(0));
    expect(r.accepted).toBe(true);
    expect(meetsStrongWolfe(f, df, r.step)).toBe(true);
    // |tanh(a - 5)| <= 0.1 * tanh(5) puts a within atanh(0.09991) = 0.1002 of the minimum 5.
    expect(Math.abs(r.step - 5)).toBeLessThan(0.1003);
    expect(r.trials).toBeGreaterThan(2);
  });

  it("an unbounded linear phi(a) = -a never meets the curvature test: gives up after 60 trials", () => {
    const r = wolfeLineSearch(lineOf((a) => -a, () => -1, () => 0), 0, -1);
    expect(r.accepted).toBe(false);
    expect(r.trials).toBe(60);
  });

  it("an ascent direction: the step halves towards 0 and the search gives up after 60 trials", () => {
    // phi(a) = a^2 + a with phi'(0) = +1, passed as if it were a descent slope -1.
    const r = wolfeLineSearch(lineOf((a) => a * a + a, (a) => 2 * a + 1, () => 2), 0, -1);
    expect(r.accepted).toBe(false);
    expect(r.trials).toBe(60);
    expect(r.step).toBeLessThan(2 ** -55);
  });

  it("a kink |a - 2| (|phi'| = 1 everywhere): bisection closes on 2 and stops once the bracket is at rounding", () => {
    const r = wolfeLineSearch(lineOf((a) => Math.abs(a - 2), (a) => Math.sign(a - 2), () => 0), 2, -1);
    expect(r.accepted).toBe(false);
    expect(r.trials).toBeLessThan(60);
    expect(Math.abs(r.step - 2)).toBeLessThan(1e-14);
  });
});
