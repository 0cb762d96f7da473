import type { ActionType } from "../../src/core/actionTypes.js";
import { FEATURE_COUNT, FEATURE_NAMES } from "../../src/core/featureNames.js";
import type { InteractionEvent } from "../../src/core/interactionEvent.js";
import { extractSlidingWindowFeatures } from "../../src/core/slidingWindowExtractor.js";
import { withWaits } from "../../src/core/waitRule.js";
import { MODEL_FORMAT, MODEL_FORMAT_VERSION, parseInteractionModel, type InteractionModel } from "../../src/core/interactionModel.js";
import { POLYNOMIAL_TERMS, termNames } from "../../src/core/polynomialTerms.js";
import { DEFAULT_WINDOW_CONFIG } from "../../src/core/windowConfig.js";

/** Seeded PRNG (mulberry32) for test data: same seed, same numbers. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Plausible per-feature ranges (raw units) used for means, scales and random windows. */
export const FEATURE_RANGES: Record<(typeof FEATURE_NAMES)[number], [number, number]> = {
  time_since_last_action: [0, 120],
  avg_time_between_actions: [0, 60],
  session_duration: [0, 900],
  max_idle_gap: [0, 120],
  scroll_down_count: [0, 40],
  scroll_up_count: [0, 20],
  click_count: [0, 15],
  hover_count: [0, 20],
  wait_count: [0, 24],
  blur_count: [0, 5],
  focus_count: [0, 5],
  ad_click_count: [0, 3],
  scroll_depth_max: [0, 1],
  window_focused: [0, 1],
  interaction_density: [0, 1.5],
  attention_score: [0, 1],
  action_entropy: [0, 1],
  burstiness_score: [-1, 1],
  engagement_rhythm: [0, 1],
  scroll_velocity: [0, 0.1],
};

/** A model with random-but-plausible parameters: scaler from the ranges, small coefficients. */
export function randomModel(seed = 7): InteractionModel {
  const rand = mulberry32(seed);
  const mean = FEATURE_NAMES.map((name) => {
    const [lo, hi] = FEATURE_RANGES[name];
    return lo + (hi - lo) * (0.3 + 0.4 * rand());
  });
  const scale = FEATURE_NAMES.map((name) => {
    const [lo, hi] = FEATURE_RANGES[name];
    return (hi - lo) * (0.15 + 0.2 * rand());
  });
  const coefficients = POLYNOMIAL_TERMS.map(([, j]) => (j < 0 ? 0.8 : 0.12) * (2 * rand() - 1));
  return parseInteractionModel({
    format: MODEL_FORMAT,
    version: MODEL_FORMAT_VERSION,
    featureNames: [...FEATURE_NAMES],
    window: { ...DEFAULT_WINDOW_CONFIG },
    scaler: { mean, scale },
    terms: termNames(FEATURE_NAMES),
    coefficients,
    intercept: -1.2 + 0.5 * rand(),
    calibration: { method: "platt", slope: 0.8 + 0.4 * rand(), intercept: -2 + rand() },
    training: { seed, note: "random test model" },
  });
}

/** `count` random rows (flat, row-major) uniformly inside the plausible ranges. */
export function randomWindows(count: number, seed = 11): Float64Array {
  const rand = mulberry32(seed);
  const out = new Float64Array(count * FEATURE_COUNT);
  for (let r = 0; r < count; r++) {
    FEATURE_NAMES.forEach((name, i) => {
      const [lo, hi] = FEATURE_RANGES[name];
      const v = lo + (hi - lo) * rand();
      out[r * FEATURE_COUNT + i] = name.endsWith("_count") || name === "window_focused" ? Math.round(v) : v;
    });
  }
  return out;
}

/**
 * `count` realistic windows: a seeded random stream of observed actions (scrolls with depth,
 * clicks, hovers, focus changes, occasional ad clicks, pauses of 0.2-25 s), waits derived with
 * the shared rule, features from the shared extractor at t = 10, 20, ... for each session.
 */
export function realisticWindows(count: number, seed = 23): Float64Array {
  const rand = mulberry32(seed);
  const out = new Float64Array(count * FEATURE_COUNT);
  let rows = 0;
  const observed: ActionType[] = ["scroll_down", "scroll_down", "scroll_down", "scroll_up", "click", "hover", "hover", "click_ad"];
  while (rows < count) {
    const events: InteractionEvent[] = [];
    let t = 0;
    let depth = 0;
    let focused = true;
    const length = 30 + 600 * rand();
    while (t < length) {
      t += rand() < 0.2 ? 5 + 20 * rand() : 0.2 + 4 * rand();
      const r = rand();
      if (r < 0.06) {
        focused = !focused;
        events.push({ type: focused ? "focus_window" : "blur_window", t });
        continue;
      }
      const type = observed[Math.floor(rand() * observed.length)];
      if (type === "click_ad" && rand() < 0.8) continue;
      if (type === "scroll_down") depth = Math.min(1, depth + 0.15 * rand());
      if (type === "scroll_up") depth = Math.max(0, depth - 0.1 * rand());
      events.push(type.startsWith("scroll") ? { type, t, depth } : { type, t });
    }
    events.push({ type: "close_tab", t });
    const session = withWaits(events);
    for (let w = 10; w < t && rows < count; w += 10) {
      const features = extractSlidingWindowFeatures(session, w);
      FEATURE_NAMES.forEach((name, i) => (out[rows * FEATURE_COUNT + i] = features[name]));
      rows++;
    }
  }
  return out;
}
