import type { InteractionModel } from "../core/interactionModel.js";
import { type OutputFolder, writeOutputSet } from "../io/atomicFileSet.js";
import { runIdOf } from "../results/runId.js";
import type { TrainingResults } from "../results/trainingResults.js";

export const MODEL_FILE = "interaction_predictor.json";
export const RESULTS_FILE = "training_results.json";
export const REPORT_FILE = "report.html";

/** A model and its results stamped with one run id (`training.run_id`, `run_id`). */
export interface StampedRun {
  runId: string;
  model: InteractionModel;
  results: TrainingResults;
}

/**
 * Stamps the model and its results with the run id of the model's content ({@link runIdOf}):
 * the same seed gives the same id, so the same bytes. Every file of the run carries it.
 */
export function stampRun(model: InteractionModel, results: TrainingResults): StampedRun {
  const { run_id: _old, ...training } = model.training;
  const bare = { ...model, training };
  const runId = runIdOf(bare);
  const stampedResults = Object.fromEntries(
    Object.entries(results).flatMap(([key, value]) => (key === "run_id" ? [] : key === "seed" ? [[key, value], ["run_id", runId]] : [[key, value]])),
  ) as unknown as TrainingResults;
  return { runId, model: { ...bare, training: { run_id: runId, ...training } }, results: stampedResults };
}

/** The model folder's set: model, results and the HTML report rendered from those results (no timings: byte-identical for a seed). */
export async function modelFileSet(outDir: string, run: StampedRun): Promise<OutputFolder> {
  // Loaded on demand: the charting libraries are only needed here.
  const { renderReport } = await import("../report/renderReport.js");
  return {
    dir: outDir,
    files: [
      { name: MODEL_FILE, data: JSON.stringify(run.model, null, 2) + "\n" },
      { name: RESULTS_FILE, data: JSON.stringify(run.results, null, 2) + "\n" },
      { name: REPORT_FILE, data: renderReport(run.results) },
    ],
  };
}

/**
 * Writes the model, its results and the report as one set (docs/robustness.md, "Limits:
 * output sets"): all three change together or not at all, stamped with one run id and listed
 * in the folder's `privads-manifest.json`. Returns their paths.
 */
export async function writeModelFiles(outDir: string, model: InteractionModel, results: TrainingResults): Promise<{ model: string; results: string; report: string }> {
  const run = stampRun(model, results);
  const [modelPath, resultsPath, reportPath] = await writeOutputSet([await modelFileSet(outDir, run)], { runId: run.runId, seed: run.results.seed });
  return { model: modelPath, results: resultsPath, report: reportPath };
}
