import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ACTION_TYPES } from "../../src/core/actionTypes.js";
import { FEATURE_COUNT, FEATURE_NAMES, type FeatureVector, toFeatureVector } from "../../src/core/featureNames.js";
import type { InteractionEvent } from "../../src/core/interactionEvent.js";
import { ModelFormatError } from "../../src/core/interactionModel.js";
import { scoreModel } from "../../src/core/scoreModel.js";
import { extractSessionWindows } from "../../src/core/sessionWindows.js";
import { extractSlidingWindowFeatures, SlidingWindowExtractor } from "../../src/core/slidingWindowExtractor.js";
import { InteractionPredictor } from "../../src/browser/interactionPredictor.js";
import { buildOnnxModel } from "../../src/export/onnxExporter.js";
import { referenceFeatures } from "../core/referenceFeatures.js";
import { randomModel } from "../export/testModel.js";

const W = 120;
const DAY = 86_400;

/**
 * Hostile sessions built from segments: single events with ordinary gaps, duplicate timestamps,
 * bursts of hundreds to thousands of events per second, and gaps of days; all nine types in any
 * order (close_tab included: consumers take events as given); depth present or not.
 */
const segmentArb = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant("single" as const), gap: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 30, noNaN: true })) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("burst" as const), count: fc.integer({ min: 100, max: 3000 }), rate: fc.integer({ min: 1000, max: 10_000 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("days" as const), gap: fc.double({ min: DAY, max: 30 * DAY, noNaN: true }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("same" as const), count: fc.integer({ min: 2, max: 50 }) }) },
);

const sessionArb = fc
  .record({ segments: fc.array(segmentArb, { maxLength: 25 }), seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }) })
  .map(({ segments, seed }) => {
    let state = seed;
    const rand = () => ((state = (Math.imul(state, 48271) >>> 0) % 2147483647) / 2147483647);
    const events: InteractionEvent[] = [];
    let t = 0;
    const add = () => {
      const type = ACTION_TYPES[Math.floor(rand() * ACTION_TYPES.length)];
      const r = rand();
      events.push(r < 0.5 ? { type, t } : { type, t, depth: r < 0.55 ? 0 : r < 0.6 ? 1 : rand() });
    };
    for (const s of segments) {
      if (s.kind === "single") {
        t += s.gap;
        add();
      } else if (s.kind === "days") {
        t += s.gap;
        add();
      } else if (s.kind === "same") {
        for (let i = 0; i < s.count; i++) add();
      } else {
        for (let i = 0; i < s.count; i++) {
          t += 1 / s.rate;
          add();
        }
      }
    }
    return events;
  });

/** The documented range of each feature (docs/features.md), for a window ending at `t`. */
function checkRanges(f: FeatureVector, t: number): void {
  for (const name of FEATURE_NAMES) {
    if (!Number.isFinite(f[name])) throw new Error(`${name} = ${f[name]} at t=${t}`);
  }
  const inRange = (name: (typeof FEATURE_NAMES)[number], lo: number, hi: number) => {
    if (!(f[name] >= lo && f[name] <= hi)) throw new Error(`${name} = ${f[name]} outside [${lo}, ${hi}] at t=${t}`);
  };
  for (const name of ["time_since_last_action", "avg_time_between_actions", "max_idle_gap"] as const) inRange(name, 0, W);
  if (f.session_duration !== t) throw new Error(`session_duration ${f.session_duration} != ${t}`);
  for (const name of FEATURE_NAMES.filter((n) => n.endsWith("_count"))) {
    if (!Number.isInteger(f[name]) || f[name] < 0) throw new Error(`${name} = ${f[name]} is not a count`);
  }
  for (const name of ["scroll_depth_max", "attention_score", "action_entropy", "engagement_rhythm"] as const) inRange(name, 0, 1 + 1e-12);
  if (f.window_focused !== 0 && f.window_focused !== 1) throw new Error(`window_focused = ${f.window_focused}`);
  inRange("burstiness_score", -1, 1);
  inRange("interaction_density", 0, Infinity);
  inRange("scroll_velocity", 0, Infinity);
  if (f.max_idle_gap < f.time_since_last_action) throw new Error("max_idle_gap < time_since_last_action");
  const n = FEATURE_NAMES.filter((x) => x.endsWith("_count")).reduce((a, x) => a + f[x], 0);
  if (n > 0 && f.time_since_last_action > W) throw new Error("a non-empty window's last event is outside it");
}

describe("extractor under hostile event streams", () => {
  it("every feature is finite and in its documented range, at every event and every window end", () => {
    fc.assert(
      fc.property(sessionArb, fc.double({ min: 0, max: 3 * DAY, noNaN: true }), (events, extra) => {
        const extractor = new SlidingWindowExtractor();
        const row = new Float64Array(FEATURE_COUNT);
        for (const e of events) {
          extractor.push(e);
          checkRanges(toFeatureVector(extractor.featuresAt(e.t, row)), e.t);
        }
        const end = extractor.latestTime + extra;
        checkRanges(toFeatureVector(extractor.featuresAt(end, row)), end);
        // Memory stays bounded by one window: never more events than those within the last W s.
        const inWindow = events.filter((e) => e.t > end - W && e.t <= end).length;
        expect(extractor.eventCount).toBe(inWindow);
      }),
      { numRuns: 50, seed: 2024 },
    );
  });

  it("live (pushed one by one, queried after every event) == batch (extractSessionWindows) == a fresh extractor per window, bit for bit", () => {
    fc.assert(
      fc.property(sessionArb, (events) => {
        const batch = extractSessionWindows(events);
        const live = new SlidingWindowExtractor();
        const row = new Float64Array(FEATURE_COUNT);
        let next = 0;
        batch.t.forEach((t, r) => {
          while (next < events.length && events[next].t <= t) {
            live.push(events[next]);
            live.featuresAt(events[next].t, row); // extra queries must not disturb later windows
            next++;
          }
          const liveRow = Array.from(live.featuresAt(t, row));
          const batchRow = Array.from(batch.features.subarray(r * FEATURE_COUNT, (r + 1) * FEATURE_COUNT));
          const fresh = extractSlidingWindowFeatures(events, t);
          expect(liveRow).toEqual(batchRow);
          expect(FEATURE_NAMES.map((name) => fresh[name])).toEqual(batchRow);
        });
      }),
      { numRuns: 80, seed: 99 },
    );
  });

  it("agrees with the naive reference transcription of docs/features.md on bursts and day-long gaps", () => {
    fc.assert(
      fc.property(sessionArb, (events) => {
        const batch = extractSessionWindows(events);
        // Check a handful of windows per session: the reference is O(n) per query.
        const picks = batch.t.length <= 6 ? batch.t.map((_, r) => r) : [0, 1, Math.floor(batch.t.length / 2), batch.t.length - 2, batch.t.length - 1];
        for (const r of picks) {
          const t = batch.t[r];
          const expected = referenceFeatures(events, t);
          FEATURE_NAMES.forEach((name, i) => {
            const got = batch.features[r * FEATURE_COUNT + i];
            // Sums over thousands of gaps are accumulated in different orders; times reach 1e6 s.
            const tol = 1e-9 * Math.max(1, Math.abs(expected[name]), t / W);
            if (!(Math.abs(got - expected[name]) <= tol)) throw new Error(`${name} at t=${t}: ${got} vs reference ${expected[name]}`);
          });
        }
      }),
      { numRuns: 60, seed: 5 },
    );
  });

  it("zero-length and empty sessions: no windows, finite features at t = 0", () => {
    expect(extractSessionWindows([]).t).toEqual([]);
    const allAtZero = ACTION_TYPES.map((type) => ({ type, t: 0 }));
    expect(extractSessionWindows(allAtZero).t).toEqual([]); // the session ends at 0: no window before it
    const f = extractSlidingWindowFeatures(allAtZero, 0);
    checkRanges(f, 0);
    // Hand values at t = 0 (Weff = 0): nine events, one of each type.
    expect(f.interaction_density).toBe(0.9); // n / max(Weff, min(windowStep, W), 1 s) = 9 / 10
    expect(f.action_entropy).toBe(1); // uniform over the nine types
    expect(f.window_focused).toBe(0); // focus_window, then blur_window (contract order): blurred
    expect(f.attention_score).toBe(0); // Weff = 0: takes window_focused
    expect(f.engagement_rhythm).toBe(0); // no bin meets (0, 0]
    expect(extractSlidingWindowFeatures([], 0)).toEqual(Object.fromEntries(FEATURE_NAMES.map((n) => [n, n === "window_focused" || n === "attention_score" ? 1 : 0])));
  });

  it("rejects malformed events with errors naming the field", () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ type: "swipe", t: 1 }, /event\.type: must be one of scroll_down, .*, got "swipe"/],
      [{ type: "click", t: NaN }, /event\.t: must be a finite number >= 0 .*, got NaN/],
      [{ type: "click", t: "1" }, /event\.t: must be a finite number >= 0 .*, got "1"/],
      [{ type: "click", t: null }, /event\.t: must be a finite number/],
      [{ type: "click", t: -1 }, /event\.t: must be a finite number >= 0/],
      [{ type: "click", t: Infinity }, /event\.t: must be a finite number/],
      [{ type: "click", t: 1, depth: 2 }, /event\.depth: must be a number in \[0, 1\]/],
      [{ type: "click", t: 1, depth: NaN }, /event\.depth: must be a number in \[0, 1\]/],
    ];
    for (const [event, message] of cases) expect(() => new SlidingWindowExtractor().push(event as InteractionEvent)).toThrow(message);
    const extractor = new SlidingWindowExtractor();
    extractor.push({ type: "click", t: 5 });
    expect(() => extractor.push({ type: "click", t: 4 })).toThrow("event.t: must not decrease: 4 after 5");
  });
});

describe("InteractionPredictor (builtin runtime) under arbitrary input", () => {
  const model = randomModel(7);
  const predictor = new InteractionPredictor({ model });
  const onnxPredictor = new InteractionPredictor({ model: buildOnnxModel(model) });

  /** Any subset of the features with finite values of plausible (or merely large) magnitude. */
  const featuresArb = (max: number) =>
    fc.dictionary(fc.constantFrom(...FEATURE_NAMES), fc.double({ min: -max, max, noNaN: true, noDefaultInfinity: true }), { maxKeys: FEATURE_COUNT });

  it("returns a probability in [0, 1] for any finite features up to 1e6 in magnitude, equal to the float64 reference", async () => {
    await fc.assert(
      fc.asyncProperty(featuresArb(1e6), async (features) => {
        const p = await predictor.predictClickProbability(features);
        if (!(p >= 0 && p <= 1)) throw new Error(`probability ${p} for ${JSON.stringify(features)}`);
        const row = FEATURE_NAMES.map((name, i) => features[name] ?? model.scaler.mean[i]); // missing -> training mean
        const reference = scoreModel(model, row);
        expect(Math.abs(p - reference)).toBeLessThanOrEqual(1e-12);
        const fromOnnx = await onnxPredictor.predictClickProbability(features);
        expect(fromOnnx >= 0 && fromOnnx <= 1).toBe(true);
      }),
      { numRuns: 300, seed: 3 },
    );
  });

  // Without the bound on standardised values (src/core/standardScoreBound.ts), |feature| beyond
  // ~1e150 squares to Infinity and the probability comes out NaN.
  it("returns a probability in [0, 1] for ANY finite features, extreme magnitudes included", async () => {
    const features = { time_since_last_action: 1e200, session_duration: -1e200, hover_count: 1e300 };
    const p = await predictor.predictClickProbability(features);
    expect(p >= 0 && p <= 1, `probability ${p}`).toBe(true);
    const batch = Float64Array.from({ length: 40 }, (_, k) => (k % 3 === 0 ? 1e300 : -1e250));
    const copy = batch.slice();
    const ps = await predictor.predictBatch(batch);
    for (const q of ps) expect(q >= 0 && q <= 1, `batch probability ${q}`).toBe(true);
    expect(batch).toEqual(copy); // the caller's rows are not modified
  });

  it("rejects wrong feature types with a TypeError naming the field", async () => {
    const cases: Array<[unknown, string]> = [
      [{ hover_count: "3" }, 'predictClickProbability: feature "hover_count" must be a finite number, got "3"'],
      [{ hover_count: null }, 'predictClickProbability: feature "hover_count" must be a finite number, got null'],
      [{ hover_count: NaN }, 'predictClickProbability: feature "hover_count" must be a finite number, got NaN'],
      [{ hover_count: Infinity }, 'predictClickProbability: feature "hover_count" must be a finite number, got Infinity'],
      [{ hover_count: {} }, 'predictClickProbability: feature "hover_count" must be a finite number, got an object'],
      [{ hover_count: [3] }, 'predictClickProbability: feature "hover_count" must be a finite number, got an array'],
      [{ hover_count: true }, 'predictClickProbability: feature "hover_count" must be a finite number, got true'],
      [{ hover_count: 3n }, 'predictClickProbability: feature "hover_count" must be a finite number, got 3'],
      [{ hoverCount: 3 }, 'predictClickProbability: unknown feature "hoverCount"; valid names are time_since_last_action'],
      [JSON.parse('{"__proto__": 1}'), 'predictClickProbability: unknown feature "__proto__"'],
      [null, "predictClickProbability: features must be an object of named features, got null"],
      ["features", 'predictClickProbability: features must be an object of named features, got "features"'],
      [[1, 2, 3], "predictClickProbability: features must be an object of named features, got an array"],
    ];
    for (const [features, message] of cases) {
      const error = await predictor.predictClickProbability(features as Partial<FeatureVector>).then(
        (p) => new Error(`resolved with ${p}`),
        (e: unknown) => e,
      );
      expect(error, JSON.stringify(String(features))).toBeInstanceOf(TypeError);
      expect((error as Error).message.startsWith(message), (error as Error).message).toBe(true);
    }
    // An explicit undefined is "missing": imputed with the training mean.
    const meanOnly = await predictor.predictClickProbability({});
    expect(await predictor.predictClickProbability({ hover_count: undefined })).toBe(meanOnly);
  });

  it("rejects corrupt JSON model files with a ModelFormatError naming the field", async () => {
    const good = JSON.stringify(model);
    const bad = (edit: (m: Record<string, unknown>) => void) => {
      const m = JSON.parse(good);
      edit(m);
      return new TextEncoder().encode(JSON.stringify(m));
    };
    const cases: Array<[string, Uint8Array, RegExp]> = [
      ["truncated JSON", new TextEncoder().encode(good.slice(0, good.length >> 1)), /not valid JSON/],
      ["a coefficient as a string", bad((m) => ((m.coefficients as unknown[])[3] = "NaN")), /coefficients\[3\] must be a finite number, got "NaN"/],
      ["a null mean", bad((m) => ((m.scaler as { mean: unknown[] }).mean[0] = null)), /scaler\.mean\[0\] must be a finite number, got null/],
      ["too few coefficients", bad((m) => (m.coefficients as unknown[]).pop()), /coefficients must be an array of 230 numbers/],
      ["a wrong format name", bad((m) => (m.format = "onnx")), /format must be "privads\.interaction-model"/],
      ["a future version", bad((m) => (m.version = 2)), /version must be 1/],
    ];
    for (const [name, bytes, message] of cases) {
      const error = await new InteractionPredictor({ model: bytes }).predictClickProbability({}).then(
        () => new Error("loaded"),
        (e: unknown) => e,
      );
      expect(error, name).toBeInstanceOf(ModelFormatError);
      expect((error as Error).message, name).toMatch(message);
    }
  });
});
