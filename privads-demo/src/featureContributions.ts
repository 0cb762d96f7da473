import { heuristicFromFeatures, type FeatureName, type FeatureVector, type InteractionPredictor } from "privads";
import type { ClickPredictionState } from "privads/react";

export interface Contribution {
  name: FeatureName;
  value: number;
  /** Probability change caused by this feature's value, against the training mean (occlusion). */
  effect: number;
}

/**
 * How much each feature moves the probability: the probability with all features, minus the
 * probability with that one feature replaced by its training mean (the model imputes a
 * missing feature with its mean). The heuristic is scored the same way with the same means
 * (0 where the model has none, e.g. the ad features next to a 20-feature model).
 */
export async function featureContributions(
  features: FeatureVector,
  featureSet: NonNullable<ClickPredictionState["featureSet"]>,
  probability: number,
  source: "model" | "heuristic",
  predictor: InteractionPredictor,
): Promise<Contribution[]> {
  const means: Partial<FeatureVector> | undefined = predictor.ready ? predictor.featureMeans : undefined;
  // The snapshot names its set's features in contract order (the 20, then the ad features).
  const names = Object.keys(features) as FeatureName[];
  const out: Contribution[] = [];
  for (const name of names) {
    let without: number;
    if (source === "model") {
      without = await predictor.predictClickProbability({ ...features, [name]: undefined });
    } else {
      const row = names.map((n) => (n === name ? (means?.[n] ?? 0) : (features[n] ?? 0)));
      without = heuristicFromFeatures(row, 0, featureSet);
    }
    out.push({ name, value: features[name] ?? 0, effect: probability - without });
  }
  return out.sort((a, b) => Math.abs(b.effect) - Math.abs(a.effect));
}
