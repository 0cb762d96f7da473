import type { InferenceRuntime } from "../onnx/inferenceRuntime.js";
import { createOrtRuntime, type OrtModuleLike } from "../onnx/onnxruntimeSession.js";

/**
 * The package name is held in a variable so bundlers (esbuild, Vite) leave the import alone:
 * the browser bundle never contains onnxruntime-node; in Node it resolves from node_modules.
 */
const NODE_PACKAGE = "onnxruntime-node";

/**
 * onnxruntime-node (native CPU). Node only: the package's Node build (dist/node/, package.json
 * "exports" condition "node") holds it; the browser bundle swaps this module for a stub that
 * rejects with a clear error (src/browser/runtimes/onnxruntimeNodeUnavailable.ts). The predictor
 * source imports it for both, so it must never import a `node:` module itself.
 */
export async function createOnnxruntimeNodeRuntime(bytes: Uint8Array, featureCount: number): Promise<InferenceRuntime> {
  let ort: OrtModuleLike;
  try {
    const mod = (await import(/* @vite-ignore */ NODE_PACKAGE)) as OrtModuleLike & { default?: OrtModuleLike };
    ort = mod.InferenceSession ? mod : mod.default!;
  } catch (error) {
    throw new Error(`runtime "onnxruntime-node" is only available in Node with the onnxruntime-node package installed (${(error as Error).message})`, { cause: error });
  }
  return createOrtRuntime("onnxruntime-node", ort, bytes, featureCount, { executionProviders: ["cpu"], intraOpNumThreads: 1, interOpNumThreads: 1 });
}
