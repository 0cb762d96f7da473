import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseInteractionModel, ModelFormatError, type InteractionModel } from "../../src/core/interactionModel.js";
import { termCount } from "../../src/core/polynomialTerms.js";
import { scoreModel } from "../../src/core/scoreModel.js";
import { InteractionPredictor } from "../../src/browser/interactionPredictor.js";
import { buildOnnxModel } from "../../src/export/onnxExporter.js";
import { loadModelFile } from "../../src/node/loadModelFile.js";
import { mulberry32, randomModel } from "./testModel.js";

// Issue 13, item 5: a model that passes validation must give a finite probability for every
// finite input, or be refused naming the field (src/core/modelContract.ts, docs/model.md).
const FLOAT32_MAX = 3.4028234663852886e38;
const MAX_MARGIN = FLOAT32_MAX / 4;
const F = 26;
const T = termCount(F);
const tmp = mkdtempSync(join(tmpdir(), "privads-finite-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const edited = (edit: (m: InteractionModel) => void): InteractionModel => {
  const copy = structuredClone(randomModel(5, "ads"));
  edit(copy);
  return copy;
};
const refusal = (model: InteractionModel): string => {
  try {
    parseInteractionModel(model, "model.json");
  } catch (error) {
    expect(error).toBeInstanceOf(ModelFormatError);
    return (error as Error).message;
  }
  throw new Error("the model was accepted");
};

describe("models that would score NaN are refused, naming the field", () => {
  const opposite = edited((m) => {
    m.coefficients[F] = 1e308; // z_0 * z_0
    m.coefficients[F + 1] = -1e308; // z_0 * z_1
  });

  it("the hazard is real: scored without the check, two opposite huge coefficients give NaN", () => {
    const x = new Float64Array(F);
    x[0] = 1e300; // clipped to +1e6 standard deviations
    x[1] = 1e300;
    expect(Number.isNaN(scoreModel(opposite, x))).toBe(true);
  });

  it("coefficients of +-1e308, scales of 5e-324, means of 1e308, huge calibration or intercept", () => {
    const message = refusal(opposite);
    expect(message.startsWith(`model.json: coefficients[${F}] is 1e+308: `), message).toBe(true);
    expect(message).toContain(`must stay under ${MAX_MARGIN}`);
    expect(refusal(edited((m) => (m.scaler.scale[2] = 5e-324)))).toBe(
      "model.json: scaler.scale[2] must be within [1.1754943508222875e-38, 3.4028234663852886e+38] (float32), got 5e-324",
    );
    expect(refusal(edited((m) => (m.scaler.mean[0] = 1e308)))).toBe("model.json: scaler.mean[0] must be within +-3.4028234663852886e+38 (float32), got 1e+308");
    expect(refusal(edited((m) => (m.calibration.slope = 1e300)))).toBe("model.json: calibration.slope must be within +-3.4028234663852886e+38 (float32), got 1e+300");
    expect(refusal(edited((m) => (m.intercept = 1e38)))).toMatch(/^model\.json: intercept is 1e\+38: /);
  });

  it("export and the CLI's model loader refuse the same models", async () => {
    expect(() => buildOnnxModel(opposite)).toThrow(ModelFormatError);
    const file = join(tmp, "bad.json");
    writeFileSync(file, JSON.stringify(opposite));
    await expect(loadModelFile(file)).rejects.toThrow(new RegExp(`coefficients\\[${F}\\] is 1e\\+308`));
  });
});

describe("models at the edge of the bound give finite probabilities on every runtime", () => {
  /** A valid model with extreme but accepted parameters: the margin bound used up to 99 %. */
  function edgeModel(seed: number): InteractionModel {
    const rng = mulberry32(seed);
    const m = structuredClone(randomModel(seed, "ads"));
    const logUniform = (lo: number, hi: number) => Math.exp(Math.log(lo) + rng() * (Math.log(hi) - Math.log(lo)));
    m.scaler.mean = m.scaler.mean.map(() => (rng() < 0.5 ? -1 : 1) * logUniform(1e-3, FLOAT32_MAX * 0.99));
    m.scaler.scale = m.scaler.scale.map(() => logUniform(1.2e-38, FLOAT32_MAX * 0.99));
    const raw = Array.from({ length: T }, () => (rng() < 0.5 ? -1 : 1) * logUniform(1e-6, 1));
    const size = raw.reduce((sum, c, k) => sum + Math.abs(c) * (k < F ? 1e6 : 1e12), 0);
    m.intercept = (rng() < 0.5 ? -1 : 1) * 0.01 * MAX_MARGIN;
    m.coefficients = raw.map((c) => (c / size) * 0.98 * MAX_MARGIN);
    m.calibration = { method: "platt", slope: (rng() < 0.5 ? -1 : 1) * logUniform(1e-3, FLOAT32_MAX * 0.99), intercept: (rng() - 0.5) * 1e30 };
    return parseInteractionModel(m, `edge model ${seed}`);
  }

  /** Rows of finite inputs, the extremes included. */
  function extremeRows(seed: number, count: number): Float64Array {
    const rng = mulberry32(seed);
    const picks = [0, 1e300, -1e300, FLOAT32_MAX, -FLOAT32_MAX, 1e-300, 5e-324, 1e38, -7];
    return Float64Array.from({ length: count * F }, () => (rng() < 0.7 ? picks[Math.floor(rng() * picks.length)] : (rng() - 0.5) * 10 ** (rng() * 600 - 300)));
  }

  it.each([1, 2, 3, 4, 5])("edge model %i: reference, builtin (JSON and .onnx) and onnxruntime-node stay in [0, 1]", async (seed) => {
    const model = edgeModel(seed);
    const rows = extremeRows(100 + seed, 300);
    const inRange = (p: number) => Number.isFinite(p) && p >= 0 && p <= 1;
    for (let r = 0; r < 300; r++) expect(inRange(scoreModel(model, rows, r * F))).toBe(true);
    const bytes = buildOnnxModel(model);
    for (const predictor of [
      new InteractionPredictor({ model }),
      new InteractionPredictor({ model: bytes }),
      new InteractionPredictor({ model: bytes, runtime: "onnxruntime-node" }),
    ]) {
      await predictor.initialize();
      const out = await predictor.predictBatch(rows);
      expect(Array.from(out).every(inRange), predictor.runtimeInUse).toBe(true);
      predictor.dispose();
    }
  });
});
