import { describe, expect, it } from "vitest";
import { DEFAULT_WINDOW_CONFIG } from "../../src/core/windowConfig.js";
import { WindowDatasetBuilder } from "../../src/dataset/windowDataset.js";
import { isHeldOutSession, splitHeldOut } from "../../src/evaluation/heldOutSplit.js";
import { SyntheticGenerator } from "../../src/generator/sessionGenerator.js";
import { simulateWindows } from "../../src/pipeline/simulateWindows.js";
import { documentedHeldOut } from "./documentedSplit.js";

describe("held-out split", () => {
  it("follows the documented rule exactly", () => {
    for (const seed of [0, 1, 42, 4294967295]) {
      for (let s = 0; s < 2000; s++) expect(isHeldOutSession(seed, s), `seed ${seed} session ${s}`).toBe(documentedHeldOut(seed, s));
    }
  });

  it.each([0, 1, 42, 4294967295])("holds out exactly one session of every block of five (seed %s)", (seed) => {
    for (let block = 0; block < 400; block++) {
      const held = [0, 1, 2, 3, 4].filter((i) => isHeldOutSession(seed, block * 5 + i));
      expect(held, `block ${block}`).toHaveLength(1);
    }
  });

  it("is a function of the seed: same seed same choice, other seeds other choices", () => {
    const pick = (seed: number) => Array.from({ length: 1000 }, (_, s) => isHeldOutSession(seed, s));
    expect(pick(42)).toEqual(pick(42));
    const differing = pick(42).filter((v, i) => v !== pick(43)[i]).length;
    expect(differing).toBeGreaterThan(200); // independent choices differ in 2 * 0.2 * 0.8 = 32 % of sessions
    // The position inside a block is spread evenly (chi-square-ish check over 2,000 blocks).
    const counts = [0, 0, 0, 0, 0];
    for (let s = 0; s < 10_000; s++) if (isHeldOutSession(7, s)) counts[s % 5]++;
    for (const c of counts) expect(Math.abs(c - 400)).toBeLessThan(80); // sd = sqrt(2000 * 0.2 * 0.8) = 17.9
  });

  it("never puts one session on both sides, and covers every row once", () => {
    const { dataset } = simulateWindows(4000, 3, { ...DEFAULT_WINDOW_CONFIG });
    const { train, test } = splitHeldOut(dataset.sessionIndex, 3);
    expect(train.length + test.length).toBe(dataset.n);
    const all = new Set([...train, ...test]);
    expect(all.size).toBe(dataset.n);
    const trainSessions = new Set(Array.from(train, (r) => dataset.sessionIndex[r]));
    const testSessions = new Set(Array.from(test, (r) => dataset.sessionIndex[r]));
    for (const s of testSessions) expect(trainSessions.has(s)).toBe(false);
    const sessions = dataset.sessionIds.length;
    expect(testSessions.size).toBeGreaterThanOrEqual(Math.floor(sessions / 5));
    expect(testSessions.size).toBeLessThanOrEqual(Math.ceil(sessions / 5));
    expect(splitHeldOut(dataset.sessionIndex, 3)).toEqual({ train, test });
  });

  it("rejects a bad session index", () => {
    expect(() => isHeldOutSession(1, -1)).toThrow(RangeError);
    expect(() => isHeldOutSession(1, 0.5)).toThrow(RangeError);
  });
});

describe("simulateWindows", () => {
  it("simulates exactly the sessions of SyntheticGenerator(seed), with truth for the held-out ones only", () => {
    const window = { ...DEFAULT_WINDOW_CONFIG };
    const plain = simulateWindows(3000, 11, window);
    const withTruth = simulateWindows(3000, 11, window, undefined, isHeldOutSession);
    const builder = new WindowDatasetBuilder(window);
    const generator = new SyntheticGenerator(11);
    while (builder.size < 3000) builder.addSession(generator.next().session, 3000 - builder.size);
    const reference = builder.build();
    expect(plain.dataset).toEqual(reference);
    expect(withTruth.dataset).toEqual(reference);
    expect(plain.truth.size).toBe(0);
    const heldSessions = new Set(Array.from(splitHeldOut(reference.sessionIndex, 11).test, (r) => reference.sessionIndex[r]));
    expect(new Set(withTruth.truth.keys())).toEqual(heldSessions);
    // A snapshot exists for every held-out window end.
    const { test } = splitHeldOut(reference.sessionIndex, 11);
    for (const r of test) {
      const truth = withTruth.truth.get(reference.sessionIndex[r])!;
      expect(truth.snapshots[reference.t[r] / 10 - 1].t).toBe(reference.t[r]);
    }
  });
});
