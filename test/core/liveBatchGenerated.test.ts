import { describe, expect, it } from "vitest";
import { FEATURE_COUNT, FEATURE_NAMES, FEATURE_SETS } from "../../src/core/featureNames.js";
import { extractSessionWindows } from "../../src/core/sessionWindows.js";
import { SlidingWindowExtractor } from "../../src/core/slidingWindowExtractor.js";
import { SyntheticGenerator } from "../../src/generator/sessionGenerator.js";
import { referenceAdFeatures } from "./referenceAdFeatures.js";
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

  it("ads set, 2,000 sessions: pushing events and ad signals one by one, asking after every record, gives the batch rows exactly", () => {
    const names = FEATURE_SETS.ads;
    const F = names.length;
    const generator = new SyntheticGenerator(321);
    const live = new SlidingWindowExtractor({}, "ads");
    const row = new Float64Array(F);
    let windows = 0;
    let viewed = 0;
    let pointed = 0;
    for (let s = 0; s < 2000; s++) {
      const { session } = generator.next();
      const signals = session.adSignals!;
      const batch = extractSessionWindows(session.events, new SlidingWindowExtractor({}, "ads"), signals);
      live.reset();
      let next = 0;
      let nextSignal = 0;
      batch.t.forEach((t, r) => {
        // Records in time order (a signal before an event at the same time; the two streams are independent).
        for (;;) {
          const e = next < session.events.length && session.events[next].t <= t ? session.events[next] : undefined;
          const a = nextSignal < signals.length && signals[nextSignal].t <= t ? signals[nextSignal] : undefined;
          if (a !== undefined && (e === undefined || a.t <= e.t)) {
            live.pushAdSignal(a);
            live.featuresAt(a.t, row);
            nextSignal++;
          } else if (e !== undefined) {
            live.push(e);
            live.featuresAt(e.t, row);
            next++;
          } else break;
        }
        live.featuresAt(t, row);
        for (let i = 0; i < F; i++) {
          if (row[i] !== batch.features[r * F + i]) {
            throw new Error(`session ${session.id}, window ${t}, ${names[i]}: live ${row[i]} vs batch ${batch.features[r * F + i]}`);
          }
        }
        if (row[20] > 0) viewed++;
        if (row[24] > 0) pointed++;
        windows++;
      });
    }
    expect(windows).toBeGreaterThan(30_000);
    // The signals are really exercised: an ad in view and the pointer on one both occur.
    expect(viewed).toBeGreaterThan(windows / 20);
    expect(pointed).toBeGreaterThan(0);
  });

  it("200 sessions agree with the naive transcriptions of docs/features.md (and the ad features of docs/ad-signals.md)", () => {
    const generator = new SyntheticGenerator(77);
    for (let s = 0; s < 200; s++) {
      const { session } = generator.next();
      const batch = extractSessionWindows(session.events, new SlidingWindowExtractor({}, "ads"), session.adSignals);
      batch.t.forEach((t, r) => {
        const expected = referenceFeatures(session.events, t);
        FEATURE_NAMES.forEach((name, i) => {
          const got = batch.features[r * 26 + i];
          expect(Math.abs(got - expected[name]), `${session.id} t=${t} ${name}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected[name])));
        });
        referenceAdFeatures(session.adSignals!, t).forEach((value, k) => {
          const got = batch.features[r * 26 + FEATURE_COUNT + k];
          expect(Math.abs(got - value), `${session.id} t=${t} ${FEATURE_SETS.ads[FEATURE_COUNT + k]}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(value)));
        });
      });
    }
  });
});
