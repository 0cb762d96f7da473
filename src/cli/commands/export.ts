import { exportBrowserArtifacts } from "../../export/exportArtifacts.js";
import { checkOutputFolder } from "../../io/atomicFile.js";
import { loadModelFile } from "../../node/loadModelFile.js";
import { UsageError, type Command } from "../command.js";
import { parseFlags } from "../flags.js";

const usage = `Usage: privads export [--model FILE.json] [--out DIR] [--with-onnxruntime-web] [--bundle FILE]
  --model FILE.json         trained model (default models/interaction_predictor.json)
  --out DIR                 where the browser files go (default privads-demo/public/models/)
  --with-onnxruntime-web    also copy onnxruntime-web's wasm runtime into DIR/ort/ (~14 MB)
  --bundle FILE             browser bundle to copy (default dist/browser/interaction_predictor.js)
Writes interaction_predictor.onnx, interaction_predictor.json, interaction_predictor.js and demo.html.`;

export const exportCommand: Command = {
  name: "export",
  summary: "write the ONNX model, browser bundle and demo page",
  usage,
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      model: { type: "string" },
      out: { type: "string" },
      "with-onnxruntime-web": { type: "boolean" },
      bundle: { type: "string" },
    });
    const modelPath = values.model ?? "models/interaction_predictor.json";
    if (!modelPath.toLowerCase().endsWith(".json")) throw new UsageError(`--model must be the .json model, got ${JSON.stringify(modelPath)}`);
    const outDir = values.out ?? "privads-demo/public/models/";
    try {
      await checkOutputFolder(outDir);
      const file = await loadModelFile(modelPath);
      if (file.kind !== "json") throw new Error(`${modelPath}: expected a .json model`);
      const { files } = await exportBrowserArtifacts(file.model, outDir, {
        includeOnnxRuntimeWeb: values["with-onnxruntime-web"] ?? false,
        bundlePath: values.bundle,
      });
      io.stdout(files.map((f) => `wrote ${f}\n`).join(""));
      return 0;
    } catch (error) {
      io.stderr(`privads export: ${(error as Error).message}\n`);
      return 1;
    }
  },
};
