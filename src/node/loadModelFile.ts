import { open } from "node:fs/promises";
import type { InteractionModel } from "../core/interactionModel.js";
import { ModelFormatError, parseInteractionModel } from "../core/interactionModel.js";
import { checkModelSize, MAX_MODEL_BYTES } from "../core/modelContract.js";

/** A model read from disk: the validated JSON model, or the raw `.onnx` bytes (checked when loaded). */
export type ModelFile = { kind: "json"; path: string; model: InteractionModel } | { kind: "onnx"; path: string; bytes: Uint8Array };

/**
 * Reads `interaction_predictor.json` (validated with `parseInteractionModel`) or an `.onnx`
 * file, by extension. Errors name the file. A file over `MAX_MODEL_BYTES` (1 MiB) is refused
 * before it is read.
 */
export async function loadModelFile(path: string): Promise<ModelFile> {
  const bytes = await readBounded(path);
  if (path.toLowerCase().endsWith(".onnx")) return { kind: "onnx", path, bytes };
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    throw new ModelFormatError(`${path}: not valid JSON (${(error as Error).message}); expected a .json model or an .onnx file`);
  }
  return { kind: "json", path, model: parseInteractionModel(json, path) };
}

/** The file's bytes, refused (by its size, then by what was read) beyond `MAX_MODEL_BYTES`. */
async function readBounded(path: string): Promise<Uint8Array> {
  const file = await open(path, "r");
  try {
    const { size } = await file.stat();
    checkModelSize(size, path);
    // A file that grows meanwhile is read no further than one byte past the bound.
    const buffer = new Uint8Array(Math.min(Math.max(size, 64 * 1024), MAX_MODEL_BYTES) + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await file.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    checkModelSize(length, path);
    return buffer.slice(0, length);
  } finally {
    await file.close();
  }
}
