import { crc32 } from "node:zlib";
import protobuf from "onnx-proto";
import { describe, expect, it } from "vitest";
import { FEATURE_SETS, type FeatureSetName } from "../../src/core/featureNames.js";
import { ModelFormatError, parseInteractionModel, type InteractionModel } from "../../src/core/interactionModel.js";
import { termNames } from "../../src/core/polynomialTerms.js";
import { decodeOnnxModel } from "../../src/browser/decodeOnnxModel.js";
import { InteractionPredictor } from "../../src/browser/interactionPredictor.js";
import { buildOnnxModel } from "../../src/export/onnxExporter.js";
import { mulberry32, randomModel, randomWindows } from "./testModel.js";

const { onnx } = protobuf;
const SETS: Array<[FeatureSetName, number, number]> = [
  ["ads", 26, 377],
  ["seed", 20, 230],
];

describe.each(SETS)("the %s set (F = %i, %i terms)", (set, F, T) => {
  const model = randomModel(7, set);
  const bytes = buildOnnxModel(model);
  const probe = randomWindows(20, 5, set);

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
      ["another graph (Relu), no metadata", reluModel(false), /metadata "privads\.format" must be "privads\.interaction-model", got undefined \(not a PrivAds model file\?\)/],
      ["another graph with our metadata", reluModel(true), /graph has 1 nodes/],
      ["an op swapped (Sigmoid -> Tanh)", edited((m) => (m.graph!.node![11].opType = "Tanh")), /graph node 11 \(Sigmoid\) op_type must be "Sigmoid", got "Tanh"/],
      ["input renamed", edited((m) => (m.graph!.input![0].name = "x")), /graph input 0 name must be "features", got "x"/],
      ["coefficients reshaped", edited((m) => (m.graph!.initializer!.find((t) => t.name === "coefficients")!.dims = [1, T])), new RegExp(`graph initializer 6 \\(coefficients\\) dims must be \\[${T},1\\], got \\[1,${T}\\]`)],
      // Only raw_data carries constants in our files; float_data would also escape the checksum.
      [
        "constants in float_data instead of raw_data",
        edited((m) => {
          const t = m.graph!.initializer!.find((t) => t.name === "intercept")!;
          t.floatData = [0.5];
          t.rawData = new Uint8Array(0);
        }),
        /graph initializer 7 \(intercept\): unexpected field 4/,
      ],
      ["IR version 3", edited((m) => (m.irVersion = 3)), /ir_version must be 8/],
      ["format version 2", edited((m) => m.metadataProps!.find((p) => p.key === "privads.format_version")!.value = "2"), /metadata "privads\.format_version" must be 1, got 2/],
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
      await expect(loadWith(reluModel(false), "onnxruntime-node")).rejects.toThrow(/not a PrivAds model file/);
    });

    it("a JSON model runs on builtin only", async () => {
      await expect(loadWith(model, "onnxruntime-node")).rejects.toThrow(/needs the \.onnx model/);
      expect(probe.length).toBe(20 * F);
    });
  });

  /** Edits our file's metadata and float constants, then re-stamps the checksum so only the contract can object. */
  function restamped(edit: (meta: Map<string, string>, floats: Map<string, Float32Array>) => void): Uint8Array {
    return edited((m) => {
      const meta = new Map(m.metadataProps!.map((p) => [p.key!, p.value!]));
      const floats = new Map<string, Float32Array>();
      for (const t of m.graph!.initializer!) {
        if (t.dataType === 1) floats.set(t.name!, new Float32Array(t.rawData!.slice().buffer));
      }
      edit(meta, floats);
      for (const t of m.graph!.initializer!) {
        const values = floats.get(t.name!);
        if (values) t.rawData = new Uint8Array(values.buffer);
      }
      meta.set("privads.constants_crc32", crc32(Buffer.concat(m.graph!.initializer!.map((t) => Buffer.from(t.rawData!)))).toString(16).padStart(8, "0"));
      m.metadataProps = [...meta].map(([key, value]) => onnx.StringStringEntryProto.create({ key, value }));
    });
  }

  // One check of the model contract (src/core/modelContract.ts) for both files: the same fault
  // gives the same words, each naming the field where that file keeps it.
  describe("the JSON model and the ONNX file break the contract in the same words", () => {
    const json = (edit: (m: InteractionModel) => void): InteractionModel => {
      const copy = structuredClone(model);
      edit(copy);
      return copy;
    };
    const metadataJson = (key: string, edit: (value: unknown) => unknown) => (meta: Map<string, string>) => meta.set(key, JSON.stringify(edit(JSON.parse(meta.get(key)!))));
    const swapFirstTwo = <T>(list: T[]) => [list[1], list[0], ...list.slice(2)];
    const cases: Array<[string, InteractionModel, Uint8Array, string, string, string | RegExp]> = [
      [
        "feature names out of order",
        json((m) => (m.featureNames = swapFirstTwo(m.featureNames))),
        restamped(metadataJson("privads.feature_names", (names) => swapFirstTwo(names as string[]))),
        "featureNames",
        'metadata "privads.feature_names"',
        new RegExp(`^ must list the features of one feature set in contract order \\(ads: the 26 features ${FEATURE_SETS.ads.join(", ")}; or seed: the 20 features`),
      ],
      [
        "a negative horizon",
        json((m) => (m.window.horizon = -1)),
        restamped(metadataJson("privads.window_config", (w) => ({ ...(w as object), horizon: -1 }))),
        "window",
        'metadata "privads.window_config"',
        " is invalid: window config horizon must be a finite number > 0, got -1",
      ],
      [
        "a mean that is not a number",
        json((m) => ((m.scaler.mean as unknown[])[4] = "x")),
        restamped(metadataJson("privads.scaler_mean", (mean) => (mean as unknown[]).map((v, i) => (i === 4 ? "x" : v)))),
        "scaler.mean[4]",
        'metadata "privads.scaler_mean"[4]',
        ' must be a finite number, got "x"',
      ],
      [
        "a zero scale",
        json((m) => (m.scaler.scale[3] = 0)),
        restamped((_meta, floats) => (floats.get("scaler_scale")![3] = 0)),
        "scaler.scale[3]",
        'initializer "scaler_scale"[3]',
        " must be > 0, got 0",
      ],
      [
        "terms out of order",
        json((m) => (m.terms = swapFirstTwo(m.terms))),
        restamped(metadataJson("privads.term_order", (terms) => swapFirstTwo(terms as string[]))),
        "terms",
        'metadata "privads.term_order"',
        ` must be the ${T} degree-2 terms of the ${set} set in the fixed order`,
      ],
      [
        "an infinite coefficient",
        json((m) => (m.coefficients[7] = Infinity)),
        restamped((_meta, floats) => (floats.get("coefficients")![7] = Infinity)),
        "coefficients[7]",
        'initializer "coefficients"[7]',
        " must be a finite number, got Infinity",
      ],
      [
        // docs/model.md: every finite input must give a finite probability (2^100 is exact in float32)
        "a coefficient that lets a finite input overflow the margin",
        json((m) => (m.coefficients[T - 1] = 2 ** 100)),
        restamped((_meta, floats) => (floats.get("coefficients")![T - 1] = 2 ** 100)),
        `coefficients[${T - 1}]`,
        `initializer "coefficients"[${T - 1}]`,
        ` is ${2 ** 100}: |intercept| + the sum of |coefficient| x its term's bound (1e6 linear, 1e12 product) must stay under ${3.4028234663852886e38 / 4}, or a finite input can overflow the margin`,
      ],
      [
        "a scale below float32's normal range",
        json((m) => (m.scaler.scale[3] = 2 ** -130)),
        restamped((_meta, floats) => (floats.get("scaler_scale")![3] = 2 ** -130)),
        "scaler.scale[3]",
        'initializer "scaler_scale"[3]',
        ` must be within [1.1754943508222875e-38, 3.4028234663852886e+38] (float32), got ${2 ** -130}`,
      ],
      [
        "a NaN calibration slope",
        json((m) => (m.calibration.slope = NaN)),
        restamped((_meta, floats) => (floats.get("calibration_slope")![0] = NaN)),
        "calibration.slope",
        'initializer "calibration_slope"',
        " must be a finite number, got NaN",
      ],
    ];
    it.each(cases)("%s", async (_name, badJson, badOnnx, jsonField, onnxField, words) => {
      const jsonError = (() => {
        try {
          parseInteractionModel(badJson, "model.json");
        } catch (error) {
          return error;
        }
      })();
      expect(jsonError).toBeInstanceOf(ModelFormatError);
      const message = (jsonError as Error).message;
      expect(message.startsWith(`model.json: ${jsonField}`), message).toBe(true);
      const rest = message.slice(`model.json: ${jsonField}`.length);
      if (typeof words === "string") expect(rest).toBe(words);
      else expect(rest).toMatch(words);
      expect(() => decodeOnnxModel(badOnnx, "model.onnx")).toThrow(new ModelFormatError(`model.onnx: ${onnxField}${rest}`));
    });

    it("the re-stamped file is still a valid model when nothing is edited", () => {
      expect(decodeOnnxModel(restamped(() => undefined)).parameters.intercept).toBe(Math.fround(model.intercept));
    });
  });
});

describe("the feature set in the ONNX file", () => {
  const ads = buildOnnxModel(randomModel(7, "ads"));
  const seed = buildOnnxModel(randomModel(7, "seed"));
  /** Re-encodes `bytes` with its metadata edited and its checksum unchanged (metadata is not checksummed). */
  const withMetadata = (bytes: Uint8Array, edit: (meta: Map<string, string>) => void): Uint8Array => {
    const m = onnx.ModelProto.decode(bytes.slice());
    const meta = new Map(m.metadataProps.map((p) => [p.key!, p.value!]));
    edit(meta);
    m.metadataProps = [...meta].map(([key, value]) => onnx.StringStringEntryProto.create({ key, value }));
    return new Uint8Array(onnx.ModelProto.encode(m).finish());
  };
  const seedMetadata = (meta: Map<string, string>) => {
    meta.set("privads.feature_names", JSON.stringify(FEATURE_SETS.seed));
    meta.set("privads.term_order", JSON.stringify(termNames(FEATURE_SETS.seed)));
    meta.set("privads.scaler_mean", JSON.stringify(JSON.parse(meta.get("privads.scaler_mean")!).slice(0, 20)));
  };
  it.each([
    ["an ads file that says seed", withMetadata(ads, (meta) => meta.set("privads.feature_set", "seed")), /metadata "privads\.feature_set" must be "ads", the set its feature names spell out, got "seed"/],
    ["an unknown set", withMetadata(seed, (meta) => meta.set("privads.feature_set", "all")), /metadata "privads\.feature_set" must be "seed", the set its feature names spell out, got "all"/],
    ["an ads file without the set (only seed files predate it)", withMetadata(ads, (meta) => meta.delete("privads.feature_set")), /metadata "privads\.feature_set" must be "ads", the set its feature names spell out, got undefined/],
    [
      "a 26-wide graph whose metadata says seed",
      withMetadata(ads, (meta) => {
        seedMetadata(meta);
        meta.set("privads.feature_set", "seed");
      }),
      /graph initializer 0 \(scaler_mean\) dims must be \[20\], got \[26\]/,
    ],
  ])("rejects %s", (_name, bytes, message) => {
    expect(() => decodeOnnxModel(bytes, "model.onnx")).toThrow(ModelFormatError);
    expect(() => decodeOnnxModel(bytes, "model.onnx")).toThrow(message);
  });

  it("a seed file without the set still loads (files written before feature sets)", () => {
    const old = withMetadata(seed, (meta) => meta.delete("privads.feature_set"));
    expect(decodeOnnxModel(old).parameters.featureSet).toBe("seed");
  });
});
