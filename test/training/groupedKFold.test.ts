import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { groupedStratifiedKFold } from "../../src/training/groupedKFold.js";

const isAscending = (v: Int32Array): boolean => v.every((x, i) => i === 0 || v[i - 1] < x);

/** Rows of sessions: 1-12 windows each, labels, with at least `minGroups` sessions. */
const sessions = fc
  .array(fc.record({ windows: fc.integer({ min: 1, max: 12 }), positiveRate: fc.constantFrom(0, 0, 0.1, 0.5) }), { minLength: 6, maxLength: 80 })
  .chain((groups) =>
    fc.tuple(
      fc.constant(groups),
      fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 12 * groups.length, maxLength: 12 * groups.length }),
    ),
  )
  .map(([groups, draws]) => {
    const groupOfRow: number[] = [];
    const y: number[] = [];
    groups.forEach((g, id) => {
      for (let w = 0; w < g.windows; w++) {
        groupOfRow.push(id * 7 + 3); // arbitrary ids, not 0..G-1
        y.push(draws[id * 12 + w] < g.positiveRate ? 1 : 0);
      }
    });
    return { groups: Int32Array.from(groupOfRow), y: Uint8Array.from(y), groupCount: groups.length };
  });

describe("groupedStratifiedKFold", () => {
  it("partitions rows, never splits a group, sorts rows, is seed-deterministic", () => {
    fc.assert(
      fc.property(sessions, fc.integer({ min: 2, max: 6 }), fc.integer({ min: 0, max: 0xffffffff }), ({ groups, y, groupCount }, k, seed) => {
        fc.pre(groupCount >= k);
        const folds = groupedStratifiedKFold(groups, y, k, seed);
        expect(folds.length).toBe(k);
        const n = groups.length;
        const seen = new Int32Array(n);
        for (const { train, test } of folds) {
          expect(test.length).toBeGreaterThan(0);
          expect(train.length + test.length).toBe(n);
          expect(isAscending(train) && isAscending(test)).toBe(true);
          for (const i of test) seen[i]++;
          const testGroups = new Set(Array.from(test, (i) => groups[i]));
          for (const i of train) expect(testGroups.has(groups[i])).toBe(false);
        }
        expect(seen.every((c) => c === 1)).toBe(true);
        const again = groupedStratifiedKFold(groups, y, k, seed);
        again.forEach((f, i) => {
          expect(Array.from(f.test)).toEqual(Array.from(folds[i].test));
          expect(Array.from(f.train)).toEqual(Array.from(folds[i].train));
        });
      }),
      { numRuns: 200 },
    );
  });

  it("spreads positives: every fold gets one when at least k groups hold positives", () => {
    fc.assert(
      fc.property(sessions, fc.integer({ min: 2, max: 6 }), fc.integer({ min: 0, max: 0xffffffff }), ({ groups, y }, k, seed) => {
        const positiveGroups = new Set<number>();
        y.forEach((v, i) => v === 1 && positiveGroups.add(groups[i]));
        fc.pre(positiveGroups.size >= k);
        for (const { test } of groupedStratifiedKFold(groups, y, k, seed)) {
          expect(test.some((i) => y[i] === 1)).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("with one row per group it is exact stratified k-fold (counts differ by at most 1)", () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 10, maxLength: 300 }), fc.integer({ min: 2, max: 7 }), fc.integer({ min: 0, max: 0xffffffff }), (labels, k, seed) => {
        const y = Uint8Array.from(labels, (b) => (b ? 1 : 0));
        const groups = Int32Array.from(labels, (_, i) => i);
        const folds = groupedStratifiedKFold(groups, y, k, seed);
        const sizes = folds.map((f) => f.test.length);
        const pos = folds.map((f) => f.test.reduce((s, i) => s + y[i], 0));
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
        expect(Math.max(...pos) - Math.min(...pos)).toBeLessThanOrEqual(1);
      }),
      { numRuns: 200 },
    );
  });

  it("different seeds give different folds; sessions of realistic size stay balanced", () => {
    // 300 sessions of 5-25 windows, ~6 % positive windows clustered in 30 % of sessions.
    const groups: number[] = [];
    const y: number[] = [];
    let s = 17;
    const rnd = (): number => ((s = (s * 48271) % 2147483647) / 2147483647);
    for (let g = 0; g < 300; g++) {
      const windows = 5 + Math.floor(rnd() * 21);
      const clicker = rnd() < 0.3;
      for (let w = 0; w < windows; w++) {
        groups.push(g);
        y.push(clicker && rnd() < 0.2 ? 1 : 0);
      }
    }
    const G = Int32Array.from(groups);
    const Y = Uint8Array.from(y);
    const a = groupedStratifiedKFold(G, Y, 5, 1);
    const b = groupedStratifiedKFold(G, Y, 5, 2);
    expect(Array.from(a[0].test)).not.toEqual(Array.from(b[0].test));
    const n = G.length;
    const rate = Y.reduce((t, v) => t + v, 0) / n;
    for (const { test } of a) {
      expect(Math.abs(test.length - n / 5) / (n / 5)).toBeLessThan(0.05);
      const foldRate = test.reduce((t, i) => t + Y[i], 0) / test.length;
      expect(Math.abs(foldRate - rate) / rate).toBeLessThan(0.1);
    }
  });

  it("throws RangeError for bad k, too few groups or mismatched lengths", () => {
    const g = Int32Array.of(1, 1, 2, 3);
    const y = Uint8Array.of(0, 1, 0, 1);
    expect(() => groupedStratifiedKFold(g, y, 1, 0)).toThrow(RangeError);
    expect(() => groupedStratifiedKFold(g, y, 4, 0)).toThrow(RangeError);
    expect(() => groupedStratifiedKFold(g, y.subarray(1), 2, 0)).toThrow(RangeError);
    // Seeds are uint32 (they seed a SeededRandom); the message names the bad value.
    for (const seed of [-1, 0.5, 2 ** 32, NaN]) expect(() => groupedStratifiedKFold(g, y, 2, seed)).toThrow(new RegExp(`got ${seed}`));
  });
});
