import type { InferenceRuntime } from "../../onnx/inferenceRuntime.js";

/**
 * Stands in for `src/node/onnxruntimeNodeRuntime.ts` in the browser bundle (scripts/buildOptions.mjs
 * swaps the module): onnxruntime-node is native, so a page never loads it. Node resolves the
 * package to dist/node/, which holds the real adapter (package.json "exports", condition "node").
 */
export function createOnnxruntimeNodeRuntime(): Promise<InferenceRuntime> {
  return Promise.reject(new Error('runtime "onnxruntime-node" runs in Node only; in a browser use "builtin" or "onnxruntime-web"'));
}
