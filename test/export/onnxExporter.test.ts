import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import protobuf from "onnx-proto";
import { afterAll, describe, expect, it } from "vitest";
import { FEATURE_SETS, type FeatureSetName } from "../../src/core/featureNames.js";
import { MODEL_FORMAT } from "../../src/core/interactionModel.js";
import { termNames } from "../../src/core/polynomialTerms.js";
import { buildOnnxModel } from "../../src/export/onnxExporter.js";
import { onnxCheck } from "./onnxChecker.js";
import { randomModel } from "./testModel.js";

const { onnx } = protobuf;
const tmp = mkdtempSync(join(tmpdir(), "privads-onnx-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// [set, F, T]: T = F + F (F + 1) / 2 degree-2 terms, by hand.
const SETS: Array<[FeatureSetName, number, number]> = [
  ["ads", 26, 377],
  ["seed", 20, 230],
];

describe.each(SETS)("buildOnnxModel, %s set (F = %i, %i terms)", (set, F, T) => {
  const model = randomModel(7, set);
  const bytes = buildOnnxModel(model);

  it("is small and byte-for-byte deterministic", () => {
    expect(bytes.length).toBeLessThan(50 * 1024);
    expect(Buffer.from(buildOnnxModel(randomModel(7, set))).equals(Buffer.from(bytes))).toBe(true);
    expect(Buffer.from(buildOnnxModel(randomModel(8, set))).equals(Buffer.from(bytes))).toBe(false);
  });

  it("rejects an invalid model before writing anything", () => {
    const bad = { ...model, coefficients: model.coefficients.slice(1) };
    expect(() => buildOnnxModel(bad)).toThrow(/coefficients/);
  });

  // Independent structural check: decode with onnx-proto (protobufjs), not our reader.
  it("decodes with onnx-proto to the documented graph", () => {
    const m = onnx.ModelProto.decode(bytes);
    expect(Number(m.irVersion)).toBe(8);
    expect(m.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([["", 13]]);
    const g = m.graph!;
    const shape = (v: protobuf.onnx.IValueInfoProto) => v.type!.tensorType!.shape!.dim!.map((d) => d.dimParam || Number(d.dimValue));
    expect(g.input!.map((v) => [v.name, v.type!.tensorType!.elemType, shape(v)])).toEqual([["features", 1, ["N", F]]]);
    expect(g.output!.map((v) => [v.name, v.type!.tensorType!.elemType, shape(v)])).toEqual([["click_probability", 1, ["N", 1]]]);
    expect(g.node!.map((n) => n.opType)).toEqual(["Sub", "Div", "Clip", "Gather", "Gather", "Mul", "Concat", "MatMul", "Add", "Mul", "Add", "Sigmoid"]);
    const init = Object.fromEntries(g.initializer!.map((t) => [t.name, t]));
    expect(init.scaler_mean.dims!.map(Number)).toEqual([F]);
    expect(init.scaler_scale.dims!.map(Number)).toEqual([F]);
    expect(init.coefficients.dims!.map(Number)).toEqual([T, 1]);
    // Weights are the model's coefficients rounded to float32, little-endian.
    const raw = init.coefficients.rawData!;
    const w = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
    expect(w.length).toBe(T);
    model.coefficients.forEach((c, k) => expect(w[k]).toBe(Math.fround(c)));
    // Product indices: i <= j, row-major over the upper triangle (hand rule, not polynomialTerms).
    const ints = (t: protobuf.onnx.ITensorProto) => [...new BigInt64Array(t.rawData!.buffer.slice(t.rawData!.byteOffset, t.rawData!.byteOffset + t.rawData!.byteLength))];
    const expectedLeft: bigint[] = [];
    const expectedRight: bigint[] = [];
    for (let i = 0; i < F; i++) {
      for (let j = i; j < F; j++) {
        expectedLeft.push(BigInt(i));
        expectedRight.push(BigInt(j));
      }
    }
    expect(ints(init.term_left_index)).toEqual(expectedLeft);
    expect(ints(init.term_right_index)).toEqual(expectedRight);
    expect(expectedLeft.length).toBe(T - F);

    const meta = Object.fromEntries(m.metadataProps.map((p) => [p.key, p.value]));
    expect(meta["privads.format"]).toBe(MODEL_FORMAT);
    expect(meta["privads.format_version"]).toBe("1");
    expect(meta["privads.feature_set"]).toBe(set);
    expect(JSON.parse(meta["privads.feature_names"]!)).toEqual([...FEATURE_SETS[set]]);
    expect(JSON.parse(meta["privads.window_config"]!)).toEqual(model.window);
    expect(meta["privads.horizon_seconds"]).toBe(String(model.window.horizon));
    expect(JSON.parse(meta["privads.term_order"]!)).toEqual(termNames(FEATURE_SETS[set]));
    expect(JSON.parse(meta["privads.scaler_mean"]!)).toEqual(model.scaler.mean);
    const allRaw = Buffer.concat(g.initializer!.map((t) => Buffer.from(t.rawData!)));
    expect(meta["privads.constants_crc32"]).toBe(crc32(allRaw).toString(16).padStart(8, "0"));
  });

  it("passes onnx.checker.check_model(full_check=True) and infers [N,1] from [N,F]", () => {
    const file = join(tmp, `model-${set}.onnx`);
    writeFileSync(file, bytes);
    const out = onnxCheck(file, "m.ir_version, m.opset_import[0].version, inp[1].dim_value, out[0].dim_param, out[1].dim_value");
    expect(out).toBe(`8 13 ${F} N 1`);
  });
});
