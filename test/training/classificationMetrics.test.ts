import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  brierScore,
  calibrationRatio,
  expectedCalibrationError,
  logLoss,
  normalizedEntropy,
  prAuc,
  reliabilityCurve,
  rocAuc,
} from "../../src/training/classificationMetrics.js";

const close = (a: number, b: number, tol: number): void => {
  expect(Math.abs(a - b)).toBeLessThan(tol);
};

describe("rocAuc (hand-computed)", () => {
  const cases: Array<[string, number[], number[], number]> = [
    ["scikit-learn's doc example", [0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1], 0.75],
    ["perfect", [0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1], 1],
    ["reversed", [0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1], 0],
    ["all tied", [0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1], 0.5],
    // pairs (pos, neg): (2,1)=1, (2,2)=0.5, (3,1)=1, (3,2)=1 -> 3.5 / 4
    ["a tie across classes", [1, 2, 2, 3], [0, 0, 1, 1], 0.875],
    // positives 3,3 vs negatives 3,1,1: each positive beats 2 and ties 1 -> 2 * 2.5 / 6
    ["tie groups", [3, 3, 3, 1, 1], [1, 1, 0, 0, 0], 5 / 6],
  ];
  for (const [name, s, y, expected] of cases) {
    it(name, () => close(rocAuc(s, y), expected, 1e-15));
  }
  it("throws on a single class or mismatched lengths", () => {
    expect(() => rocAuc([1, 2], [1, 1])).toThrow(RangeError);
    expect(() => rocAuc([1, 2, 3], [1, 0])).toThrow(RangeError);
    expect(() => rocAuc([1, 2], [1, 2])).toThrow(RangeError);
  });
  it("is invariant to monotone transforms and agrees with an O(n^2) pair count", () => {
    let seed = 3;
    const rnd = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const s = Array.from({ length: 400 }, () => Math.round(rnd() * 30) / 10);
    const y = s.map((v) => (rnd() < 0.2 + v / 6 ? 1 : 0));
    let pairs = 0;
    let total = 0;
    for (let i = 0; i < s.length; i++) {
      for (let j = 0; j < s.length; j++) {
        if (y[i] === 1 && y[j] === 0) {
          total++;
          pairs += s[i] > s[j] ? 1 : s[i] === s[j] ? 0.5 : 0;
        }
      }
    }
    close(rocAuc(s, y), pairs / total, 1e-12);
    close(rocAuc(s.map((v) => Math.exp(3 * v)), y), pairs / total, 1e-12);
  });
});

describe("prAuc = average precision (hand-computed)", () => {
  it("scikit-learn's doc example", () => close(prAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]), (1 + 2 / 3) / 2, 1e-15));
  // threshold 0.9: R 1/2, P 1; threshold 0.5 (a positive and a negative tied): R 1, P 2/3
  it("tied scores enter together", () => close(prAuc([0.5, 0.5, 0.9, 0.1], [1, 0, 1, 0]), 0.5 + 0.5 * (2 / 3), 1e-15));
  it("all tied = positive rate", () => close(prAuc([1, 1, 1, 1, 1], [1, 0, 0, 1, 0]), 0.4, 1e-15));
  it("throws without positives", () => expect(() => prAuc([1, 2], [0, 0])).toThrow(RangeError));
});

describe("probability metrics (hand-computed)", () => {
  it("logLoss", () => {
    close(logLoss([0.5, 0.5], [0, 1]), Math.log(2), 1e-15);
    close(logLoss([0.8, 0.1], [1, 0]), -(Math.log(0.8) + Math.log(0.9)) / 2, 1e-15);
    // clipped to [1e-15, 1 - 1e-15], not infinite (1 - (1 - 1e-15) is 9.992e-16 in doubles)
    close(logLoss([0, 1], [1, 0]), -(Math.log(1e-15) + Math.log(1 - (1 - 1e-15))) / 2, 1e-12);
  });
  it("normalizedEntropy is 1 for the constant base-rate prediction", () => {
    const y = [1, 0, 0, 0, 0, 0, 0, 1, 0, 0];
    close(normalizedEntropy(new Array(10).fill(0.2), y), 1, 1e-14);
    close(normalizedEntropy([0.9, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.9, 0.1, 0.1], y), -Math.log(0.9) / -(0.2 * Math.log(0.2) + 0.8 * Math.log(0.8)), 1e-14);
    expect(() => normalizedEntropy([0.1, 0.2], [0, 0])).toThrow(RangeError);
  });
  it("brierScore and calibrationRatio", () => {
    close(brierScore([0.1, 0.9, 0.5], [0, 1, 1]), (0.01 + 0.01 + 0.25) / 3, 1e-15);
    close(calibrationRatio([0.1, 0.3, 0.2, 0.2], [0, 1, 0, 0]), 0.8, 1e-15);
  });
  it("reliabilityCurve and expectedCalibrationError on two bins", () => {
    const p = [0.1, 0.2, 0.3, 0.6, 0.8, 1.0];
    const y = [0, 0, 1, 1, 1, 0];
    const curve = reliabilityCurve(p, y, 2);
    expect(curve.map((b) => b.count)).toEqual([3, 3]);
    close(curve[0].meanPredicted!, 0.2, 1e-15);
    close(curve[0].observedRate!, 1 / 3, 1e-15);
    close(curve[1].meanPredicted!, 0.8, 1e-15);
    close(curve[1].observedRate!, 2 / 3, 1e-15);
    expect([curve[1].lower, curve[1].upper]).toEqual([0.5, 1]);
    // 3/6 |0.2 - 1/3| + 3/6 |0.8 - 2/3|
    close(expectedCalibrationError(p, y, 2), 0.5 * (2 / 15) + 0.5 * (2 / 15), 1e-15);
    const empty = reliabilityCurve([0.05, 0.06], [0, 1], 10);
    expect(empty[5]).toEqual({ lower: 0.5, upper: 0.6, count: 0, meanPredicted: null, observedRate: null });
  });
});

describe("agreement with scikit-learn metrics (tied scores, p with exact 0 and 1)", () => {
  const data = JSON.parse(readFileSync(new URL("../fixtures/sklearn/metrics.json", import.meta.url), "utf8")) as {
    y: number[];
    scores: number[];
    p: number[];
    rocAuc: number;
    averagePrecision: number;
    logLoss: number;
    brier: number;
  };
  const y = Uint8Array.from(data.y);
  it("roc_auc_score", () => close(rocAuc(data.scores, y), data.rocAuc, 1e-12));
  it("average_precision_score", () => close(prAuc(data.scores, y), data.averagePrecision, 1e-12));
  it("log_loss(eps=1e-15)", () => close(logLoss(data.p, y), data.logLoss, 1e-12));
  it("brier_score_loss", () => close(brierScore(data.p, y), data.brier, 1e-14));
});
