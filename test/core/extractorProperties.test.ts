import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ACTION_TYPES } from "../../src/core/actionTypes.js";
import { FEATURE_COUNT, FEATURE_NAMES, toFeatureVector } from "../../src/core/featureNames.js";
import type { InteractionEvent } from "../../src/core/interactionEvent.js";
import { SlidingWindowExtractor } from "../../src/core/slidingWindowExtractor.js";
import { referenceFeatures } from "./referenceFeatures.js";

/** Arbitrary sessions: any of the nine types in any order, duplicate times, bursts, long gaps. */
const sessionArb = fc
  .array(
    fc.record({
      type: fc.constantFrom(...ACTION_TYPES),
      gap: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 3, noNaN: true }), fc.double({ min: 0, max: 400, noNaN: true })),
      depth: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
    }),
    { maxLength: 80 },
  )
  .map((steps) => {
    let t = 0;
    return steps.map(({ type, gap, depth }): InteractionEvent => {
      t += gap;
      return depth === undefined ? { type, t } : { type, t, depth };
    });
  });

const queryGapsArb = fc.array(fc.double({ min: 0, max: 60, noNaN: true }), { minLength: 1, maxLength: 20 });

describe("extractor properties", () => {
  it("live queries (events pushed one at a time, asked at arbitrary times) equal the naive reference", () => {
    fc.assert(
      fc.property(sessionArb, queryGapsArb, (events, queryGaps) => {
        const extractor = new SlidingWindowExtractor();
        let next = 0;
        let t = 0;
        for (const gap of queryGaps) {
          t += gap;
          while (next < events.length && events[next].t <= t) extractor.push(events[next++]);
          const live = toFeatureVector(extractor.featuresAt(t));
          const expected = referenceFeatures(events, t);
          for (const name of FEATURE_NAMES) {
            // Sums are accumulated in a different order than the reference's.
            const tol = 1e-9 * Math.max(1, Math.abs(expected[name]));
            if (!(Math.abs(live[name] - expected[name]) <= tol)) {
              throw new Error(`${name} at t=${t}: live ${live[name]} vs reference ${expected[name]}`);
            }
          }
        }
      }),
      { numRuns: 400, seed: 7 },
    );
  });

  it("every feature is finite and within its documented range", () => {
    fc.assert(
      fc.property(sessionArb, fc.double({ min: 0, max: 2000, noNaN: true }), (events, extra) => {
        const extractor = new SlidingWindowExtractor();
        for (const e of events) extractor.push(e);
        const t = extractor.latestTime + extra;
        const f = extractor.featuresAt(t);
        expect(f.length).toBe(FEATURE_COUNT);
        const v = toFeatureVector(f);
        for (const name of FEATURE_NAMES) expect(Number.isFinite(v[name]), name).toBe(true);
        for (const name of ["scroll_depth_max", "window_focused", "attention_score", "action_entropy", "engagement_rhythm"] as const) {
          expect(v[name]).toBeGreaterThanOrEqual(0);
          expect(v[name]).toBeLessThanOrEqual(1 + 1e-12);
        }
        expect(v.burstiness_score).toBeGreaterThanOrEqual(-1);
        expect(v.burstiness_score).toBeLessThanOrEqual(1);
        expect(v.max_idle_gap).toBeGreaterThanOrEqual(v.time_since_last_action);
        expect(v.max_idle_gap).toBeLessThanOrEqual(120);
      }),
      { numRuns: 300, seed: 11 },
    );
  });
});
