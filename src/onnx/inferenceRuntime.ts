/** The runtimes an `InteractionPredictor` can evaluate its model with. */
export type RuntimeName = "builtin" | "onnxruntime-web" | "onnxruntime-node";

export const RUNTIME_NAMES: readonly RuntimeName[] = ["builtin", "onnxruntime-web", "onnxruntime-node"];

/** One model, loaded into one runtime. */
export interface InferenceRuntime {
  readonly name: RuntimeName;
  /** The model's width F: raw features per row (26 for the `ads` set, 20 for `seed`). */
  readonly featureCount: number;
  /**
   * Probabilities for `count` rows of F raw features (row-major, contract order).
   * Rows are already validated (finite) by the caller.
   */
  run(rows: Float32Array | Float64Array, count: number): Promise<Float32Array | Float64Array>;
  /** Synchronous single-row scoring, when the runtime can (builtin only). */
  scoreRow?(row: ArrayLike<number>, offset: number): number;
  dispose(): void;
}
