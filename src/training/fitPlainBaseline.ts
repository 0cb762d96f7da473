import { type CrossValidation, crossValidate, type FoldDesign } from "./crossValidate.js";
import type { FeatureTransform } from "./featureTransform.js";
import { fitDegree2Model, type Degree2Fit } from "./fitDegree2Model.js";
import type { FoldSplit } from "./groupedKFold.js";
import { fitPlattCalibration, type PlattCalibration } from "./plattCalibration.js";

/** The plain (degree-1) logistic baseline as fitted: on the training rows' standardised features. */
export interface PlainBaseline {
  fitted: Degree2Fit;
  cv: CrossValidation;
  calibration: PlattCalibration;
}

/**
 * The comparison baseline: balanced L2 logistic regression (C = 1) on the F standardised
 * features of `rows` only (the shipped model's transform; `designs`: the folds' degree-1 designs),
 * cross-validated on the shipped model's `folds` and calibrated with Platt on its own
 * out-of-fold margins, exactly as the shipped model is.
 */
export function fitPlainBaseline(
  X: Float64Array,
  n: number,
  transform: FeatureTransform,
  y: Uint8Array,
  rows: Int32Array,
  folds: readonly FoldSplit[],
  designs: readonly FoldDesign[],
): PlainBaseline {
  const fitted = fitDegree2Model(X, n, transform, y, rows, 1, { degree: 1 });
  const cv = crossValidate(designs, y, rows, folds, { C: 1, init: fitted.fit });
  return { fitted, cv, calibration: fitPlattCalibration(cv.oof, Uint8Array.from(rows, (r) => y[r])) };
}
