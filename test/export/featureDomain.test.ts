import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import protobuf from "onnx-proto";
import { afterAll, describe, expect, it } from "vitest";
import type { FeatureSetName } from "../../src/core/featureNames.js";
import { ModelFormatError, parseInteractionModel, type InteractionModel } from "../../src/core/interactionModel.js";
import { scoreModel } from "../../src/core/scoreModel.js";
import { decodeOnnxModel } from "../../src/browser/decodeOnnxModel.js";
import { InteractionPredictor } from "../../src/browser/interactionPredictor.js";
import { buildOnnxModel } from "../../src/export/onnxExporter.js";
import { onnxCheck } from "./onnxChecker.js";
import { FEATURE_RANGES, outOfDomainRows, randomModel, randomWindows, withDomain } from "./testModel.js";

// The model's domain (docs/model.md): every runtime clamps each raw feature to [low, high]
// before standardising; models without one score as before.
const { onnx } = protobuf;
const TOLERANCE = 1e-5;
const tmp = mkdtempSync(join(tmpdir(), "privads-domain-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const SETS: Array<[FeatureSetName, number]> = [
  ["ads", 26],
  ["seed", 20],
];

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let k = 0; k < a.length; k++) d = Math.max(d, Math.abs(a[k] - b[k]));
  return d;
}

const scores = (model: InteractionModel, x: Float64Array) => {
  const F = model.featureNames.length;
  return Float64Array.from({ length: x.length / F }, (_, r) => scoreModel(model, x, r * F));
};

describe.each(SETS)("a model with a domain, %s set (%i features)", (set, F) => {
  const plain = randomModel(7, set);
  const model = withDomain(plain);
  const { low, high } = model.domain!;
  const bytes = buildOnnxModel(model);
  const rows = outOfDomainRows(set);
  // The independent check: each value clamped by hand, scored by the same model without a domain.
  const handClamped = Float64Array.from(rows, (v, k) => Math.min(Math.max(v, low[k % F]), high[k % F]));
  const expected = scores(plain, handClamped);

  it("the domain is the hand-written ranges, and the rows leave it far behind", () => {
    expect(low).toEqual(plain.featureNames.map((n) => FEATURE_RANGES[n][0]));
    expect(high).toEqual(plain.featureNames.map((n) => FEATURE_RANGES[n][1]));
    expect(rows.length).toBe(24 * F);
    expect(rows.every(Number.isFinite)).toBe(true);
    expect(Math.max(...rows)).toBeGreaterThanOrEqual(900 * 1e6); // session_duration's high x 1e6
    expect(Math.min(...rows)).toBeLessThanOrEqual(-2e6); // burstiness_score: -(|-1| + 1) x 1e6
    // Unclamped, the same rows score very differently: the clamp is what is being tested.
    expect(maxAbsDiff(scores(plain, rows), expected)).toBeGreaterThan(0.1);
  });

  it("scoreModel clamps: it equals the hand-clamped rows scored without the domain", () => {
    expect([...scores(model, rows)]).toEqual([...expected]);
  });

  it("inside the domain the clamp changes nothing", () => {
    const inside = randomWindows(200, 11, set);
    expect([...scores(model, inside)]).toEqual([...scores(plain, inside)]);
  });

  it.each([
    ["builtin from .onnx", () => new InteractionPredictor({ model: bytes })],
    ["builtin from JSON", () => new InteractionPredictor({ model })],
    ["onnxruntime-node", () => new InteractionPredictor({ model: bytes, runtime: "onnxruntime-node" })],
  ])("%s matches scoreModel and the hand-clamped rows within 1e-5, batch and single", async (_name, make) => {
    const predictor = make();
    const batch = await predictor.predictBatch(rows);
    expect(batch.every(Number.isFinite)).toBe(true);
    expect(maxAbsDiff(batch, scores(model, rows))).toBeLessThanOrEqual(TOLERANCE);
    expect(maxAbsDiff(batch, expected)).toBeLessThanOrEqual(TOLERANCE);
    const single: number[] = [];
    for (let r = 0; r < 6; r++) {
      single.push(await predictor.predictClickProbability(Object.fromEntries(model.featureNames.map((name, i) => [name, rows[r * F + i]]))));
    }
    expect(maxAbsDiff(single, expected.subarray(0, 6))).toBeLessThanOrEqual(TOLERANCE);
    predictor.dispose();
  });

  it("round trip: JSON model -> .onnx -> builtin decoder gives back the domain (as float32) and the JSON file keeps it", () => {
    const decoded = decodeOnnxModel(bytes).parameters.domain;
    expect(decoded).toEqual({ low: low.map(Math.fround), high: high.map(Math.fround) });
    expect(parseInteractionModel(JSON.parse(JSON.stringify(model)))).toEqual(model);
    expect(decodeOnnxModel(buildOnnxModel(plain)).parameters.domain).toBeUndefined();
    expect("domain" in parseInteractionModel(JSON.parse(JSON.stringify(plain)))).toBe(false);
  });

  // Independent structural check: onnx-proto (protobufjs), not our reader.
  it("the graph clamps with Max then Min over [1, F] float initializers before Sub; without a domain it does not", () => {
    const g = onnx.ModelProto.decode(bytes).graph!;
    expect(g.node!.map((n) => [n.opType, n.input, n.output]).slice(0, 3)).toEqual([
      ["Max", ["features", "domain_low"], ["above_low"]],
      ["Min", ["above_low", "domain_high"], ["clamped"]],
      ["Sub", ["clamped", "scaler_mean"], ["centered"]],
    ]);
    expect(g.node!.length).toBe(14);
    const floats = (name: string) => {
      const t = g.initializer!.find((i) => i.name === name)!;
      expect(t.dataType).toBe(1);
      expect(t.dims!.map(Number)).toEqual([1, F]);
      return [...new Float32Array(t.rawData!.slice().buffer)];
    };
    expect(floats("domain_low")).toEqual(low.map(Math.fround));
    expect(floats("domain_high")).toEqual(high.map(Math.fround));
    const without = onnx.ModelProto.decode(buildOnnxModel(plain)).graph!;
    expect(without.node!.map((n) => n.opType)).toEqual(["Sub", "Div", "Clip", "Gather", "Gather", "Mul", "Concat", "MatMul", "Add", "Mul", "Add", "Sigmoid"]);
    expect(without.node![0].input).toEqual(["features", "scaler_mean"]);
    expect(without.initializer!.map((t) => t.name)).not.toContain("domain_low");
  });

  it("passes onnx.checker.check_model(full_check=True) and infers [N,1]", () => {
    const file = join(tmp, `domain-${set}.onnx`);
    writeFileSync(file, bytes);
    expect(onnxCheck(file, "[n.op_type for n in m.graph.node][:2], out[0].dim_param, out[1].dim_value")).toBe("['Max', 'Min'] N 1");
  });

  /** Re-encodes the file after `edit`, the checksum re-stamped so only the decoder's structure and contract checks can object. */
  function edited(edit: (g: protobuf.onnx.GraphProto, floats: (name: string) => Float32Array) => void): Uint8Array {
    const m = onnx.ModelProto.decode(bytes.slice());
    const g = m.graph as protobuf.onnx.GraphProto;
    const views = new Map<string, Float32Array>();
    edit(g, (name) => {
      const t = g.initializer.find((i) => i.name === name)!;
      if (!views.has(name)) views.set(name, new Float32Array(t.rawData!.slice().buffer));
      return views.get(name)!;
    });
    for (const [name, values] of views) g.initializer.find((i) => i.name === name)!.rawData = new Uint8Array(values.buffer);
    const sum = crc32(Buffer.concat(g.initializer.map((t) => Buffer.from(t.rawData!)))).toString(16).padStart(8, "0");
    m.metadataProps.find((p) => p.key === "privads.constants_crc32")!.value = sum;
    return new Uint8Array(onnx.ModelProto.encode(m).finish());
  }

  it("the re-encoding itself keeps a valid file", () => {
    expect(decodeOnnxModel(edited(() => undefined)).parameters.domain).toEqual(decodeOnnxModel(bytes).parameters.domain);
  });

  it.each([
    ["Max and Min swapped", (g: protobuf.onnx.GraphProto) => ([g.node[0].opType, g.node[1].opType] = ["Min", "Max"]), /graph node 0 \(Max\) op_type must be "Max", got "Min"/],
    [
      "standardisation reads the raw features (clamp bypassed)",
      (g: protobuf.onnx.GraphProto) => (g.node[2].input = ["features", "scaler_mean"]),
      /graph node 2 \(Sub\) input must be \["clamped","scaler_mean"\], got \["features","scaler_mean"\]/,
    ],
    ["a domain of dims [F] instead of [1, F]", (g: protobuf.onnx.GraphProto) => (g.initializer[0].dims = [F]), new RegExp(`graph initializer 0 \\(domain_low\\) dims must be \\[1,${F}\\], got \\[${F}\\]`)],
    ["the Min node missing", (g: protobuf.onnx.GraphProto) => g.node.splice(1, 1), /graph has 13 nodes, expected 12/],
    ["the clamp nodes without the domain initializers", (g: protobuf.onnx.GraphProto) => g.initializer.splice(0, 2), /graph has 10 initializers, expected 12/],
    [
      "the domain initializers without the clamp nodes",
      (g: protobuf.onnx.GraphProto) => {
        g.node.splice(0, 2);
        g.node[0].input = ["features", "scaler_mean"];
      },
      /graph has 12 initializers, expected 10/,
    ],
    [
      "a low above its high",
      (_g: protobuf.onnx.GraphProto, floats: (name: string) => Float32Array) => (floats("domain_low")[3] = floats("domain_high")[3] + 1),
      new RegExp(`^model\\.onnx: initializer "domain_low"\\[3\\] must be <= initializer "domain_high"\\[3\\] \\(${Math.fround(high[3])}\\), got ${Math.fround(high[3]) + 1}$`),
    ],
    [
      "a NaN bound",
      (_g: protobuf.onnx.GraphProto, floats: (name: string) => Float32Array) => (floats("domain_high")[5] = NaN),
      /^model\.onnx: initializer "domain_high"\[5\] must be a finite number, got NaN$/,
    ],
  ])("a malformed clamp is refused: %s", (_name, edit, message) => {
    expect(() => decodeOnnxModel(edited(edit), "model.onnx")).toThrow(ModelFormatError);
    expect(() => decodeOnnxModel(edited(edit), "model.onnx")).toThrow(message);
  });
});

describe("the JSON model's domain is checked, naming the field, the value and what is valid", () => {
  const model = withDomain(randomModel(7, "ads"));
  /** The model as untrusted JSON: its domain may be anything. */
  type Untrusted = Omit<InteractionModel, "domain"> & { domain: { low?: number[]; high?: number[] } | null };
  const refusal = (edit: (m: Untrusted) => void): string => {
    const copy = structuredClone(model) as Untrusted;
    edit(copy);
    try {
      parseInteractionModel(copy, "model.json");
    } catch (error) {
      expect(error).toBeInstanceOf(ModelFormatError);
      return (error as Error).message;
    }
    throw new Error("the model was accepted");
  };
  it.each<[string, (m: Untrusted) => void, string]>([
    ["a NaN low", (m) => (m.domain!.low![3] = NaN), "model.json: domain.low[3] must be a finite number, got NaN"],
    ["a string high", (m) => ((m.domain!.high as unknown[])[0] = "5"), 'model.json: domain.high[0] must be a finite number, got "5"'],
    ["a short high", (m) => m.domain!.high!.pop(), "model.json: domain.high must be an array of 26 numbers"],
    ["low above high", (m) => (m.domain!.low![3] = 121), "model.json: domain.low[3] must be <= domain.high[3] (120), got 121"],
    ["a bound beyond float32", (m) => (m.domain!.high![2] = 1e39), "model.json: domain.high[2] must be within +-3.4028234663852886e+38 (float32), got 1e+39"],
    ["domain null", (m) => (m.domain = null), "model.json: domain.low must be an array of 26 numbers"],
    ["domain without bounds", (m) => (m.domain = {}), "model.json: domain.low must be an array of 26 numbers"],
    ["only high", (m) => (m.domain = { high: m.domain!.high }), "model.json: domain.low must be an array of 26 numbers"],
    ["only low", (m) => (m.domain = { low: m.domain!.low }), "model.json: domain.high must be an array of 26 numbers"],
  ])("%s", (_name, edit, message) => {
    expect(refusal(edit)).toBe(message);
  });

  it("a degenerate domain (low = high) is valid: the feature is then constant", () => {
    const copy = structuredClone(model);
    copy.domain!.high[0] = copy.domain!.low[0];
    expect(parseInteractionModel(copy).domain!.high[0]).toBe(0);
  });
});
