import { describe, expect, it } from "vitest";
import { FEATURE_SETS, type FeatureSetName } from "../../src/core/featureNames.js";
import type { InteractionModel } from "../../src/core/interactionModel.js";
import { scoreModel } from "../../src/core/scoreModel.js";
import { InteractionPredictor } from "../../src/browser/interactionPredictor.js";
import { buildOnnxModel } from "../../src/export/onnxExporter.js";
import { randomModel, randomWindows, realisticWindows } from "./testModel.js";

/** Every runtime must agree with the TypeScript reference `scoreModel` to this absolute tolerance. */
const TOLERANCE = 1e-5;

function reference(model: InteractionModel, x: Float64Array): Float64Array {
  const F = model.featureNames.length;
  return Float64Array.from({ length: x.length / F }, (_, r) => scoreModel(model, x, r * F));
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let k = 0; k < a.length; k++) d = Math.max(d, Math.abs(a[k] - b[k]));
  return d;
}

const SETS: Array<[FeatureSetName, number]> = [
  ["ads", 26],
  ["seed", 20],
];

describe.each(SETS)("the %s set (%i features)", (set, F) => {
  const model = randomModel(7, set);
  const bytes = buildOnnxModel(model);
  const windows = { random: randomWindows(1000, 11, set), realistic: realisticWindows(1000, 23, set) };

  it("the test model and windows have the set's width", () => {
    expect(model.featureNames).toEqual([...FEATURE_SETS[set]]);
    expect(windows.random.length).toBe(1000 * F);
    expect(windows.realistic.length).toBe(1000 * F);
    // Every feature moves in the realistic windows, the ad features of the `ads` set included.
    FEATURE_SETS[set].forEach((name, i) => {
      const values = new Set(Array.from({ length: 1000 }, (_, r) => windows.realistic[r * F + i]));
      expect(values.size, name).toBeGreaterThan(1);
    });
  });

  describe.each(Object.entries(windows))("parity on 1,000 %s windows", (_kind, x) => {
    const expected = reference(model, x);

    it("the windows are varied (probabilities spread over (0, 1))", () => {
      const sorted = [...expected].sort((a, b) => a - b);
      expect(sorted[50]).toBeLessThan(0.5);
      expect(sorted[950] - sorted[50]).toBeGreaterThan(0.05);
    });

    it.each([
      ["builtin from .onnx", () => new InteractionPredictor({ model: bytes })],
      ["builtin from JSON", () => new InteractionPredictor({ model })],
      ["onnxruntime-node", () => new InteractionPredictor({ model: bytes, runtime: "onnxruntime-node" })],
    ])("%s matches scoreModel within 1e-5", async (_name, make) => {
      const predictor = make();
      await predictor.initialize();
      expect(predictor.featureSet).toBe(set);
      const batch = await predictor.predictBatch(x);
      expect(maxAbsDiff(batch, expected)).toBeLessThanOrEqual(TOLERANCE);
      // Single predictions go through the named-feature path.
      const single: number[] = [];
      for (let r = 0; r < 50; r++) {
        const row = x.subarray(r * F, (r + 1) * F);
        const named = Object.fromEntries(model.featureNames.map((name, i) => [name, row[i]]));
        single.push(await predictor.predictClickProbability(named));
      }
      expect(maxAbsDiff(single, expected.subarray(0, 50))).toBeLessThanOrEqual(TOLERANCE);
      predictor.dispose();
    });
  });

  it("builtin from JSON is the reference to float64 rounding", async () => {
    const predictor = new InteractionPredictor({ model });
    const x = windows.realistic;
    expect(maxAbsDiff(await predictor.predictBatch(x), reference(model, x))).toBeLessThanOrEqual(1e-12);
  });

  it("the .onnx graph itself bounds standardised features: onnxruntime-node on raw extreme rows stays finite and equals the reference", async () => {
    // Straight to onnxruntime (no predictor, so no input clamping): only the graph's Clip node can keep this finite.
    const ort = await import("onnxruntime-node");
    const session = await ort.InferenceSession.create(bytes);
    const rows = Float32Array.from({ length: 3 * F }, (_, k) => (k % 3 === 0 ? 1e30 : k % 3 === 1 ? -1e30 : 0.5));
    const output = await session.run({ features: new ort.Tensor("float32", rows, [3, F]) });
    const got = output.click_probability.data as Float32Array;
    const expected = reference(model, Float64Array.from(rows));
    for (let r = 0; r < 3; r++) {
      expect(Number.isFinite(got[r]), `row ${r}: ${got[r]}`).toBe(true);
      expect(Math.abs(got[r] - expected[r])).toBeLessThanOrEqual(TOLERANCE);
    }
    await session.release();
  });
});
