import { INPUT_NAME, OUTPUT_NAME } from "./onnxLayout.js";
import type { InferenceRuntime, RuntimeName } from "./inferenceRuntime.js";

/** The part of the onnxruntime API (identical in -web and -node) this project uses. */
export interface OrtSessionLike {
  run(feeds: Record<string, unknown>): Promise<Record<string, { data: unknown; dims: readonly number[] }>>;
  release?(): Promise<void>;
}
export interface OrtModuleLike {
  InferenceSession: { create(model: Uint8Array, options?: Record<string, unknown>): Promise<OrtSessionLike> };
  Tensor: new (type: "float32", data: Float32Array, dims: readonly number[]) => unknown;
}

/**
 * Wraps an onnxruntime module (web or node) holding our model, of `featureCount` inputs (the
 * decoder has already checked the graph's width), as an `InferenceRuntime`. @internal
 */
export async function createOrtRuntime(
  name: RuntimeName,
  ort: OrtModuleLike,
  bytes: Uint8Array,
  featureCount: number,
  options: Record<string, unknown>,
): Promise<InferenceRuntime> {
  const session = await ort.InferenceSession.create(bytes, options);
  const F = featureCount;
  return {
    name,
    featureCount: F,
    async run(rows, count) {
      const data = rows instanceof Float32Array ? rows : Float32Array.from(rows.subarray(0, count * F));
      const result = await session.run({ [INPUT_NAME]: new ort.Tensor("float32", data.subarray(0, count * F), [count, F]) });
      const output = result[OUTPUT_NAME];
      if (!output || !(output.data instanceof Float32Array) || output.data.length !== count) {
        throw new Error(`${name}: model returned no "${OUTPUT_NAME}" of ${count} float32 values`);
      }
      return output.data;
    },
    dispose() {
      void session.release?.().catch(() => undefined);
    },
  };
}
