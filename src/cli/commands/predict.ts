import { InteractionPredictor } from "../../browser/interactionPredictor.js";
import { buildOnnxModel } from "../../export/onnxExporter.js";
import { AtomicFileWriter } from "../../io/atomicFile.js";
import { csvNumberProblem, parseCsvLine, parseCsvNumber } from "../../io/csvLine.js";
import { DataFileError } from "../../io/dataFileError.js";
import { readTextLines } from "../../io/readTextLines.js";
import { loadModelFile } from "../../node/loadModelFile.js";
import { UsageError, type Command } from "../command.js";
import { parseFlags, refuseOverwritingInput, requiredFlag } from "../flags.js";

export const PROBABILITY_COLUMN = "click_probability";
const CHUNK_ROWS = 4096;

const usage = `Usage: privads predict --model FILE(.json|.onnx) --in FILE.csv --out FILE.csv [--runtime builtin|onnxruntime-node]
  --model FILE      interaction_predictor.json or interaction_predictor.onnx
  --in FILE.csv     windows CSV with a header naming the model's features (its set: the 26 of
                    "ads" or the 20 of "seed"; other columns are copied through)
  --out FILE.csv    the input rows with a ${PROBABILITY_COLUMN} column appended (written atomically)
  --runtime NAME    builtin (default, float64) or onnxruntime-node (float32)`;

export const predictCommand: Command = {
  name: "predict",
  summary: "score every row of a windows CSV",
  usage,
  async run(argv, io) {
    const { values } = parseFlags(argv, { model: { type: "string" }, in: { type: "string" }, out: { type: "string" }, runtime: { type: "string" } });
    const modelPath = requiredFlag("model", values.model);
    const inPath = requiredFlag("in", values.in);
    const outPath = requiredFlag("out", values.out);
    const runtime = values.runtime ?? "builtin";
    if (runtime !== "builtin" && runtime !== "onnxruntime-node") throw new UsageError(`--runtime must be builtin or onnxruntime-node, got ${JSON.stringify(runtime)}`);
    refuseOverwritingInput(inPath, outPath);
    try {
      const file = await loadModelFile(modelPath);
      const model = file.kind === "onnx" ? file.bytes : runtime === "builtin" ? file.model : buildOnnxModel(file.model);
      const predictor = new InteractionPredictor({ model, runtime });
      try {
        await predictor.initialize();
      } catch (error) {
        throw new Error(`${modelPath}: ${(error as Error).message.replace(/^InteractionPredictor model bytes: /, "")}`, { cause: error });
      }
      try {
        const rows = await scoreCsv(predictor, inPath, outPath);
        io.stdout(`scored ${rows} rows -> ${outPath}\n`);
      } finally {
        predictor.dispose();
      }
      return 0;
    } catch (error) {
      // The same words as the CLI's handler (src/cli/main.ts) gives every other command.
      io.stderr(`privads predict: error: ${(error as Error).message}\n`);
      return 1;
    }
  },
};

/** Scores the CSV with the (initialised) predictor's model; its feature set decides the columns read. */
async function scoreCsv(predictor: InteractionPredictor, inPath: string, outPath: string): Promise<number> {
  const names = predictor.featureNames;
  const F = names.length;
  const out = await AtomicFileWriter.create(outPath);
  let columns: number[] | undefined;
  let width = 0;
  let total = 0;
  let pending: string[] = [];
  let values = new Float64Array(CHUNK_ROWS * F);
  const flush = async () => {
    if (pending.length === 0) return;
    const p = await predictor.predictBatch(values.subarray(0, pending.length * F));
    let text = "";
    for (let r = 0; r < pending.length; r++) text += `${pending[r]},${p[r]}\n`;
    await out.write(text);
    total += pending.length;
    pending = [];
    values = new Float64Array(CHUNK_ROWS * F);
  };
  try {
    for await (const { line: lineNumber, text: line } of readTextLines(inPath)) {
      let fields: string[];
      try {
        fields = parseCsvLine(line);
      } catch (error) {
        throw new DataFileError(inPath, lineNumber, "(line)", (error as Error).message);
      }
      if (columns === undefined) {
        const header = fields.map((f) => f.trim());
        const missing = names.filter((name) => !header.includes(name));
        if (missing.length > 0) {
          throw new DataFileError(inPath, lineNumber, "(header)", `missing feature column(s) ${missing.join(", ")} (the model uses the "${predictor.featureSet}" feature set)`);
        }
        if (header.includes(PROBABILITY_COLUMN)) throw new DataFileError(inPath, lineNumber, "(header)", `already has a ${PROBABILITY_COLUMN} column`);
        columns = names.map((name) => header.indexOf(name));
        width = header.length;
        await out.write(`${line},${PROBABILITY_COLUMN}\n`);
        continue;
      }
      if (fields.length !== width) throw new DataFileError(inPath, lineNumber, "(line)", `has ${fields.length} fields, the header has ${width}`);
      const base = pending.length * F;
      for (let i = 0; i < F; i++) {
        const value = parseCsvNumber(fields[columns[i]]);
        if (value === undefined) {
          throw new DataFileError(inPath, lineNumber, `${names[i]} (column ${columns[i] + 1})`, csvNumberProblem(fields[columns[i]]));
        }
        values[base + i] = value;
      }
      pending.push(line);
      if (pending.length === CHUNK_ROWS) await flush();
    }
    if (columns === undefined) throw new DataFileError(inPath, 1, "(header)", "the file is empty");
    await flush();
    await out.commit();
    return total;
  } catch (error) {
    await out.abort();
    throw error;
  }
}
