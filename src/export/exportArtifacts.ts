import { access, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { InteractionModel } from "../core/interactionModel.js";
import { parseInteractionModel } from "../core/interactionModel.js";
import { type OutputFile, type OutputFolder, type OutputStamp, writeOutputSet } from "../io/atomicFileSet.js";
import { runIdFromModel, seedFromModel } from "../results/runId.js";
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
 * The browser folder's set for `model`: `interaction_predictor.onnx` (with `privads.run_id`
 * and `privads.seed` metadata), the JSON model, the browser bundle, `demo.html` (with a
 * `privads-run` meta tag) and, when asked, onnxruntime-web's files in `ort/`. The run id is the
 * model's `training.run_id` (a model of an older version: the id of its content).
 */
export async function browserArtifactSet(model: InteractionModel, outDir: string, options: ExportOptions = {}): Promise<{ folder: OutputFolder; stamp: OutputStamp }> {
  const checked = parseInteractionModel(model, "exportBrowserArtifacts");
  const stamp = exportStamp(checked);
  const bundlePath = options.bundlePath ?? (await locateBrowserBundle());
  const bundle = await readFile(bundlePath).catch((error: NodeJS.ErrnoException) => {
    throw new Error(`cannot read the browser bundle ${bundlePath} (${error.code ?? error.message}); run npm run build`, { cause: error });
  });
  const ortSources = options.includeOnnxRuntimeWeb ? await locateOrtFiles() : [];
  const files: OutputFile[] = [
    { name: ONNX_FILE, data: buildOnnxModel(checked, onnxRunMetadata(stamp)) },
    { name: MODEL_JSON_FILE, data: JSON.stringify(checked, null, 2) + "\n" },
    { name: BUNDLE_FILE, data: bundle },
    { name: DEMO_FILE, data: renderDemoPage({ onnxRuntimeWeb: ortSources.length > 0, run: stamp }) },
    ...ortSources.map((source) => ({ name: `${ORT_DIR}/${source.name}`, copyFrom: source.path })),
  ];
  return { folder: { dir: outDir, files }, stamp };
}

/** The `.onnx` metadata naming the run: `privads.run_id` and, when known, `privads.seed`. */
export function onnxRunMetadata(stamp: OutputStamp): Array<[string, string]> {
  return [["privads.run_id", stamp.runId], ...(stamp.seed === null ? [] : [["privads.seed", String(stamp.seed)] as [string, string]])];
}

/** The stamp an export of `model` carries (see {@link browserArtifactSet}). */
export function exportStamp(model: InteractionModel): OutputStamp {
  return { runId: runIdFromModel(model), seed: seedFromModel(model) };
}

/**
 * Writes the browser artifacts ({@link browserArtifactSet}) into `outDir` as one set: they
 * change together or not at all (docs/robustness.md, "Limits: output sets"). Resolves to the
 * written paths.
 */
export async function exportBrowserArtifacts(model: InteractionModel, outDir: string, options: ExportOptions = {}): Promise<{ files: string[] }> {
  const { folder, stamp } = await browserArtifactSet(model, outDir, options);
  return { files: await writeOutputSet([folder], stamp) };
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
