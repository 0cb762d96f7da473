import type { ActionType } from "../../src/core/actionTypes.js";
import type { AdSignal } from "../../src/core/adSignal.js";
import { FEATURE_SETS, type FeatureName, type FeatureSetName } from "../../src/core/featureNames.js";
import type { InteractionEvent } from "../../src/core/interactionEvent.js";
import { windowFeatureRow } from "../../src/core/slidingWindowExtractor.js";
import { withWaits } from "../../src/core/waitRule.js";
import { MODEL_FORMAT, MODEL_FORMAT_VERSION, parseInteractionModel, type InteractionModel } from "../../src/core/interactionModel.js";
import { polynomialTerms, termNames } from "../../src/core/polynomialTerms.js";
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
export const FEATURE_RANGES: Record<FeatureName, [number, number]> = {
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
  ads_in_view: [0, 3],
  ad_view_seconds: [0, 120],
  time_since_ad_view: [0, 120],
  ad_views_started: [0, 4],
  pointer_on_ad: [0, 1],
  pointer_on_ad_seconds: [0, 30],
};

/** Features that only take whole values. */
const INTEGER_FEATURES = new Set<FeatureName>(["window_focused", "ads_in_view", "pointer_on_ad"]);

/**
 * A model of feature set `set` with random-but-plausible parameters: scaler from the ranges,
 * small coefficients. The default `seed` set keeps the numbers of the 20-feature model this
 * helper made before feature sets (same seed, same model).
 */
export function randomModel(seed = 7, set: FeatureSetName = "seed"): InteractionModel {
  const rand = mulberry32(seed);
  const names = FEATURE_SETS[set];
  const mean = names.map((name) => {
    const [lo, hi] = FEATURE_RANGES[name];
    return lo + (hi - lo) * (0.3 + 0.4 * rand());
  });
  const scale = names.map((name) => {
    const [lo, hi] = FEATURE_RANGES[name];
    return (hi - lo) * (0.15 + 0.2 * rand());
  });
  // Smaller products for the wider set keep its margins (and probabilities) as spread as the seed's.
  const product = set === "seed" ? 0.12 : 0.1;
  const coefficients = polynomialTerms(names.length).map(([, j]) => (j < 0 ? 0.8 : product) * (2 * rand() - 1));
  return parseInteractionModel({
    format: MODEL_FORMAT,
    version: MODEL_FORMAT_VERSION,
    featureNames: [...names],
    window: { ...DEFAULT_WINDOW_CONFIG },
    scaler: { mean, scale },
    terms: termNames(names),
    coefficients,
    intercept: -1.2 + 0.5 * rand(),
    calibration: { method: "platt", slope: 0.8 + 0.4 * rand(), intercept: -2 + rand() },
    training: { seed, note: "random test model" },
  });
}

/** `count` random rows of the set's features (flat, row-major) uniformly inside the plausible ranges. */
export function randomWindows(count: number, seed = 11, set: FeatureSetName = "seed"): Float64Array {
  const rand = mulberry32(seed);
  const names = FEATURE_SETS[set];
  const F = names.length;
  const out = new Float64Array(count * F);
  for (let r = 0; r < count; r++) {
    names.forEach((name, i) => {
      const [lo, hi] = FEATURE_RANGES[name];
      const v = lo + (hi - lo) * rand();
      out[r * F + i] = name.endsWith("_count") || name.endsWith("_started") || INTEGER_FEATURES.has(name) ? Math.round(v) : v;
    });
  }
  return out;
}

/**
 * `count` realistic windows of the set's features: a seeded random stream of observed actions
 * (scrolls with depth, clicks, hovers, focus changes, occasional ad clicks, pauses of 0.2-25 s),
 * waits derived with the shared rule and, for the `ads` set, ad signals (slots becoming
 * viewable or not, the pointer entering and leaving them); features from the shared extractor
 * at t = 10, 20, ... for each session. The `seed` set's stream is the one this helper drew
 * before feature sets (same seed, same windows).
 */
export function realisticWindows(count: number, seed = 23, set: FeatureSetName = "seed"): Float64Array {
  const rand = mulberry32(seed);
  const F = FEATURE_SETS[set].length;
  const out = new Float64Array(count * F);
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
    const session: Array<InteractionEvent | AdSignal> = withWaits(events);
    if (set === "ads") mixInAdSignals(session, rand);
    for (let w = 10; w < t && rows < count; w += 10) {
      out.set(windowFeatureRow(session, w, {}, set), rows * F);
      rows++;
    }
  }
  return out;
}

/**
 * Adds ad signals to a session in time order (a drawn walk, separate from the action stream's
 * draws): slots become viewable or stop (0-3 in view), the pointer enters and leaves them.
 */
function mixInAdSignals(session: Array<InteractionEvent | AdSignal>, rand: () => number): void {
  const end = session[session.length - 1].t;
  const signals: AdSignal[] = [];
  let inView = 0;
  let onAd = 0;
  for (let t = 1 + 10 * rand(); t < end; t += 1 + 15 * rand()) {
    if (rand() < 0.6) {
      inView = Math.max(0, Math.min(3, inView + (rand() < 0.55 ? 1 : -1)));
      signals.push({ type: "ads_in_view", t, value: inView });
    } else {
      onAd = inView > 0 && onAd === 0 ? 1 : 0;
      signals.push({ type: "pointer_on_ad", t, value: onAd });
    }
  }
  const merged = [...session, ...signals].sort((a, b) => a.t - b.t); // stable: events first at equal t
  session.splice(0, session.length, ...merged);
}

/**
 * A copy of `model` with a domain: each feature's plausible range (FEATURE_RANGES, the range
 * `randomWindows` draws from) as the range the model was "trained" on.
 */
export function withDomain(model: InteractionModel): InteractionModel {
  const names = model.featureNames;
  return parseInteractionModel({
    ...model,
    domain: { low: names.map((name) => FEATURE_RANGES[name][0]), high: names.map((name) => FEATURE_RANGES[name][1]) },
  });
}

/**
 * Rows outside and on the edges of `withDomain`'s ranges, row-major, for the set's F features:
 * far above (high x 1e6, plus 1e6 where high is 0), far below (-(|low| + 1) x 1e6), exactly at
 * low, exactly at high, and rows mixing in-range, above and below values feature by feature.
 * All finite (no NaN, no Infinity): the runtimes refuse non-finite input before scoring.
 */
export function outOfDomainRows(set: FeatureSetName, mixed = 20, seed = 31): Float64Array {
  const names = FEATURE_SETS[set];
  const rand = mulberry32(seed);
  const above = (name: FeatureName) => FEATURE_RANGES[name][1] * 1e6 + 1e6;
  const below = (name: FeatureName) => -(Math.abs(FEATURE_RANGES[name][0]) + 1) * 1e6;
  const rows: number[][] = [names.map(above), names.map(below), names.map((n) => FEATURE_RANGES[n][0]), names.map((n) => FEATURE_RANGES[n][1])];
  for (let r = 0; r < mixed; r++) {
    rows.push(
      names.map((name) => {
        const [lo, hi] = FEATURE_RANGES[name];
        const u = rand();
        return u < 0.3 ? hi + above(name) * rand() : u < 0.6 ? lo + below(name) * rand() : lo + (hi - lo) * rand();
      }),
    );
  }
  return Float64Array.from(rows.flat());
}
