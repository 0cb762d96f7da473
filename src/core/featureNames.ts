/** The 20 model features, in the contract's order (DESIGN.md). */
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

export type FeatureName = (typeof FEATURE_NAMES)[number];

export const FEATURE_COUNT = FEATURE_NAMES.length;

/** The 20 features by name. */
export type FeatureVector = Record<FeatureName, number>;

/** Position of each feature in {@link FEATURE_NAMES}. */
export const FEATURE_INDEX: Readonly<Record<FeatureName, number>> = Object.freeze(
  Object.fromEntries(FEATURE_NAMES.map((name, i) => [name, i])) as Record<FeatureName, number>,
);

export function isFeatureName(value: unknown): value is FeatureName {
  return typeof value === "string" && Object.prototype.hasOwnProperty.call(FEATURE_INDEX, value);
}

/** Names a dense feature row (length 20, contract order). */
export function toFeatureVector(row: ArrayLike<number>, offset = 0): FeatureVector {
  const out = {} as FeatureVector;
  for (let i = 0; i < FEATURE_COUNT; i++) out[FEATURE_NAMES[i]] = row[offset + i];
  return out;
}
