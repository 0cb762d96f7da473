/** The runtimes an `InteractionPredictor` can evaluate its model with. */
export type RuntimeName = "builtin" | "onnxruntime-web" | "onnxruntime-node";

export const RUNTIME_NAMES: readonly RuntimeName[] = ["builtin", "onnxruntime-web", "onnxruntime-node"];

/** One model, loaded into one runtime. */
export interface InferenceRuntime {
  readonly name: RuntimeName;
  /**
   * Probabilities for `count` rows of 20 raw features (row-major, contract order).
   * Rows are already validated (finite) by the caller.
   */
  run(rows: Float32Array | Float64Array, count: number): Promise<Float32Array | Float64Array>;
  /** Synchronous single-row scoring, when the runtime can (builtin only). */
  scoreRow?(row: ArrayLike<number>, offset: number): number;
  dispose(): void;
}
