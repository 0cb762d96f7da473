/** The 20 interaction features, in contract order (docs/features.md): the `seed` feature set. */
export const FEATURE_NAMES = [
  "time_since_last_action",
  "avg_time_between_actions",
  "session_duration",
  "max_idle_gap",
  "scroll_down_count",
  "scroll_up_count",
  "click_count",
  "hover_count",
  "wait_count",
  "blur_count",
  "focus_count",
  "ad_click_count",
  "scroll_depth_max",
  "window_focused",
  "interaction_density",
  "attention_score",
  "action_entropy",
  "burstiness_score",
  "engagement_rhythm",
  "scroll_velocity",
] as const;

/** The six ad features (contract v2), appended after the 20 in the `ads` set. */
export const AD_FEATURE_NAMES = [
  "ads_in_view",
  "ad_view_seconds",
  "time_since_ad_view",
  "ad_views_started",
  "pointer_on_ad",
  "pointer_on_ad_seconds",
] as const;

export type InteractionFeatureName = (typeof FEATURE_NAMES)[number];
export type AdFeatureName = (typeof AD_FEATURE_NAMES)[number];
export type FeatureName = InteractionFeatureName | AdFeatureName;

/** Number of interaction features (the `seed` set's width; the ad features start here). */
export const FEATURE_COUNT = FEATURE_NAMES.length;

/**
 * The feature sets a model can be trained on: `ads` (the 26, the default) and `seed` (the 20
 * interaction features, the first model's). Everything downstream (model files, ONNX width,
 * CSV header, predictor, report) follows the set the model was trained with.
 */
export const FEATURE_SETS = Object.freeze({
  ads: Object.freeze([...FEATURE_NAMES, ...AD_FEATURE_NAMES]) as readonly FeatureName[],
  seed: FEATURE_NAMES as readonly FeatureName[],
});

export type FeatureSetName = keyof typeof FEATURE_SETS;

export const FEATURE_SET_NAMES: readonly FeatureSetName[] = Object.freeze(["ads", "seed"]);

export const DEFAULT_FEATURE_SET: FeatureSetName = "ads";

export function isFeatureSetName(value: unknown): value is FeatureSetName {
  return value === "ads" || value === "seed";
}

/** The set whose names are exactly `names` in order, if any (an old model lists the 20). */
export function featureSetOf(names: readonly string[]): FeatureSetName | undefined {
  return FEATURE_SET_NAMES.find((set) => {
    const expected = FEATURE_SETS[set];
    return names.length === expected.length && names.every((name, i) => name === expected[i]);
  });
}

/** The features of one window by name: the 20 always, the six ad features with the `ads` set. */
export type FeatureVector = Record<InteractionFeatureName, number> & Partial<Record<AdFeatureName, number>>;

/** Position of each feature in the `ads` set (the 20 keep their positions in `seed`). */
export const FEATURE_INDEX: Readonly<Record<FeatureName, number>> = Object.freeze(
  Object.fromEntries(FEATURE_SETS.ads.map((name, i) => [name, i])) as Record<FeatureName, number>,
);

export function isFeatureName(value: unknown): value is FeatureName {
  return typeof value === "string" && Object.prototype.hasOwnProperty.call(FEATURE_INDEX, value);
}

/** Names a dense feature row of a set (contract order; default the 20 of `seed`). */
export function toFeatureVector(row: ArrayLike<number>, offset = 0, set: FeatureSetName = "seed"): FeatureVector {
  const names = FEATURE_SETS[set];
  const out = {} as Record<FeatureName, number>;
  for (let i = 0; i < names.length; i++) out[names[i]] = row[offset + i];
  return out;
}
