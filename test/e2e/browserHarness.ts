import { copyFile, mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { parseInteractionModel, type InteractionModel } from "../../src/core/interactionModel.js";
import { buildOnnxModel } from "../../src/export/onnxExporter.js";
import { randomModel } from "../export/testModel.js";

export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/**
 * A valid model whose probabilities stay mid-range on realistic windows (5-95 % quantiles about
 * 0.05-0.5), so comparing the page's probability with the Node reference is a real check
 * (the raw random test model saturates at 1). Deterministic.
 */
export function demoModel(): InteractionModel {
  const model = randomModel(7);
  model.coefficients = model.coefficients.map((c, k) => c * (k < 20 ? 0.5 : 0.1));
  model.calibration = { method: "platt", slope: 1, intercept: -2 };
  return model;
}

/** A JSON model from a file (e.g. a `privads pipeline` output), checked like any model. */
export async function loadModel(path: string): Promise<InteractionModel> {
  return parseInteractionModel(JSON.parse(await readFile(path, "utf8")), path);
}

/** Builds the demo app with Vite into a new temporary folder (public/ is not copied: tests supply the models). */
export async function buildDemo(): Promise<string> {
  const outDir = await mkdtemp(join(tmpdir(), "privads-demo-"));
  const { build } = await import("vite");
  await build({
    configFile: join(REPO_ROOT, "privads-demo/vite.config.ts"),
    logLevel: "silent",
    publicDir: false,
    build: { outDir, emptyOutDir: true, reportCompressedSize: false },
  });
  return outDir;
}

/** Writes `model` as the demo expects it: `models/interaction_predictor.onnx` and `.json`; optionally onnxruntime-web's files in `models/ort/`. */
export async function writeModelFiles(siteDir: string, model: InteractionModel, withOnnxRuntimeWeb = false): Promise<void> {
  const dir = join(siteDir, "models");
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "interaction_predictor.onnx"), buildOnnxModel(model));
  await writeFile(join(dir, "interaction_predictor.json"), JSON.stringify(model));
  if (withOnnxRuntimeWeb) {
    const ortDir = dirname(createRequire(import.meta.url).resolve("onnxruntime-web/ort-wasm-simd-threaded.wasm"));
    await mkdir(join(dir, "ort"), { recursive: true });
    // The .mjs glue too: with env.wasm.wasmPaths set to a prefix, onnxruntime-web's bundle build
    // loads "<prefix>ort-wasm-simd-threaded.mjs" instead of its embedded copy.
    for (const name of ["ort.wasm.bundle.min.mjs", "ort-wasm-simd-threaded.mjs", "ort-wasm-simd-threaded.wasm"]) await copyFile(join(ortDir, name), join(dir, "ort", name));
  }
}

/** Collects what the page does that a privacy-first SDK must not: requests to other origins, console errors. */
export function watchPage(page: Page, origin: string): { foreignRequests: string[]; consoleErrors: string[] } {
  const foreignRequests: string[] = [];
  const consoleErrors: string[] = [];
  page.on("request", (request) => {
    const url = request.url();
    if (url.startsWith("data:") || url.startsWith("blob:")) return;
    if (new URL(url).origin !== origin) foreignRequests.push(url);
  });
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => consoleErrors.push(`pageerror: ${error.message}`));
  return { foreignRequests, consoleErrors };
}

/** Polls `probe` (real time, short intervals) until it returns a truthy value. */
export async function until<T>(probe: () => Promise<T>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
