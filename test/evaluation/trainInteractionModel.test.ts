import { describe, expect, it } from "vitest";
import { FEATURE_COUNT } from "../../src/core/featureNames.js";
import { modelMargin } from "../../src/core/scoreModel.js";
import { sigmoid } from "../../src/core/sigmoid.js";
import { DEFAULT_WINDOW_CONFIG } from "../../src/core/windowConfig.js";
import { splitHeldOut } from "../../src/evaluation/heldOutSplit.js";
import { permutationImportance } from "../../src/evaluation/permutationImportance.js";
import { SeededRandom } from "../../src/generator/seededRandom.js";
import { simulateWindows } from "../../src/pipeline/simulateWindows.js";
import { trainInteractionModel } from "../../src/pipeline/trainInteractionModel.js";
import { rocAuc } from "../../src/training/classificationMetrics.js";
import { fitLogisticRegression } from "../../src/training/logisticRegression.js";

const window = { ...DEFAULT_WINDOW_CONFIG };
const { dataset } = simulateWindows(6000, 21, window);
const trained = trainInteractionModel(dataset, { seed: 21, window });
const { train, test } = splitHeldOut(dataset.sessionIndex, 21);
const X = dataset.features;

describe("trainInteractionModel: held-out evaluation", () => {
  it("fits the shipped model on the training sessions only", () => {
    const { model, results } = trained;
    expect(results.split.train.n_samples).toBe(train.length);
    expect(results.split.held_out.n_samples).toBe(test.length);
    expect(model.training.n_samples).toBe(train.length);
    // The scaler is the training rows' mean (independent recomputation).
    for (let j = 0; j < FEATURE_COUNT; j++) {
      let s = 0;
      for (const r of train) s += X[r * FEATURE_COUNT + j];
      expect(Math.abs(model.scaler.mean[j] - s / train.length)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(s / train.length)));
    }
  });

  it("reports held-out metrics of the shipped model as scored by the reference scorer", () => {
    const { model, results, heldOut } = trained;
    const y = Uint8Array.from(test, (r) => dataset.labels[r]);
    const p = Float64Array.from(test, (r) => sigmoid(model.calibration.slope * modelMargin(model, X, r * FEATURE_COUNT) + model.calibration.intercept));
    for (let i = 0; i < p.length; i++) expect(Math.abs(p[i] - heldOut.model[i])).toBeLessThan(1e-9);
    expect(Math.abs(results.held_out.roc_auc - rocAuc(p, y))).toBeLessThan(1e-6);
    // Without an oracle the comparison table covers every held-out window, so its degree-2 row is the headline.
    expect(results.comparison.windows).toBe("held_out");
    expect(results.comparison.rows.degree2_logistic.roc_auc).toBe(results.held_out.roc_auc);
    expect(results.comparison.rows.oracle).toBeNull();
    const mean = p.reduce((a, b) => a + b, 0) / p.length;
    expect(Math.abs(results.held_out.mean_predicted - mean)).toBeLessThan(1e-6);
    const counts = results.held_out.reliability.reduce((a, b) => a + b.count, 0);
    expect(counts).toBe(test.length);
  });

  it("trains the plain logistic baseline as a direct fit on the 20 standardised training features", () => {
    const { model, plain, heldOut, results } = trained;
    const d = FEATURE_COUNT;
    const z = (r: number, j: number) => (X[r * d + j] - model.scaler.mean[j]) / model.scaler.scale[j];
    const A = Float64Array.from({ length: train.length * d }, (_, i) => z(train[Math.floor(i / d)], i % d));
    const direct = fitLogisticRegression(A, train.length, d, Uint8Array.from(train, (r) => dataset.labels[r]), { C: 1, tolerance: 1e-10 });
    for (let j = 0; j < d; j++) expect(Math.abs(plain.fit.coefficients[j] - direct.coefficients[j])).toBeLessThan(1e-4 * Math.max(1, Math.abs(direct.coefficients[j])));
    expect(Math.abs(plain.fit.intercept - direct.intercept)).toBeLessThan(1e-4);
    const y = Uint8Array.from(test, (r) => dataset.labels[r]);
    const margins = Float64Array.from(test, (r) => {
      let m = direct.intercept;
      for (let j = 0; j < d; j++) m += direct.coefficients[j] * z(r, j);
      return m;
    });
    for (let i = 0; i < test.length; i++) {
      expect(Math.abs(heldOut.plain[i] - sigmoid(plain.calibration.slope * margins[i] + plain.calibration.intercept))).toBeLessThan(1e-5);
    }
    expect(Math.abs(results.comparison.rows.plain_logistic.roc_auc - rocAuc(margins, y))).toBeLessThan(1e-4);
  });

  it("computes permutation importance equal to a full re-score with the same shuffles", () => {
    const { model } = trained;
    const rows = test.slice(0, 600);
    const y = Uint8Array.from(rows, (r) => dataset.labels[r]);
    const result = permutationImportance(model, X, rows, y, { seed: 77, repeats: 2 });
    const base = rocAuc(Float64Array.from(rows, (r) => modelMargin(model, X, r * FEATURE_COUNT)), y);
    expect(Math.abs(result.baseline - base)).toBeLessThan(1e-12);
    const root = new SeededRandom(77);
    for (const f of [0, 7, 12, 19]) {
      const drops: number[] = [];
      for (let rep = 0; rep < 2; rep++) {
        const rng = root.fork(rep * FEATURE_COUNT + f);
        const perm = Int32Array.from(rows, (_, k) => k);
        for (let k = perm.length - 1; k > 0; k--) {
          const s = Math.floor(rng.uniform() * (k + 1));
          [perm[k], perm[s]] = [perm[s], perm[k]];
        }
        const scores = Float64Array.from(rows, (r, k) => {
          const x = X.slice(r * FEATURE_COUNT, (r + 1) * FEATURE_COUNT);
          x[f] = X[rows[perm[k]] * FEATURE_COUNT + f];
          return modelMargin(model, x);
        });
        drops.push(base - rocAuc(scores, y));
      }
      expect(Math.abs(result.mean[f] - (drops[0] + drops[1]) / 2), `feature ${f}`).toBeLessThan(1e-9);
    }
  });

  it("is deterministic and picks C from the grid with --tune", () => {
    const small = simulateWindows(3000, 4, window).dataset;
    const a = trainInteractionModel(small, { seed: 4, window, tune: true });
    const b = trainInteractionModel(small, { seed: 4, window, tune: true });
    expect(a.model).toEqual(b.model);
    const tuning = a.results.tuning!;
    expect(tuning.grid).toEqual([0.01, 0.1, 1, 10]);
    const best = Math.max(...tuning.curve.map((c) => c.roc_auc_mean));
    expect(tuning.curve.find((c) => c.C === tuning.chosen_C)!.roc_auc_mean).toBe(best);
    expect(a.model.training.C).toBe(tuning.chosen_C);
    expect(a.results.cv_results.roc_auc_mean).toBe(best);
    expect(trainInteractionModel(small, { seed: 4, window }).results.tuning).toBeNull();
  });
});
