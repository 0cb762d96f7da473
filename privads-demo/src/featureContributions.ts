import { FEATURE_NAMES, heuristicFromFeatures, type FeatureName, type FeatureVector, type InteractionPredictor } from "privads";

export interface Contribution {
  name: FeatureName;
  value: number;
  /** Probability change caused by this feature's value, against the training mean (occlusion). */
  effect: number;
}

/**
 * How much each feature moves the probability: the probability with all features, minus the
 * probability with that one feature replaced by its training mean (the model imputes a
 * missing feature with its mean). The heuristic is scored the same way with the same means.
 */
export async function featureContributions(
  features: FeatureVector,
  probability: number,
  source: "model" | "heuristic",
  predictor: InteractionPredictor,
): Promise<Contribution[]> {
  const means = predictor.ready ? predictor.featureMeans : undefined;
  const out: Contribution[] = [];
  for (const name of FEATURE_NAMES) {
    let without: number;
    if (source === "model") {
      without = await predictor.predictClickProbability({ ...features, [name]: undefined });
    } else {
      const row = FEATURE_NAMES.map((n) => (n === name ? (means?.[n] ?? 0) : features[n]));
      without = heuristicFromFeatures(row);
    }
    out.push({ name, value: features[name], effect: probability - without });
  }
  return out.sort((a, b) => Math.abs(b.effect) - Math.abs(a.effect));
}
