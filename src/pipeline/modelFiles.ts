import { join } from "node:path";
import type { InteractionModel } from "../core/interactionModel.js";
import { writeFileAtomic } from "../io/atomicFile.js";
import type { TrainingResults } from "./trainInteractionModel.js";

export const MODEL_FILE = "interaction_predictor.json";
export const RESULTS_FILE = "training_results.json";

/** Writes the model and its results, each atomically; returns their paths. */
export async function writeModelFiles(outDir: string, model: InteractionModel, results: TrainingResults): Promise<{ model: string; results: string }> {
  const paths = { model: join(outDir, MODEL_FILE), results: join(outDir, RESULTS_FILE) };
  await writeFileAtomic(paths.model, JSON.stringify(model, null, 2) + "\n");
  await writeFileAtomic(paths.results, JSON.stringify(results, null, 2) + "\n");
  return paths;
}
