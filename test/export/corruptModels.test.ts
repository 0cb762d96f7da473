import protobuf from "onnx-proto";
import { describe, expect, it } from "vitest";
import { FEATURE_COUNT } from "../../src/core/featureNames.js";
import { ModelFormatError } from "../../src/core/interactionModel.js";
import { decodeOnnxModel } from "../../src/browser/decodeOnnxModel.js";
import { InteractionPredictor } from "../../src/browser/interactionPredictor.js";
import { buildOnnxModel } from "../../src/export/onnxExporter.js";
import { mulberry32, randomModel, randomWindows } from "./testModel.js";

const { onnx } = protobuf;
const model = randomModel(7);
const bytes = buildOnnxModel(model);
const probe = randomWindows(20, 5);

/** Re-encodes our model after `edit` changes the decoded proto (a "foreign" but well-formed file). */
function edited(edit: (m: protobuf.onnx.ModelProto) => void): Uint8Array {
  const m = onnx.ModelProto.decode(bytes.slice()); // a copy: decoded bytes fields are views into their input
  edit(m);
  return new Uint8Array(onnx.ModelProto.encode(m).finish());
}

/** A valid ONNX file of another graph: y = Relu(x), no PrivAds metadata. */
function reluModel(withOurMetadata: boolean): Uint8Array {
  const m = onnx.ModelProto.decode(bytes.slice()); // a copy: decoded bytes fields are views into their input
  m.graph!.node = [onnx.NodeProto.create({ opType: "Relu", input: ["features"], output: ["click_probability"] })];
  m.graph!.initializer = [];
  if (!withOurMetadata) m.metadataProps = [];
  return new Uint8Array(onnx.ModelProto.encode(m).finish());
}

async function loadWith(model: Uint8Array | object, runtime: "builtin" | "onnxruntime-node" = "builtin"): Promise<unknown> {
  const predictor = new InteractionPredictor({ model: model as Uint8Array, runtime });
  return predictor.predictClickProbability({});
}

describe("files that are not our model give clear errors, never a number", () => {
  const cases: Array<[string, Uint8Array | object, RegExp]> = [
    ["empty file", new Uint8Array(0), /empty/],
    ["random bytes", Uint8Array.from({ length: 4096 }, ((r) => () => Math.floor(r() * 256))(mulberry32(3))), /corrupt|truncated|not a PrivAds/],
    ["truncated to half", bytes.subarray(0, bytes.length >> 1), /truncated|corrupt|runs past the end/],
    ["another graph (Relu), no metadata", reluModel(false), /not a PrivAds interaction model/],
    ["another graph with our metadata", reluModel(true), /graph has 1 nodes/],
    ["an op swapped (Sigmoid -> Tanh)", edited((m) => (m.graph!.node![11].opType = "Tanh")), /node 11 \(Tanh\): expected op Sigmoid/],
    ["input renamed", edited((m) => (m.graph!.input![0].name = "x")), /input must be named "features"/],
    ["coefficients reshaped", edited((m) => (m.graph!.initializer!.find((t) => t.name === "coefficients")!.dims = [1, 230])), /"coefficients" must be float32 \[230,1\]/],
    ["IR version 3", edited((m) => (m.irVersion = 3)), /ir_version must be 8/],
    ["format version 2", edited((m) => m.metadataProps!.find((p) => p.key === "privads.format_version")!.value = "2"), /unsupported model format version/],
    ["a weight changed without its checksum", edited((m) => (m.graph!.initializer!.find((t) => t.name === "coefficients")!.rawData![0] ^= 1)), /checksum/],
    ["JSON bytes of another format", new TextEncoder().encode(JSON.stringify({ format: "sklearn", version: 1 })), /format must be "privads.interaction-model"/],
    ["a parsed JSON object of another format", { format: "something-else" }, /format must be/],
  ];
  it.each(cases)("%s", async (_name, input, message) => {
    const error = await loadWith(input).then(
      (value) => new Error(`resolved with ${String(value)}`),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ModelFormatError);
    expect((error as Error).message).toMatch(message);
  });

  it("every truncation of the file is rejected", () => {
    for (let n = 0; n < bytes.length; n += 13) {
      expect(() => decodeOnnxModel(bytes.subarray(0, n)), `prefix of ${n} bytes`).toThrow(ModelFormatError);
    }
  });

  it("a corrupted byte anywhere either fails to load or changes nothing", async () => {
    const good = await new InteractionPredictor({ model: bytes }).predictBatch(probe);
    const rand = mulberry32(99);
    let rejected = 0;
    for (let k = 0; k < 300; k++) {
      const copy = bytes.slice();
      const at = Math.floor(rand() * copy.length);
      copy[at] ^= 1 + Math.floor(rand() * 255);
      let out: Float32Array | Float64Array;
      try {
        out = await new InteractionPredictor({ model: copy }).predictBatch(probe);
      } catch (error) {
        expect(error, `byte ${at}`).toBeInstanceOf(ModelFormatError);
        rejected++;
        continue;
      }
      // Only names/doc strings the evaluator ignores can change undetected: the numbers must not.
      expect([...out], `byte ${at} changed the predictions undetected`).toEqual([...good]);
    }
    expect(rejected).toBeGreaterThan(150);
  });

  it("onnxruntime-node is never handed a file the decoder rejects", async () => {
    await expect(loadWith(reluModel(false), "onnxruntime-node")).rejects.toThrow(/not a PrivAds interaction model/);
  });

  it("a JSON model runs on builtin only", async () => {
    await expect(loadWith(model, "onnxruntime-node")).rejects.toThrow(/needs the \.onnx model/);
    expect(probe.length).toBe(20 * FEATURE_COUNT);
  });
});
