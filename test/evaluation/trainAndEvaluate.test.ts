import { beforeAll, describe, expect, it } from "vitest";
import { FEATURE_SETS } from "../../src/core/featureNames.js";
import { heuristicFromFeatures } from "../../src/core/heuristicPrediction.js";
import { type InteractionModel, MODEL_FORMAT, MODEL_FORMAT_VERSION } from "../../src/core/interactionModel.js";
import { polynomialTerms, termNames } from "../../src/core/polynomialTerms.js";
import { modelMargin } from "../../src/core/scoreModel.js";
import { sigmoid } from "../../src/core/sigmoid.js";
import { DEFAULT_WINDOW_CONFIG } from "../../src/core/windowConfig.js";
import { seedFeaturesOf, type WindowDataset } from "../../src/dataset/windowDataset.js";
import { splitHeldOut } from "../../src/evaluation/heldOutSplit.js";
import { permutationImportance } from "../../src/evaluation/permutationImportance.js";
import { simulateWindows } from "../../src/pipeline/simulateWindows.js";
import { type TrainedModel, trainAndEvaluate } from "../../src/pipeline/trainAndEvaluate.js";
import { buildTrainingResults, type TrainingResults } from "../../src/results/trainingResults.js";
import { foldsOf } from "../../src/training/crossValidate.js";
import { fitLogisticRegression } from "../../src/training/logisticRegression.js";
import { makeRandom } from "../training/syntheticData.js";
import { documentedHeldOut } from "./documentedSplit.js";

const window = { ...DEFAULT_WINDOW_CONFIG };
const SEED = 21;
/** Width of the default (ads) set's rows. */
const FEATURE_COUNT = 26;

/** ROC AUC by counting every (positive, negative) pair: 1 when the positive scores higher, 1/2 on a tie. */
function pairwiseAuc(scores: ArrayLike<number>, y: ArrayLike<number>): number {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] !== 1) continue;
    for (let j = 0; j < y.length; j++) {
      if (y[j] !== 0) continue;
      pairs++;
      if (scores[i] > scores[j]) wins++;
      else if (scores[i] === scores[j]) wins += 0.5;
    }
  }
  return wins / pairs;
}

let dataset: WindowDataset;
let trained: TrainedModel;
let results: TrainingResults;
let train: Int32Array;
let test: Int32Array;

beforeAll(() => {
  dataset = simulateWindows(6000, SEED, window).dataset;
  expect(dataset.featureSet).toBe("ads"); // the default
  trained = trainAndEvaluate(dataset, { seed: SEED, window });
  results = buildTrainingResults(trained.run, trained.comparison, trained.timingsMs);
  ({ train, test } = splitHeldOut(dataset.sessionIndex, SEED));
});

describe("trainAndEvaluate: training on the training sessions", () => {
  it("holds out exactly the sessions the documented rule selects", () => {
    const expected: number[] = [];
    for (let r = 0; r < dataset.n; r++) if (documentedHeldOut(SEED, dataset.sessionIndex[r])) expected.push(r);
    expect(Array.from(trained.heldOut.rows)).toEqual(expected);
    const sessions = new Set(expected.map((r) => dataset.sessionIndex[r]));
    expect(trained.run.split.heldOut).toEqual({ nSamples: expected.length, nSessions: sessions.size, nPositive: expected.reduce((a, r) => a + dataset.labels[r], 0) });
  });

  it("fits the shipped model on the training sessions only", () => {
    const X = dataset.features;
    expect(trained.run.split.train.nSamples).toBe(train.length);
    expect(trained.run.split.heldOut.nSamples).toBe(test.length);
    expect(trained.heldOut.rows).toEqual(test);
    // The domain is the training rows' [0.1 %, 99.9 %] quantiles (linear interpolation between
    // order statistics) and the scaler the mean of the clamped values (independent recomputation).
    const domain = trained.model.domain!;
    for (let j = 0; j < FEATURE_COUNT; j++) {
      const column = Array.from(train, (r) => X[r * FEATURE_COUNT + j]).sort((a, b) => a - b);
      const quantile = (q: number) => {
        const at = q * (column.length - 1);
        const lo = Math.floor(at);
        return column[lo] + (column[Math.min(lo + 1, column.length - 1)] - column[lo]) * (at - lo);
      };
      expect(domain.low[j]).toBeCloseTo(quantile(0.001), 12);
      expect(domain.high[j]).toBeCloseTo(quantile(0.999), 12);
      const s = column.reduce((a, v) => a + Math.min(domain.high[j], Math.max(domain.low[j], v)), 0);
      expect(Math.abs(trained.model.scaler.mean[j] - s / train.length)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(s / train.length)));
    }
  });

  it("uses session-disjoint folds that cover the training rows and spread the positives", () => {
    const folds = foldsOf(dataset.sessionIndex, dataset.labels, train, 5, SEED);
    const trainSet = new Set(train);
    const seen = new Map<number, number>();
    let totalPositives = 0;
    for (const r of train) totalPositives += dataset.labels[r];
    // The largest number of positive windows one session holds bounds how evenly whole sessions can be dealt.
    const perSession = new Map<number, number>();
    for (const r of train) perSession.set(dataset.sessionIndex[r], (perSession.get(dataset.sessionIndex[r]) ?? 0) + dataset.labels[r]);
    const maxSessionPositives = Math.max(...perSession.values());
    folds.forEach(({ train: inner, test: held }, f) => {
      const heldSessions = new Set(Array.from(held, (r) => dataset.sessionIndex[r]));
      for (const r of inner) expect(heldSessions.has(dataset.sessionIndex[r])).toBe(false);
      expect(inner.length + held.length).toBe(train.length);
      for (const r of held) {
        expect(trainSet.has(r)).toBe(true);
        seen.set(r, (seen.get(r) ?? 0) + 1);
      }
      let positives = 0;
      for (const r of held) positives += dataset.labels[r];
      expect(Math.abs(positives - totalPositives / 5), `fold ${f}`).toBeLessThanOrEqual(maxSessionPositives);
      // The reported fold figures are these folds'.
      const reported = trained.run.cv.folds[f];
      expect([reported.nTrain, reported.nTest, reported.positivesTest]).toEqual([inner.length, held.length, positives]);
    });
    expect(seen.size).toBe(train.length);
    expect([...seen.values()].every((c) => c === 1)).toBe(true);
  });

  it("reports fold ROC AUCs equal to a pairwise count over the out-of-fold margins, and their mean and sd", () => {
    const folds = foldsOf(dataset.sessionIndex, dataset.labels, train, 5, SEED);
    const position = new Map<number, number>();
    train.forEach((r, i) => position.set(r, i));
    const aucs = folds.map(({ test: held }) =>
      pairwiseAuc(
        Array.from(held, (r) => trained.run.cv.oof[position.get(r)!]),
        Array.from(held, (r) => dataset.labels[r]),
      ),
    );
    aucs.forEach((auc, f) => expect(Math.abs(trained.run.cv.folds[f].rocAuc - auc), `fold ${f + 1}`).toBeLessThan(1e-12));
    const mean = aucs.reduce((a, b) => a + b, 0) / aucs.length;
    const sd = Math.sqrt(aucs.reduce((a, b) => a + (b - mean) ** 2, 0) / aucs.length);
    // The statistics are taken over the full-precision fold AUCs; the file rounds them once, to 6 decimals.
    expect(Math.abs(trained.run.cv.rocAucMean - mean)).toBeLessThan(1e-12);
    expect(Math.abs(trained.run.cv.rocAucStd - sd)).toBeLessThan(1e-12);
    expect(Math.abs(results.cv_results.roc_auc_mean - mean)).toBeLessThanOrEqual(5e-7);
    expect(Math.abs(results.cv_results.roc_auc_std - sd)).toBeLessThanOrEqual(5e-7);
  });
});

describe("trainAndEvaluate: the held-out evaluation", () => {
  it("reports held-out metrics of the shipped model as scored by the reference scorer", () => {
    const { model, heldOut } = trained;
    const X = dataset.features;
    const y = Uint8Array.from(test, (r) => dataset.labels[r]);
    const p = Float64Array.from(test, (r) => sigmoid(model.calibration.slope * modelMargin(model, X, r * FEATURE_COUNT) + model.calibration.intercept));
    for (let i = 0; i < p.length; i++) expect(Math.abs(p[i] - heldOut.model[i])).toBeLessThan(1e-9);
    expect(Math.abs(results.held_out.roc_auc - pairwiseAuc(p, y))).toBeLessThan(1e-6);
    // Without an oracle the comparison table covers every held-out window, so its degree-2 row is the headline.
    expect(results.comparison.windows).toBe("held_out");
    expect(results.comparison.rows.degree2_logistic.roc_auc).toBe(results.held_out.roc_auc);
    expect(results.comparison.rows.oracle).toBeNull();
    const mean = p.reduce((a, b) => a + b, 0) / p.length;
    expect(Math.abs(results.held_out.mean_predicted - mean)).toBeLessThan(1e-6);
    expect(results.held_out.reliability.reduce((a, b) => a + b.count, 0)).toBe(test.length);
  });

  it("breaks the held-out windows down by profile with counts and AUCs recomputed per profile", () => {
    const y = Uint8Array.from(test, (r) => dataset.labels[r]);
    let windows = 0;
    for (const [profile, row] of Object.entries(results.per_profile)) {
      const idx = [...test.keys()].filter((i) => dataset.sessionProfiles[dataset.sessionIndex[test[i]]] === profile);
      windows += idx.length;
      expect(row.n_samples).toBe(idx.length);
      const py = idx.map((i) => y[i]);
      const positives = py.reduce((a, b) => a + b, 0);
      expect(Math.abs(row.positive_ratio - positives / idx.length)).toBeLessThanOrEqual(5e-7);
      if (positives === 0 || positives === idx.length) expect(row.roc_auc).toBeNull();
      else expect(Math.abs(row.roc_auc! - pairwiseAuc(idx.map((i) => trained.heldOut.model[i]), py))).toBeLessThanOrEqual(5e-7);
    }
    expect(windows).toBe(test.length);
  });

  it("trains the plain logistic baseline as a direct fit on the 26 clamped, standardised training features", () => {
    const { model, heldOut } = trained;
    const X = dataset.features;
    const d = FEATURE_COUNT;
    const clamp = (v: number, j: number) => Math.min(model.domain!.high[j], Math.max(model.domain!.low[j], v));
    const z = (r: number, j: number) => (clamp(X[r * d + j], j) - model.scaler.mean[j]) / model.scaler.scale[j];
    const A = Float64Array.from({ length: train.length * d }, (_, i) => z(train[Math.floor(i / d)], i % d));
    const direct = fitLogisticRegression(A, train.length, d, Uint8Array.from(train, (r) => dataset.labels[r]), { C: 1, tolerance: 1e-10 });
    const y = Uint8Array.from(test, (r) => dataset.labels[r]);
    const margins = Float64Array.from(test, (r) => {
      let m = direct.intercept;
      for (let j = 0; j < d; j++) m += direct.coefficients[j] * z(r, j);
      return m;
    });
    // Platt is monotone, so the calibrated baseline ranks the windows as the direct fit's margins do.
    expect(Math.abs(pairwiseAuc(heldOut.plain, y) - pairwiseAuc(margins, y))).toBeLessThan(1e-4);
    expect(Math.abs(results.comparison.rows.plain_logistic.roc_auc - pairwiseAuc(margins, y))).toBeLessThan(1e-4);
  });

  it("is deterministic and ships the C of the best mean fold ROC AUC on the path; a fixed C has no path", () => {
    const small = simulateWindows(3000, 4, window).dataset;
    const a = trainAndEvaluate(small, { seed: 4, window });
    const b = trainAndEvaluate(small, { seed: 4, window });
    expect(a.model).toEqual(b.model);
    expect(a.run.path!.map((p) => p.C)).toEqual([1e-5, 1e-4, 1e-3, 1e-2, 0.1, 1, 10]);
    // The first of the best (ties go to the stronger regularisation).
    const best = a.run.path!.reduce((x, p) => (p.rocAucMean > x.rocAucMean ? p : x));
    expect(a.run.C).toBe(best.C);
    expect(a.run.cv.rocAucMean).toBe(best.rocAucMean);
    const fixed = trainAndEvaluate(small, { seed: 4, window, C: 1 });
    expect(fixed.run.path).toBeNull();
    expect(fixed.run.C).toBe(1);
  });
});

describe("trainAndEvaluate: the ads set beside the seed set", () => {
  it("ships a 26-feature, 377-term model and says so in the results", () => {
    expect(trained.model.featureNames).toEqual([...FEATURE_SETS.ads]);
    expect(trained.model.terms).toEqual(termNames(FEATURE_SETS.ads));
    expect(trained.model.coefficients.length).toBe(377);
    expect(results.config.features).toBe("ads");
    expect(results.config.model.terms).toBe(377);
    expect(Object.keys(results.feature_importance.per_feature)).toEqual([...FEATURE_SETS.ads]);
    expect(Object.keys(results.feature_importance.permutation.auc_drop)).toEqual([...FEATURE_SETS.ads]);
  });

  it("the seed columns of the ads windows are what a seed-set extraction gives", () => {
    const seedOnly = simulateWindows(6000, SEED, window, undefined, undefined, "seed").dataset;
    expect(seedOnly.featureSet).toBe("seed");
    expect(seedOnly.features.length).toBe(dataset.n * 20);
    expect(Array.from(seedFeaturesOf(dataset).features)).toEqual(Array.from(seedOnly.features));
    expect(Array.from(seedOnly.labels)).toEqual(Array.from(dataset.labels));
  });

  it("the seed model beside it is the model a --features seed run ships (same sessions, folds, C)", () => {
    const alone = trainAndEvaluate(seedFeaturesOf(dataset), { seed: SEED, window, C: trained.run.C });
    const aloneResults = buildTrainingResults(alone.run, alone.comparison, alone.timingsMs);
    expect(alone.model.featureNames).toEqual([...FEATURE_SETS.seed]);
    expect(aloneResults.config).toMatchObject({ features: "seed", model: { terms: 230 } });
    expect(aloneResults.seed_model).toBeNull();
    expect(aloneResults.comparison.rows.degree2_seed).toBeNull();
    const beside = results.seed_model!;
    expect(beside).toMatchObject({ features: "seed", terms: 230, C: trained.run.C });
    expect(beside.cv_roc_auc_mean).toBe(aloneResults.cv_results.roc_auc_mean);
    // Fitted separately but identically: the same problem to the solver's tolerance.
    for (let i = 0; i < test.length; i++) expect(Math.abs(trained.heldOut.seedModel![i] - alone.heldOut.model[i])).toBeLessThan(1e-6);
    expect(Math.abs(beside.held_out.roc_auc - aloneResults.held_out.roc_auc)).toBeLessThanOrEqual(1e-5);
    expect(results.comparison.rows.degree2_seed!.roc_auc).toBe(beside.held_out.roc_auc);
    // Each set's heuristic, recomputed from the raw rows.
    const y = Uint8Array.from(test, (r) => dataset.labels[r]);
    const ads = Array.from(test, (r) => heuristicFromFeatures(dataset.features, r * 26, "ads"));
    const seed = Array.from(test, (r) => heuristicFromFeatures(dataset.features, r * 26, "seed"));
    expect(Math.abs(results.heuristic.roc_auc - pairwiseAuc(ads, y))).toBeLessThanOrEqual(5e-7);
    expect(Math.abs(beside.heuristic.roc_auc - pairwiseAuc(seed, y))).toBeLessThanOrEqual(5e-7);
    expect(aloneResults.heuristic.roc_auc).toBe(beside.heuristic.roc_auc);
  });

  it("per profile: heuristic, plain and seed-model AUCs recomputed on the profile's windows", () => {
    const y = Uint8Array.from(test, (r) => dataset.labels[r]);
    for (const [profile, row] of Object.entries(results.per_profile)) {
      const idx = [...test.keys()].filter((i) => dataset.sessionProfiles[dataset.sessionIndex[test[i]]] === profile);
      const py = idx.map((i) => y[i]);
      const positives = py.reduce((a, b) => a + b, 0);
      if (positives === 0 || positives === idx.length) continue;
      expect(Math.abs(row.heuristic_roc_auc! - pairwiseAuc(idx.map((i) => trained.heldOut.heuristic[i]), py))).toBeLessThanOrEqual(5e-7);
      expect(Math.abs(row.plain_roc_auc! - pairwiseAuc(idx.map((i) => trained.heldOut.plain[i]), py))).toBeLessThanOrEqual(5e-7);
      expect(Math.abs(row.seed_model_roc_auc! - pairwiseAuc(idx.map((i) => trained.heldOut.seedModel![i]), py))).toBeLessThanOrEqual(5e-7);
    }
  });
});

describe.each([["seed", 20], ["ads", 26]] as const)("permutationImportance (%s set, %i features)", (set, FEATURE_COUNT) => {
  // A hand-made model on synthetic rows: identity scaler, margin = 2 * z_0 + z_0 * z_1 (features 0 and 1 only).
  const FEATURE_NAMES = FEATURE_SETS[set];
  const m = 3000;
  const { normal } = makeRandom(5);
  const X = Float64Array.from({ length: m * FEATURE_COUNT }, () => normal());
  const y = Uint8Array.from({ length: m }, (_, k) => (2 * X[k * FEATURE_COUNT] + normal() > 2.5 ? 1 : 0));
  const coefficients = polynomialTerms(FEATURE_COUNT).map(([i, j]) => (i === 0 && j < 0 ? 2 : i === 0 && j === 1 ? 1 : 0));
  const model: InteractionModel = {
    format: MODEL_FORMAT,
    version: MODEL_FORMAT_VERSION,
    featureNames: [...FEATURE_NAMES],
    window,
    scaler: { mean: new Array<number>(FEATURE_COUNT).fill(0), scale: new Array<number>(FEATURE_COUNT).fill(1) },
    terms: termNames(FEATURE_NAMES),
    coefficients,
    intercept: -1,
    calibration: { method: "platt", slope: 1, intercept: 0 },
    training: {},
  };
  const rows = Int32Array.from({ length: m }, (_, k) => k);

  it("drops nothing for features the model does not use, and about baseline - 1/2 for the one it relies on", () => {
    const result = permutationImportance(model, X, rows, y, { seed: 9, repeats: 3 });
    const margins = Float64Array.from(rows, (r) => modelMargin(model, X, r * FEATURE_COUNT));
    expect(Math.abs(result.baseline - pairwiseAuc(margins, y))).toBeLessThan(1e-12);
    for (let f = 2; f < FEATURE_COUNT; f++) {
      expect(result.mean[f], `feature ${f}`).toBe(0);
      expect(result.sd[f], `feature ${f}`).toBe(0);
    }
    // Labels depend on z_0 alone, so with z_0 shuffled the margin is independent of them: AUC about 1/2
    // (sd of a random AUC with ~360 positives of 3,000: sqrt((P + N + 1) / (12 P N)) ~ 0.016).
    expect(Math.abs(result.mean[0] - (result.baseline - 0.5))).toBeLessThan(0.05);
    expect(result.mean[0]).toBeGreaterThan(result.mean[1]);
  });
});
