import { access, mkdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { InteractionModel } from "../core/interactionModel.js";
import { parseInteractionModel } from "../core/interactionModel.js";
import { copyFileAtomic, writeFileAtomic } from "../io/atomicFile.js";
import { renderDemoPage } from "./demoPage.js";
import { buildOnnxModel } from "./onnxExporter.js";

export const ONNX_FILE = "interaction_predictor.onnx";
export const MODEL_JSON_FILE = "interaction_predictor.json";
export const BUNDLE_FILE = "interaction_predictor.js";
export const DEMO_FILE = "demo.html";
export const ORT_DIR = "ort";
/** What `import("onnxruntime-web/wasm")` loads with one thread and `wasmPaths` set: the ESM API, the emscripten glue and the wasm (~14 MB). */
export const ORT_FILES = ["ort.wasm.bundle.min.mjs", "ort-wasm-simd-threaded.mjs", "ort-wasm-simd-threaded.wasm"] as const;

export interface ExportOptions {
  /** Copy onnxruntime-web's wasm runtime into `ort/` (~14 MB). Default false: the builtin runtime needs none of it. */
  includeOnnxRuntimeWeb?: boolean;
  /** The browser bundle to copy. Default: `dist/browser/interaction_predictor.js` of this package. */
  bundlePath?: string;
}

/**
 * Writes the browser artifacts into `outDir`: `interaction_predictor.onnx`, the JSON model,
 * the browser bundle `interaction_predictor.js`, `demo.html` and, when asked, onnxruntime-web's
 * files in `ort/`. Every file is written atomically. Resolves to the written paths.
 */
export async function exportBrowserArtifacts(model: InteractionModel, outDir: string, options: ExportOptions = {}): Promise<{ files: string[] }> {
  const checked = parseInteractionModel(model, "exportBrowserArtifacts");
  const bundlePath = options.bundlePath ?? (await locateBrowserBundle());
  const bundle = await readFile(bundlePath).catch((error: NodeJS.ErrnoException) => {
    throw new Error(`cannot read the browser bundle ${bundlePath} (${error.code ?? error.message}); run npm run build`, { cause: error });
  });
  const ortSources = options.includeOnnxRuntimeWeb ? await locateOrtFiles() : [];
  await mkdir(outDir, { recursive: true });
  const files: string[] = [];
  const write = async (name: string, data: string | Uint8Array) => {
    const path = join(outDir, name);
    await writeFileAtomic(path, data);
    files.push(path);
  };
  await write(ONNX_FILE, buildOnnxModel(checked));
  await write(MODEL_JSON_FILE, JSON.stringify(checked, null, 2) + "\n");
  await write(BUNDLE_FILE, bundle);
  await write(DEMO_FILE, renderDemoPage({ onnxRuntimeWeb: ortSources.length > 0 }));
  for (const source of ortSources) {
    const target = join(outDir, ORT_DIR, source.name);
    await copyFileAtomic(source.path, target);
    files.push(target);
  }
  return { files };
}

/**
 * Finds `dist/browser/interaction_predictor.js`: next to the running bundle (`dist/cli.js`)
 * or from the package root when running from `src/`.
 */
export async function locateBrowserBundle(): Promise<string> {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, "browser", BUNDLE_FILE), join(here, "..", "..", "dist", "browser", BUNDLE_FILE), join(here, "..", "dist", "browser", BUNDLE_FILE)];
  for (const candidate of candidates) {
    if (await exists(candidate)) return candidate;
  }
  throw new Error(`browser bundle not found (looked for ${candidates.join(", ")}); run npm run build`);
}

async function locateOrtFiles(): Promise<Array<{ name: string; path: string }>> {
  let dir: string;
  try {
    dir = dirname(createRequire(import.meta.url).resolve("onnxruntime-web/ort-wasm-simd-threaded.wasm"));
  } catch {
    throw new Error("onnxruntime-web is not installed; it is needed to copy its wasm files (or export without them)");
  }
  const out = ORT_FILES.map((name) => ({ name, path: join(dir, name) }));
  for (const file of out) {
    if (!(await exists(file.path))) throw new Error(`onnxruntime-web file missing: ${file.path}`);
  }
  return out;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
