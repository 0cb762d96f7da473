import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FEATURE_SETS } from "../../src/core/featureNames.js";
import { parseInteractionModel } from "../../src/core/interactionModel.js";
import { scoreModel } from "../../src/core/scoreModel.js";
import { decodeOnnxModel } from "../../src/browser/decodeOnnxModel.js";
import { InteractionPredictor } from "../../src/browser/interactionPredictor.js";
import { buildOnnxModel } from "../../src/export/onnxExporter.js";

// test/fixtures/model-v1-seed.*: a 20-feature model, its .onnx as the exporter wrote it before
// feature sets (commit bc32dcc: no "privads.feature_set" metadata) and that code's scores.
const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url));
const oldBytes = new Uint8Array(fixture("model-v1-seed.onnx"));
const oldJson: unknown = JSON.parse(fixture("model-v1-seed.json").toString("utf8"));
const expected = JSON.parse(fixture("model-v1-seed.expected.json").toString("utf8")) as {
  rows: number[][];
  builtin: number[];
  onnxruntimeNode: number[];
  imputedAllMissing: number;
};
const flat = Float64Array.from(expected.rows.flat());

describe("model files written before feature sets", () => {
  it("the old .onnx has no feature_set metadata and decodes as the seed set", () => {
    const decoded = decodeOnnxModel(oldBytes, "model-v1-seed.onnx");
    expect(decoded.metadata["privads.feature_set"]).toBeUndefined();
    expect(decoded.parameters.featureSet).toBe("seed");
    expect(decoded.parameters.mean.length).toBe(20);
  });

  it.each([
    ["builtin", "builtin" as const, () => expected.builtin],
    ["onnxruntime-node", "onnxruntime-node" as const, () => expected.onnxruntimeNode],
  ])("the old .onnx scores exactly as before on %s", async (_name, runtime, before) => {
    const predictor = new InteractionPredictor({ model: oldBytes, runtime });
    await predictor.initialize();
    expect(predictor.featureSet).toBe("seed");
    expect(predictor.featureNames).toEqual(FEATURE_SETS.seed);
    expect([...(await predictor.predictBatch(flat))]).toEqual(before());
    if (runtime === "builtin") expect(await predictor.predictClickProbability({})).toBe(expected.imputedAllMissing);
    predictor.dispose();
  });

  it("the old JSON model loads, re-exports with the seed set named, and scores as the old .onnx", async () => {
    const model = parseInteractionModel(oldJson, "model-v1-seed.json");
    const bytes = buildOnnxModel(model);
    expect(decodeOnnxModel(bytes).metadata["privads.feature_set"]).toBe("seed");
    const fromJson = await new InteractionPredictor({ model }).predictBatch(flat);
    const fromNewOnnx = await new InteractionPredictor({ model: bytes }).predictBatch(flat);
    // The graph holds float32 constants, so the .onnx files (old and new) agree with each other exactly.
    expect([...fromNewOnnx]).toEqual(expected.builtin);
    expected.rows.forEach((row, r) => {
      expect(Math.abs(fromJson[r] - scoreModel(model, row))).toBeLessThanOrEqual(1e-12);
      expect(Math.abs(fromJson[r] - expected.builtin[r])).toBeLessThanOrEqual(1e-6);
    });
  });
});
