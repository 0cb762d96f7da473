import { FEATURE_COUNT } from "../../core/featureNames.js";
import { sigmoid } from "../../core/sigmoid.js";
import { boundStandardScore } from "../../core/standardScoreBound.js";
import type { ModelParameters } from "../modelParameters.js";
import type { InferenceRuntime } from "../../onnx/inferenceRuntime.js";

/**
 * The zero-dependency runtime: evaluates the exported graph's maths directly in float64
 * from the decoded constants (`scoreModel` in `src/core` is the reference it is tested against).
 * Allocation-free per row; start-up is the decode only.
 */
export function createBuiltinRuntime(p: ModelParameters): InferenceRuntime {
  const { mean, scale, coefficients: w, intercept, calibrationSlope, calibrationIntercept } = p;
  const z = new Float64Array(FEATURE_COUNT);
  const scoreRow = (x: ArrayLike<number>, offset: number): number => {
    let m = intercept;
    for (let i = 0; i < FEATURE_COUNT; i++) {
      const zi = boundStandardScore((x[offset + i] - mean[i]) / scale[i]);
      z[i] = zi;
      m += w[i] * zi;
    }
    // Products z_i * z_j, i <= j, in POLYNOMIAL_TERMS order.
    let k = FEATURE_COUNT;
    for (let i = 0; i < FEATURE_COUNT; i++) {
      const zi = z[i];
      for (let j = i; j < FEATURE_COUNT; j++) m += w[k++] * (zi * z[j]);
    }
    return sigmoid(calibrationSlope * m + calibrationIntercept);
  };
  return {
    name: "builtin",
    scoreRow,
    run(rows, count) {
      const out = new Float64Array(count);
      for (let r = 0; r < count; r++) out[r] = scoreRow(rows, r * FEATURE_COUNT);
      return Promise.resolve(out);
    },
    dispose() {},
  };
}
