import { join } from "node:path";
import type { InteractionModel } from "../core/interactionModel.js";
import { writeFileAtomic } from "../io/atomicFile.js";
import type { TrainingResults } from "./trainInteractionModel.js";

export const MODEL_FILE = "interaction_predictor.json";
export const RESULTS_FILE = "training_results.json";
export const REPORT_FILE = "report.html";

/**
 * Writes the model, its results and the HTML report, each atomically; returns their paths.
 * The report is rendered from the results (it shows no timings, so it is byte-identical for a
 * seed); `beforeResults(reportMs)` may add run measurements to the results just before they
 * are written.
 */
export async function writeModelFiles(
  outDir: string,
  model: InteractionModel,
  results: TrainingResults,
  beforeResults?: (reportMs: number) => void,
): Promise<{ model: string; results: string; report: string }> {
  const paths = { model: join(outDir, MODEL_FILE), results: join(outDir, RESULTS_FILE), report: join(outDir, REPORT_FILE) };
  const started = performance.now();
  // Loaded on demand: the charting libraries are only needed here.
  const { renderReport } = await import("../report/renderReport.js");
  const html = renderReport(results);
  beforeResults?.(Math.round((performance.now() - started) * 10) / 10);
  await writeFileAtomic(paths.model, JSON.stringify(model, null, 2) + "\n");
  await writeFileAtomic(paths.results, JSON.stringify(results, null, 2) + "\n");
  await writeFileAtomic(paths.report, html);
  return paths;
}
