import type { ProfileName } from "../core/session.js";
import { prAuc, type ReliabilityBin, reliabilityCurve, rocAuc } from "../training/classificationMetrics.js";
import type { HeldOutPredictions } from "./heldOutPredictions.js";
import { type MetricSummary, metricSummary } from "./metricSummary.js";
import { type ProfileBreakdown, profileBreakdown } from "./profileBreakdown.js";

/** The shipped model on every held-out window (the headline), the heuristic, and per profile. */
export interface HeldOutEvaluation {
  summary: MetricSummary;
  nSamples: number;
  nPositive: number;
  meanPredicted: number;
  /** 10 equal-width bins of the predicted probability. */
  reliability: ReliabilityBin[];
  heuristic: { rocAuc: number; prAuc: number };
  /** Per profile: the shipped model, the heuristic, the plain baseline and (beside an ads model) the seed model. */
  perProfile: Array<ProfileBreakdown<"model" | "heuristic" | "plain" | "seed">>;
}

/** Evaluates the held-out predictions; `profileOf(row)` is a dataset row's session profile. */
export function evaluateHeldOut(heldOut: HeldOutPredictions, profileOf: (row: number) => ProfileName | undefined): HeldOutEvaluation {
  const { labels: y, model } = heldOut;
  return {
    summary: metricSummary(model, y),
    nSamples: y.length,
    nPositive: y.reduce((a, b) => a + b, 0),
    meanPredicted: model.reduce((a, b) => a + b, 0) / y.length,
    reliability: reliabilityCurve(model, y, 10),
    heuristic: { rocAuc: rocAuc(heldOut.heuristic, y), prAuc: prAuc(heldOut.heuristic, y) },
    perProfile: profileBreakdown(Array.from(heldOut.rows, profileOf), y, {
      model,
      heuristic: heldOut.heuristic,
      plain: heldOut.plain,
      // Without a seed model the column repeats the shipped one (which then is the seed model).
      seed: heldOut.seedModel ?? model,
    }),
  };
}
