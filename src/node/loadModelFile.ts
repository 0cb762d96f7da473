import { readFile } from "node:fs/promises";
import type { InteractionModel } from "../core/interactionModel.js";
import { ModelFormatError, parseInteractionModel } from "../core/interactionModel.js";

/** A model read from disk: the validated JSON model, or the raw `.onnx` bytes (checked when loaded). */
export type ModelFile = { kind: "json"; path: string; model: InteractionModel } | { kind: "onnx"; path: string; bytes: Uint8Array };

/**
 * Reads `interaction_predictor.json` (validated with `parseInteractionModel`) or an `.onnx`
 * file, by extension. Errors name the file.
 */
export async function loadModelFile(path: string): Promise<ModelFile> {
  const bytes = new Uint8Array(await readFile(path));
  if (path.toLowerCase().endsWith(".onnx")) return { kind: "onnx", path, bytes };
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    throw new ModelFormatError(`${path}: not valid JSON (${(error as Error).message}); expected a .json model or an .onnx file`);
  }
  return { kind: "json", path, model: parseInteractionModel(json, path) };
}
