import { FEATURE_INDEX } from "./featureNames.js";
import type { InteractionEvent } from "./interactionEvent.js";
import { sigmoid } from "./sigmoid.js";
import { windowFeatureRow } from "./slidingWindowExtractor.js";

const F = FEATURE_INDEX;

/**
 * The hand-set baseline: engaged, focused, recently active readers who hover things are
 * likelier to click an ad. The weights are set by hand; only the intercept was chosen from
 * data (seed 7, not the evaluation seed 42) so the mean prediction matches the ~6 % base rate:
 * it was 5x too high. It answers while the model loads (or if it cannot load), and is the
 * yardstick the trained model must beat.
 * Takes a dense feature row in contract order.
 */
export function heuristicFromFeatures(x: ArrayLike<number>, offset = 0): number {
  const score =
    -6.0 +
    0.9 * x[offset + F.window_focused] +
    0.8 * x[offset + F.attention_score] +
    0.3 * Math.min(x[offset + F.hover_count], 6) +
    0.7 * Math.min(x[offset + F.ad_click_count], 2) +
    1.5 * Math.min(x[offset + F.interaction_density], 1) -
    0.03 * Math.min(x[offset + F.time_since_last_action], 60);
  return sigmoid(score);
}

/**
 * Heuristic click probability for the window ending at `t` (default: the latest event)
 * of a session's interactions in time order.
 */
export function calculateHeuristicPrediction(interactions: readonly InteractionEvent[], t?: number): number {
  return heuristicFromFeatures(windowFeatureRow(interactions, t));
}
