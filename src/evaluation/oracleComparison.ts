import type { ProfileName } from "../core/session.js";
import { rocAuc } from "../training/classificationMetrics.js";
import { bootstrapAucRatio } from "./bootstrapRatio.js";
import type { HeldOutPredictions } from "./heldOutPredictions.js";
import { type ProfileBreakdown, profileBreakdown } from "./profileBreakdown.js";

/** The oracle next to the shipped model on the oracle's sample of held-out windows. */
export interface OracleComparison {
  rollouts: number;
  nSamples: number;
  nPositive: number;
  /** Mean of the Monte-Carlo standard errors `sqrt(p (1 - p) / rollouts)` of the raw estimates. */
  meanStandardError: number;
  rocAuc: number;
  /** The shipped model's ROC AUC on the same windows, and its share of the oracle's. */
  modelRocAuc: number;
  modelToOracle: number;
  /** 95 % interval of `modelToOracle` from session-clustered bootstrap resamples. */
  modelToOracleCi95: [number, number];
  perProfile: Array<ProfileBreakdown<"oracle" | "model">>;
}

/**
 * Compares the oracle's estimates (`raw`, and `smoothed` for ranking and log loss) with the
 * shipped model on held-out windows `positions` (into `heldOut`). `sessionOf(row)` and
 * `profileOf(row)` map a dataset row to its session and profile; `bootstrapSeed` seeds the
 * session bootstrap of the AUC ratio.
 */
export function compareWithOracle(
  heldOut: HeldOutPredictions,
  positions: Int32Array,
  raw: Float64Array,
  smoothed: Float64Array,
  options: { rollouts: number; bootstrapSeed: number; sessionOf: (row: number) => number; profileOf: (row: number) => ProfileName | undefined },
): OracleComparison {
  const y = Uint8Array.from(positions, (p) => heldOut.labels[p]);
  const model = Float64Array.from(positions, (p) => heldOut.model[p]);
  const groups = Int32Array.from(positions, (p) => options.sessionOf(heldOut.rows[p]));
  const profiles = Array.from(positions, (p) => options.profileOf(heldOut.rows[p]));
  const oracleAuc = rocAuc(smoothed, y);
  const modelAuc = rocAuc(model, y);
  let se = 0;
  for (const p of raw) se += Math.sqrt((p * (1 - p)) / options.rollouts);
  return {
    rollouts: options.rollouts,
    nSamples: positions.length,
    nPositive: y.reduce((a, b) => a + b, 0),
    meanStandardError: se / raw.length,
    rocAuc: oracleAuc,
    modelRocAuc: modelAuc,
    modelToOracle: modelAuc / oracleAuc,
    modelToOracleCi95: bootstrapAucRatio(model, smoothed, y, groups, { seed: options.bootstrapSeed }),
    perProfile: profileBreakdown(profiles, y, { oracle: smoothed, model }),
  };
}
