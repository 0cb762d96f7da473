import { describe, expect, it } from "vitest";
import { FEATURE_COUNT, FEATURE_NAMES } from "../../src/core/featureNames.js";
import { extractSessionWindows } from "../../src/core/sessionWindows.js";
import { SlidingWindowExtractor } from "../../src/core/slidingWindowExtractor.js";
import { SyntheticGenerator } from "../../src/generator/sessionGenerator.js";
import { referenceFeatures } from "./referenceFeatures.js";

describe("live mode == batch mode on generated sessions", () => {
  it("2,000 sessions: pushing events one by one and asking after every event gives the batch rows exactly", () => {
    const generator = new SyntheticGenerator(123);
    const live = new SlidingWindowExtractor();
    const row = new Float64Array(FEATURE_COUNT);
    let windows = 0;
    for (let s = 0; s < 2000; s++) {
      const { session } = generator.next();
      const batch = extractSessionWindows(session.events);
      live.reset();
      let next = 0;
      batch.t.forEach((t, r) => {
        // Extra queries at every event time must not disturb the state.
        while (next < session.events.length && session.events[next].t <= t) {
          live.push(session.events[next]);
          live.featuresAt(session.events[next].t, row);
          next++;
        }
        live.featuresAt(t, row);
        for (let i = 0; i < FEATURE_COUNT; i++) {
          if (row[i] !== batch.features[r * FEATURE_COUNT + i]) {
            throw new Error(`session ${session.id}, window ${t}, ${FEATURE_NAMES[i]}: live ${row[i]} vs batch ${batch.features[r * FEATURE_COUNT + i]}`);
          }
        }
        windows++;
      });
    }
    expect(windows).toBeGreaterThan(30_000);
  });

  it("200 sessions agree with the naive transcription of DESIGN.md", () => {
    const generator = new SyntheticGenerator(77);
    for (let s = 0; s < 200; s++) {
      const { session } = generator.next();
      const batch = extractSessionWindows(session.events);
      batch.t.forEach((t, r) => {
        const expected = referenceFeatures(session.events, t);
        FEATURE_NAMES.forEach((name, i) => {
          const got = batch.features[r * FEATURE_COUNT + i];
          expect(Math.abs(got - expected[name]), `${session.id} t=${t} ${name}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected[name])));
        });
      });
    }
  });
});
