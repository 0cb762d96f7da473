import { describe, expect, it } from "vitest";
import { FEATURE_COUNT, FEATURE_INDEX, type FeatureName } from "../../src/core/featureNames.js";
import { calculateHeuristicPrediction, heuristicFromFeatures } from "../../src/core/heuristicPrediction.js";

function row(values: Partial<Record<FeatureName, number>>): Float64Array {
  const x = new Float64Array(FEATURE_COUNT);
  for (const [name, v] of Object.entries(values)) x[FEATURE_INDEX[name as FeatureName]] = v;
  return x;
}

const sigmoid = (s: number) => 1 / (1 + Math.exp(-s));

describe("heuristic baseline", () => {
  it("scores a focused, engaged window by hand", () => {
    // -6 + 0.9 (focused) + 0.8 * 1 (attention) + 0.3 * 2 (hovers) + 0 (ad clicks) + 1.5 * 0.5 (density) - 0.03 * 10 = -3.25
    const x = row({ window_focused: 1, attention_score: 1, hover_count: 2, interaction_density: 0.5, time_since_last_action: 10 });
    expect(Math.abs(heuristicFromFeatures(x) - sigmoid(-3.25))).toBeLessThan(1e-15);
  });

  it("caps hovers at 6, ad clicks at 2, density at 1 and idle time at 60 s", () => {
    // -6 + 0 + 0 + 0.3 * 6 + 0.7 * 2 + 1.5 * 1 - 0.03 * 60 = -3.1
    const x = row({ hover_count: 40, ad_click_count: 9, interaction_density: 7, time_since_last_action: 500 });
    expect(Math.abs(heuristicFromFeatures(x) - sigmoid(-3.1))).toBeLessThan(1e-15);
  });

  it("works from raw interactions through the extractor", () => {
    // One click at t = 3, asked at t = 3: focused, attention 1, density 1/10 (over the first offline window's 10 s), idle 0.
    const p = calculateHeuristicPrediction([{ type: "click", t: 3 }], 3);
    expect(Math.abs(p - sigmoid(-6 + 0.9 + 0.8 + 1.5 / 10))).toBeLessThan(1e-15);
  });
});
