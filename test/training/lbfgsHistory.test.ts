import { describe, expect, it } from "vitest";
import { LbfgsHistory } from "../../src/training/lbfgsHistory.js";
import { makeRandom } from "./syntheticData.js";

type Matrix = number[][];
const matVec = (M: Matrix, v: ArrayLike<number>): number[] => M.map((row) => row.reduce((s, x, j) => s + x * v[j], 0));
const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => Array.from(a).reduce((s, x, i) => s + x * b[i], 0);
const identity = (n: number): Matrix => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));

/**
 * The explicit BFGS inverse update H+ = (I - rho s y^T) H (I - rho y s^T) + rho s s^T
 * (Nocedal & Wright, eq. 6.17), applied to dense matrices: the independent reference.
 */
function bfgsInverseUpdate(H: Matrix, s: number[], y: number[]): Matrix {
  const n = s.length;
  const rho = 1 / dot(s, y);
  const V = identity(n).map((row, i) => row.map((v, j) => v - rho * y[i] * s[j])); // I - rho y s^T
  const VtH = identity(n).map((_, i) => Array.from({ length: n }, (_, j) => H.reduce((acc, Hrow, k) => acc + V[k][i] * Hrow[j], 0)));
  return VtH.map((row, i) => row.map((_, j) => row.reduce((acc, x, k) => acc + x * V[k][j], 0) + rho * s[i] * s[j]));
}

/** A symmetric positive definite n x n matrix B^T B + I. */
function spd(n: number, seed: number): Matrix {
  const { normal } = makeRandom(seed);
  const B = Array.from({ length: n }, () => Array.from({ length: n }, normal));
  return identity(n).map((row, i) => row.map((v, j) => v + B.reduce((s, Brow) => s + Brow[i] * Brow[j], 0)));
}

describe("LbfgsHistory", () => {
  const n = 5;
  const Q = spd(n, 3); // Hessian of the quadratic: gradient changes are y = Q s
  const { normal } = makeRandom(17);
  const steps = Array.from({ length: 4 }, () => Array.from({ length: n }, normal));
  const pairs = steps.map((s) => ({ s, y: matVec(Q, s) }));
  const g = Array.from({ length: n }, normal);
  const M = spd(n, 9); // a preconditioner's inverse, P^-1, applied as H0's base

  for (const [label, base] of [
    ["identity initial matrix", identity(n)],
    ["preconditioned initial matrix gamma P^-1", M],
  ] as const) {
    it(`the two-loop direction equals -H g of the explicit BFGS updates (${label})`, () => {
      const history = new LbfgsHistory(n, 10);
      for (const { s, y } of pairs) expect(history.push(Float64Array.from(s), Float64Array.from(y))).toBe(true);
      const out = new Float64Array(n);
      history.direction(Float64Array.from(g), out, (v) => v.set(matVec(base, v)));
      // H0 = gamma * base with gamma = s.y / (y base y) of the newest pair, then every pair in order.
      const newest = pairs[pairs.length - 1];
      const gamma = dot(newest.s, newest.y) / dot(newest.y, matVec(base, newest.y));
      let H = base.map((row) => row.map((v) => gamma * v));
      for (const { s, y } of pairs) H = bfgsInverseUpdate(H, s, y);
      const expected = matVec(H, g).map((v) => -v);
      const scale = Math.max(...expected.map(Math.abs));
      for (let i = 0; i < n; i++) expect(Math.abs(out[i] - expected[i])).toBeLessThan(1e-12 * scale);
    });
  }

  it("satisfies the secant condition H y = s for the newest pair", () => {
    const history = new LbfgsHistory(n, 3);
    for (const { s, y } of pairs) history.push(Float64Array.from(s), Float64Array.from(y));
    const { s, y } = pairs[pairs.length - 1];
    const out = new Float64Array(n);
    history.direction(Float64Array.from(y, (v) => -v), out); // -H(-y) = H y
    for (let i = 0; i < n; i++) expect(Math.abs(out[i] - s[i])).toBeLessThan(1e-12 * Math.max(...s.map(Math.abs)));
  });

  it("keeps only the newest `memory` pairs: memory 2 after 4 pushes equals a history of the last 2", () => {
    const short = new LbfgsHistory(n, 2);
    for (const { s, y } of pairs) short.push(Float64Array.from(s), Float64Array.from(y));
    const lastTwo = new LbfgsHistory(n, 10);
    for (const { s, y } of pairs.slice(-2)) lastTwo.push(Float64Array.from(s), Float64Array.from(y));
    expect(short.size).toBe(2);
    const a = new Float64Array(n);
    const b = new Float64Array(n);
    short.direction(Float64Array.from(g), a);
    lastTwo.direction(Float64Array.from(g), b);
    expect(Array.from(a)).toEqual(Array.from(b));
  });

  it("skips pairs without positive curvature; with no pairs the direction is -P^-1 g", () => {
    const history = new LbfgsHistory(2, 4);
    expect(history.push(Float64Array.of(1, 0), Float64Array.of(-1, 0))).toBe(false); // s.y = -1
    expect(history.push(Float64Array.of(1, 0), Float64Array.of(0, 5))).toBe(false); // s.y = 0
    expect(history.size).toBe(0);
    const out = new Float64Array(2);
    history.direction(Float64Array.of(3, -4), out, (v) => v.set([v[0] / 2, v[1] / 4]));
    expect(Array.from(out)).toEqual([-1.5, 1]);
    history.push(Float64Array.of(1, 1), Float64Array.of(2, 2));
    expect(history.size).toBe(1);
    history.clear();
    expect(history.size).toBe(0);
  });

  it("a copied pair is unaffected by later changes to the caller's buffers", () => {
    const history = new LbfgsHistory(2, 4);
    const s = Float64Array.of(1, 0);
    const y = Float64Array.of(2, 0);
    history.push(s, y);
    s.fill(7);
    y.fill(-7);
    const out = new Float64Array(2);
    history.direction(Float64Array.of(2, 0), out); // H = diag(1/2, 1/2) after one pair along e1 with y = 2 s
    expect(Array.from(out)).toEqual([-1, 0]);
  });

  it.each([
    [0, 3],
    [2, 0],
    [2.5, 3],
  ])("throws RangeError for dimension %d, memory %d", (dimension, memory) => {
    expect(() => new LbfgsHistory(dimension, memory)).toThrow(RangeError);
  });
});
