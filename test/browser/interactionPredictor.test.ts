import { describe, expect, it } from "vitest";
import { FEATURE_NAMES, FEATURE_SETS } from "../../src/core/featureNames.js";
import { ModelFormatError } from "../../src/core/interactionModel.js";
import { scoreModel } from "../../src/core/scoreModel.js";
import { InteractionPredictor } from "../../src/browser/interactionPredictor.js";
import { buildOnnxModel } from "../../src/export/onnxExporter.js";
import { randomModel } from "../export/testModel.js";

const model = randomModel(7);
const bytes = buildOnnxModel(model);
const mean = model.scaler.mean;

function fakeFetch(routes: Record<string, Uint8Array | string>, seen: string[] = []): typeof fetch {
  return (async (input: RequestInfo | URL) => {
    const url = String(input);
    seen.push(url);
    const body = routes[url];
    return body === undefined ? new Response("missing", { status: 404 }) : new Response(typeof body === "string" ? body : new Blob([new Uint8Array(body)]));
  }) as typeof fetch;
}

describe("InteractionPredictor.predictClickProbability", () => {
  it("imputes missing features with the training mean (scaler.mean)", async () => {
    const predictor = new InteractionPredictor({ model: bytes });
    // Independent expectation: the reference scorer on a hand-built row.
    expect(Math.abs((await predictor.predictClickProbability({})) - scoreModel(model, mean))).toBeLessThanOrEqual(1e-6);
    const row = [...mean];
    row[FEATURE_NAMES.indexOf("hover_count")] = 9;
    row[FEATURE_NAMES.indexOf("window_focused")] = 0;
    const p = await predictor.predictClickProbability({ hover_count: 9, window_focused: 0, click_count: undefined });
    expect(Math.abs(p - scoreModel(model, row))).toBeLessThanOrEqual(1e-6);
    expect(Math.abs(p - scoreModel(model, mean))).toBeGreaterThan(1e-4);
    expect(predictor.featureMeans.hover_count).toBe(mean[FEATURE_NAMES.indexOf("hover_count")]);
  });

  it.each([
    [{ hover_cnt: 1 }, /unknown feature "hover_cnt"/],
    [{ click_count: Number.NaN }, /feature "click_count" must be a finite number, got NaN/],
    [{ session_duration: Infinity }, /feature "session_duration" must be a finite number, got Infinity/],
    [{ scroll_velocity: -Infinity }, /"scroll_velocity".*-Infinity/],
    [{ hover_count: "3" }, /feature "hover_count" must be a finite number, got "3"/],
    [{ hover_count: null }, /feature "hover_count" must be a finite number, got null/],
    [{ hover_count: 1n }, /feature "hover_count" must be a finite number/],
  ])("throws TypeError naming the field for %o", async (features, message) => {
    const predictor = new InteractionPredictor({ model: bytes });
    // Before and after initialisation, the same error.
    await expect(predictor.predictClickProbability(features as never)).rejects.toThrow(TypeError);
    await predictor.initialize();
    await expect(predictor.predictClickProbability(features as never)).rejects.toThrow(message);
  });

  it.each([null, [1, 2], "features", 3])("rejects %o as the features object", async (features) => {
    await expect(new InteractionPredictor({ model: bytes }).predictClickProbability(features as never)).rejects.toThrow(TypeError);
  });
});

describe("InteractionPredictor.predictBatch", () => {
  const row = (v: number) => FEATURE_NAMES.map((_, i) => mean[i] + v);
  it("accepts arrays of rows and flat typed arrays alike", async () => {
    const predictor = new InteractionPredictor({ model: bytes });
    const rows = [row(0), row(0.5), row(1)];
    const a = await predictor.predictBatch(rows);
    const b = await predictor.predictBatch(Float64Array.from(rows.flat()));
    const c = await predictor.predictBatch(Float32Array.from(rows.flat()));
    rows.forEach((r, k) => {
      expect(Math.abs(a[k] - scoreModel(model, r))).toBeLessThanOrEqual(1e-6);
      expect(b[k]).toBe(a[k]);
      expect(Math.abs(c[k] - a[k])).toBeLessThanOrEqual(1e-5);
    });
    expect((await predictor.predictBatch([])).length).toBe(0);
  });

  it.each([
    [new Float64Array(21), RangeError, /multiple of 20/],
    [[row(0).slice(1)], RangeError, /row 0 must be an array of 20/],
    [[row(0), [...row(0).slice(0, 3), Number.NaN, ...row(0).slice(4)]], TypeError, /row 1, feature "max_idle_gap" must be a finite number, got NaN/],
    [Float32Array.from([...row(0), ...row(0).map((v, i) => (i === 19 ? Infinity : v))]), TypeError, /row 1, feature "scroll_velocity"/],
    ["rows", TypeError, /rows must be/],
  ])("rejects bad rows (%#)", async (rows, type, message) => {
    const predictor = new InteractionPredictor({ model: bytes });
    const error = await predictor.predictBatch(rows as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(type);
    expect((error as Error).message).toMatch(message);
  });
});

describe("InteractionPredictor follows the model's feature set", () => {
  const adsModel = randomModel(7, "ads");
  const adsBytes = buildOnnxModel(adsModel);

  it.each([
    ["ads .onnx", adsBytes, "ads", 26],
    ["ads JSON", adsModel, "ads", 26],
    ["seed .onnx", bytes, "seed", 20],
    ["seed JSON", model, "seed", 20],
  ] as const)("%s: featureSet, featureNames and featureMeans name the set", async (_name, input, set, F) => {
    const predictor = new InteractionPredictor({ model: input });
    expect(predictor.featureSet).toBeUndefined();
    expect(() => predictor.featureNames).toThrow(/initialize\(\) first/);
    await predictor.initialize();
    expect(predictor.featureSet).toBe(set);
    expect(predictor.featureNames).toEqual(FEATURE_SETS[set]);
    expect(predictor.featureNames).toHaveLength(F);
    expect(Object.keys(predictor.featureMeans)).toEqual(FEATURE_SETS[set]);
  });

  it("an ads model takes the six ad features by name and imputes them when missing", async () => {
    const predictor = new InteractionPredictor({ model: adsBytes });
    const mean = adsModel.scaler.mean;
    expect(Math.abs((await predictor.predictClickProbability({})) - scoreModel(adsModel, mean))).toBeLessThanOrEqual(1e-6);
    const row = [...mean];
    row[20] = 2; // ads_in_view
    row[24] = 1; // pointer_on_ad
    const p = await predictor.predictClickProbability({ ads_in_view: 2, pointer_on_ad: 1 });
    expect(Math.abs(p - scoreModel(adsModel, row))).toBeLessThanOrEqual(1e-6);
    expect(Math.abs(p - scoreModel(adsModel, mean))).toBeGreaterThan(1e-4);
  });

  it("a seed model rejects an ad feature as not of its set, before and after initialize()", async () => {
    const predictor = new InteractionPredictor({ model: bytes });
    const message = /predictClickProbability: "ads_in_view" is not a feature of this model's set "seed" \(time_since_last_action, .*, scroll_velocity\)$/;
    const first = await predictor.predictClickProbability({ ads_in_view: 1 }).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(TypeError);
    expect((first as Error).message).toMatch(message);
    await expect(predictor.predictClickProbability({ hover_count: 1, ads_in_view: 1 })).rejects.toThrow(message);
    // A seed model still scores its own 20.
    expect(Math.abs((await predictor.predictClickProbability({ hover_count: 1 })) - scoreModel(model, mean.map((v, i) => (i === FEATURE_NAMES.indexOf("hover_count") ? 1 : v))))).toBeLessThanOrEqual(1e-6);
  });

  it("predictBatch takes rows of the model's width", async () => {
    const predictor = new InteractionPredictor({ model: adsBytes });
    const row = [...adsModel.scaler.mean];
    const [p] = await predictor.predictBatch([row]);
    expect(Math.abs(p - scoreModel(adsModel, row))).toBeLessThanOrEqual(1e-6);
    await expect(predictor.predictBatch(new Float64Array(20))).rejects.toThrow(/multiple of 26/);
    await expect(predictor.predictBatch([row.slice(0, 20)])).rejects.toThrow(/row 0 must be an array of 26 numbers \(time_since_last_action, .*, pointer_on_ad_seconds\)/);
    await expect(predictor.predictBatch([row.map((v, i) => (i === 25 ? NaN : v))])).rejects.toThrow(/row 0, feature "pointer_on_ad_seconds" must be a finite number, got NaN/);
  });
});

describe("InteractionPredictor loading", () => {
  it("fetches the default URL once, even with concurrent initialize() calls", async () => {
    const seen: string[] = [];
    const predictor = new InteractionPredictor({ fetch: fakeFetch({ "/models/interaction_predictor.onnx": bytes }, seen) });
    expect(predictor.ready).toBe(false);
    await Promise.all([predictor.initialize(), predictor.initialize(), predictor.predictClickProbability({})]);
    expect(seen).toEqual(["/models/interaction_predictor.onnx"]);
    expect(predictor.ready).toBe(true);
    expect(predictor.windowConfig).toEqual(model.window);
  });

  it("loads a JSON model URL for the builtin runtime", async () => {
    const predictor = new InteractionPredictor({ modelUrl: "/m.json", fetch: fakeFetch({ "/m.json": JSON.stringify(model) }) });
    expect(Math.abs((await predictor.predictClickProbability({})) - scoreModel(model, mean))).toBeLessThanOrEqual(1e-12);
  });

  it("reports HTTP failures with the URL and can retry", async () => {
    const routes: Record<string, Uint8Array> = {};
    const predictor = new InteractionPredictor({ modelUrl: "/x.onnx", fetch: fakeFetch(routes) });
    await expect(predictor.initialize()).rejects.toThrow("could not load the model from /x.onnx: HTTP 404");
    routes["/x.onnx"] = bytes;
    await expect(predictor.initialize()).resolves.toBeUndefined();
  });

  it("rejects an unknown runtime and a non-model", async () => {
    expect(() => new InteractionPredictor({ runtime: "webgpu" as never })).toThrow(/runtime must be one of builtin, onnxruntime-web, onnxruntime-node/);
    await expect(new InteractionPredictor({ model: new Uint8Array([1, 2, 3]) }).initialize()).rejects.toThrow(ModelFormatError);
  });

  it("refuses to predict after dispose()", async () => {
    const predictor = new InteractionPredictor({ model: bytes });
    await predictor.initialize();
    predictor.dispose();
    await expect(predictor.predictClickProbability({})).rejects.toThrow(/disposed/);
  });
});
