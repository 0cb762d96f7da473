import {
  brierScore,
  calibrationRatio,
  expectedCalibrationError,
  logLoss,
  normalizedEntropy,
  prAuc,
  rocAuc,
} from "../training/classificationMetrics.js";

/** The comparison metrics of one predictor on one set of windows (see docs/training-results.md), full precision. */
export interface MetricSummary {
  rocAuc: number;
  prAuc: number;
  logLoss: number;
  normalizedEntropy: number;
  brier: number;
  calibrationRatio: number;
  ece: number;
}

/** Every {@link MetricSummary} metric of probabilities `p` against labels `y` (both classes needed). */
export function metricSummary(p: ArrayLike<number>, y: Uint8Array): MetricSummary {
  return {
    rocAuc: rocAuc(p, y),
    prAuc: prAuc(p, y),
    logLoss: logLoss(p, y),
    normalizedEntropy: normalizedEntropy(p, y),
    brier: brierScore(p, y),
    calibrationRatio: calibrationRatio(p, y),
    ece: expectedCalibrationError(p, y),
  };
}
