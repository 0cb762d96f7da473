import { join } from "node:path";
import type { InteractionModel } from "../core/interactionModel.js";
import { writeFileAtomic } from "../io/atomicFile.js";
import type { TrainingResults } from "../results/trainingResults.js";

export const MODEL_FILE = "interaction_predictor.json";
export const RESULTS_FILE = "training_results.json";
export const REPORT_FILE = "report.html";

/**
 * Writes the model, its results and the HTML report rendered from those results, each
 * atomically; returns their paths. The report shows no timings, so it is byte-identical for a seed.
 */
export async function writeModelFiles(outDir: string, model: InteractionModel, results: TrainingResults): Promise<{ model: string; results: string; report: string }> {
  const paths = { model: join(outDir, MODEL_FILE), results: join(outDir, RESULTS_FILE), report: join(outDir, REPORT_FILE) };
  // Loaded on demand: the charting libraries are only needed here.
  const { renderReport } = await import("../report/renderReport.js");
  const html = renderReport(results);
  await writeFileAtomic(paths.model, JSON.stringify(model, null, 2) + "\n");
  await writeFileAtomic(paths.results, JSON.stringify(results, null, 2) + "\n");
  await writeFileAtomic(paths.report, html);
  return paths;
}
