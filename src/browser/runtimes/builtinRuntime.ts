import { clampToDomain } from "../../core/featureDomain.js";
import { sigmoid } from "../../core/sigmoid.js";
import { boundStandardScore } from "../../core/standardScoreBound.js";
import type { ModelParameters } from "../modelParameters.js";
import type { InferenceRuntime } from "../../onnx/inferenceRuntime.js";

/**
 * The zero-dependency runtime: evaluates the exported graph's maths directly in float64
 * from the decoded constants (`scoreModel` in `src/core` is the reference it is tested against),
 * for the model's F features (26 or 20), each clamped to the model's domain first.
 * Allocation-free per row; start-up is the decode only.
 */
export function createBuiltinRuntime(p: ModelParameters): InferenceRuntime {
  const { mean, scale, coefficients: w, intercept, calibrationSlope, calibrationIntercept } = p;
  const F = mean.length;
  // A model without a domain clamps to (-Infinity, Infinity): one path, and x passes unchanged.
  const low = Float64Array.from(p.domain?.low ?? mean.map(() => -Infinity));
  const high = Float64Array.from(p.domain?.high ?? mean.map(() => Infinity));
  const z = new Float64Array(F);
  const scoreRow = (x: ArrayLike<number>, offset: number): number => {
    let m = intercept;
    for (let i = 0; i < F; i++) {
      const zi = boundStandardScore((clampToDomain(x[offset + i], low[i], high[i]) - mean[i]) / scale[i]);
      z[i] = zi;
      m += w[i] * zi;
    }
    // Products z_i * z_j, i <= j, in polynomialTerms(F) order.
    let k = F;
    for (let i = 0; i < F; i++) {
      const zi = z[i];
      for (let j = i; j < F; j++) m += w[k++] * (zi * z[j]);
    }
    return sigmoid(calibrationSlope * m + calibrationIntercept);
  };
  return {
    name: "builtin",
    featureCount: F,
    scoreRow,
    run(rows, count) {
      const out = new Float64Array(count);
      for (let r = 0; r < count; r++) out[r] = scoreRow(rows, r * F);
      return Promise.resolve(out);
    },
    dispose() {},
  };
}
