import { describe, expect, it } from "vitest";
import { MAX_SEED, SeededRandom } from "../../src/random/seededRandom.js";

function draws(rng: SeededRandom, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    out.push(rng.uniform(), rng.exponential(2), rng.beta(2, 5), rng.categorical([1, 2, 3]), rng.bernoulli(0.3) ? 1 : 0);
  }
  return out;
}

/** Kolmogorov-Smirnov statistic of a sample against a CDF. */
function ksStatistic(sample: number[], cdf: (x: number) => number): number {
  const xs = [...sample].sort((a, b) => a - b);
  const n = xs.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(xs[i]);
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  }
  return d;
}

function binomial(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return c;
}

/** Beta CDF for integer shapes: I_x(a, b) = sum_{j=a}^{a+b-1} C(a+b-1, j) x^j (1-x)^(a+b-1-j). */
function betaCdfInteger(a: number, b: number): (x: number) => number {
  const m = a + b - 1;
  return (x) => {
    let s = 0;
    for (let j = a; j <= m; j++) s += binomial(m, j) * x ** j * (1 - x) ** (m - j);
    return s;
  };
}

/** Beta(1/2, 1/2) is the arcsine law: F(x) = (2 / pi) asin(sqrt x). */
const arcsineCdf = (x: number): number => (2 / Math.PI) * Math.asin(Math.sqrt(x));

describe("SeededRandom", () => {
  it("gives the same draws for the same seed and different draws for different seeds", () => {
    const a = draws(new SeededRandom(42), 200);
    const b = draws(new SeededRandom(42), 200);
    const c = draws(new SeededRandom(43), 200);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(c));
  });

  it("accepts the whole uint32 range, 0 included", () => {
    for (const seed of [0, 1, MAX_SEED]) {
      const u = new SeededRandom(seed).uniform();
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
    }
    expect(new SeededRandom(0).uniform()).not.toBe(new SeededRandom(1).uniform());
  });

  it.each([-1, 1.5, 2 ** 32, Number.NaN, Number.POSITIVE_INFINITY])("rejects the seed %s with a RangeError naming it", (seed) => {
    expect(() => new SeededRandom(seed)).toThrow(RangeError);
    expect(() => new SeededRandom(seed)).toThrow(String(seed));
  });

  it("rejects bad distribution parameters", () => {
    const rng = new SeededRandom(1);
    expect(() => rng.beta(0, 1)).toThrow(RangeError);
    expect(() => rng.beta(1, Number.NaN)).toThrow(RangeError);
    expect(() => rng.exponential(0)).toThrow(RangeError);
    expect(() => rng.categorical([0, 0])).toThrow(RangeError);
    expect(() => rng.categorical([1, -1])).toThrow(/weight 1/);
    expect(() => rng.bernoulli(Number.NaN)).toThrow(RangeError);
    expect(() => rng.fork(-3)).toThrow(/-3/);
  });

  it("forks deterministic streams that depend only on (seed, id)", () => {
    const parent = new SeededRandom(7);
    const a = draws(parent.fork(3), 50);
    parent.uniform(); // the parent's position does not matter
    const b = draws(parent.fork(3), 50);
    expect(b).toEqual(a);
    expect(draws(new SeededRandom(7).fork(3), 50)).toEqual(a);
    expect(draws(parent.fork(4), 50)).not.toEqual(a);
    expect(draws(new SeededRandom(8).fork(3), 50)).not.toEqual(a);
  });

  it("does not consume draws of the parent when forking", () => {
    const a = new SeededRandom(5);
    const b = new SeededRandom(5);
    a.fork(1);
    expect(a.uniform()).toBe(b.uniform());
  });

  it("forks streams that are uncorrelated with each other and with the parent", () => {
    const n = 20000;
    const parent = new SeededRandom(11);
    const streams = [parent, parent.fork(0), parent.fork(1), parent.fork(2)];
    const xs = streams.map((s) => Array.from({ length: n }, () => s.uniform()));
    // Pearson r of independent uniforms has sd 1/sqrt(n); 5 sd bound.
    const bound = 5 / Math.sqrt(n);
    for (let i = 0; i < xs.length; i++) {
      for (let j = i + 1; j < xs.length; j++) {
        let sxy = 0;
        for (let k = 0; k < n; k++) sxy += (xs[i][k] - 0.5) * (xs[j][k] - 0.5);
        const r = sxy / n / (1 / 12);
        expect(Math.abs(r)).toBeLessThan(bound);
      }
    }
  });

  // One case per stdlib sampling branch: alpha = beta > 1.5, both > 1, both < 1, and the gamma ratio.
  const betaCases: Array<[number, number, (x: number) => number]> = [
    [3, 3, betaCdfInteger(3, 3)],
    [2, 5, betaCdfInteger(2, 5)],
    [0.5, 0.5, arcsineCdf],
    [1, 3, betaCdfInteger(1, 3)],
  ];

  it.each(betaCases)("draws Beta(%s, %s) that pass a Kolmogorov-Smirnov test", (alpha, beta, cdf) => {
    const rng = new SeededRandom(2024);
    const n = 4000;
    const sample = Array.from({ length: n }, () => rng.beta(alpha, beta));
    // 1.63 / sqrt(n) is the KS critical value at the 1 % level.
    expect(ksStatistic(sample, cdf)).toBeLessThan(1.63 / Math.sqrt(n));
    const mean = sample.reduce((s, x) => s + x, 0) / n;
    const variance = (alpha * beta) / ((alpha + beta) ** 2 * (alpha + beta + 1));
    expect(Math.abs(mean - alpha / (alpha + beta))).toBeLessThan(5 * Math.sqrt(variance / n));
  });

  it("has a KS test with the power to reject a wrong Beta", () => {
    const rng = new SeededRandom(2024);
    const sample = Array.from({ length: 4000 }, () => rng.beta(2, 5));
    expect(ksStatistic(sample, betaCdfInteger(2, 4))).toBeGreaterThan(1.63 / Math.sqrt(4000));
  });

  it("draws exponentials with mean 1/rate, uniforms on [0, 1) and categorical frequencies by weight", () => {
    const rng = new SeededRandom(99);
    const n = 40000;
    let sumExp = 0;
    let sumU = 0;
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < n; i++) {
      sumExp += rng.exponential(4);
      sumU += rng.uniform();
      counts[rng.categorical([1, 0, 3, 4])]++;
    }
    // Exponential(4): mean 0.25, sd 0.25. Uniform: mean 0.5, sd sqrt(1/12).
    expect(Math.abs(sumExp / n - 0.25)).toBeLessThan((5 * 0.25) / Math.sqrt(n));
    expect(Math.abs(sumU / n - 0.5)).toBeLessThan((5 * Math.sqrt(1 / 12)) / Math.sqrt(n));
    expect(counts[1]).toBe(0);
    for (const [index, p] of [[0, 1 / 8], [2, 3 / 8], [3, 4 / 8]] as const) {
      expect(Math.abs(counts[index] / n - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n));
    }
  });
});
