/**
 * The model's domain: per raw feature, the range `[low, high]` of the training windows it was
 * fitted on (docs/model.md). Every runtime clamps a raw feature to it before standardising, so
 * a live window outside anything the model saw is scored as the nearest window it did see
 * instead of by extrapolating a degree-2 polynomial.
 */
export interface FeatureDomain {
  /** Per feature (contract order), raw units. */
  low: number[];
  /** Per feature, `>= low`. */
  high: number[];
}

/**
 * Clamps a raw feature value to `[low, high]`: the one definition the trainer, the reference
 * scorer, the builtin runtime and the ONNX graph (Max then Min) share. NaN passes through
 * (the runtimes reject non-finite input before scoring).
 */
export function clampToDomain(x: number, low: number, high: number): number {
  return x < low ? low : x > high ? high : x;
}
