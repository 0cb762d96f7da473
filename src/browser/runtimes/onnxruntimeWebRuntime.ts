import type * as OrtWeb from "onnxruntime-web/wasm";
import type { InferenceRuntime } from "../../onnx/inferenceRuntime.js";
import { createOrtRuntime, type OrtModuleLike } from "../../onnx/onnxruntimeSession.js";

/** Where the page serves onnxruntime-web's .wasm by default (same origin, never a CDN). */
export const DEFAULT_WASM_PATHS = "/models/ort/";

/**
 * onnxruntime-web (wasm backend, one thread), loaded on demand with `import("onnxruntime-web/wasm")`:
 * a bundler resolves it, or a plain page maps it with an import map (see demo.html).
 */
export async function createOnnxruntimeWebRuntime(bytes: Uint8Array, featureCount: number, wasmPaths = DEFAULT_WASM_PATHS): Promise<InferenceRuntime> {
  let ort: typeof OrtWeb;
  try {
    ort = await import("onnxruntime-web/wasm");
  } catch (error) {
    throw new Error(
      `onnxruntime-web could not be loaded (${(error as Error).message}); bundle "onnxruntime-web/wasm" or map it with an import map to the copied ort/ files`,
      { cause: error },
    );
  }
  // onnxruntime resolves a relative prefix against its own module URL; users mean the page's.
  const base = (globalThis as { location?: { href: string } }).location?.href;
  ort.env.wasm.wasmPaths = base ? new URL(wasmPaths, base).href : wasmPaths;
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.proxy = false;
  return createOrtRuntime("onnxruntime-web", ort as unknown as OrtModuleLike, bytes, featureCount, { executionProviders: ["wasm"], graphOptimizationLevel: "all" });
}
