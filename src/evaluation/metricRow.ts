import {
  brierScore,
  calibrationRatio,
  expectedCalibrationError,
  logLoss,
  normalizedEntropy,
  prAuc,
  rocAuc,
} from "../training/classificationMetrics.js";

/** The comparison metrics of one predictor on one set of windows (see docs/training-results.md). */
export interface MetricRow {
  roc_auc: number;
  pr_auc: number;
  log_loss: number;
  normalized_entropy: number;
  brier: number;
  calibration_ratio: number;
  ece: number;
}

/** Rounds to `digits` decimals (results files keep 6). */
export function round(value: number, digits = 6): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Every {@link MetricRow} metric of probabilities `p` against labels `y` (both classes needed). */
export function metricRow(p: ArrayLike<number>, y: Uint8Array): MetricRow {
  return {
    roc_auc: round(rocAuc(p, y)),
    pr_auc: round(prAuc(p, y)),
    log_loss: round(logLoss(p, y)),
    normalized_entropy: round(normalizedEntropy(p, y)),
    brier: round(brierScore(p, y)),
    calibration_ratio: round(calibrationRatio(p, y)),
    ece: round(expectedCalibrationError(p, y)),
  };
}
