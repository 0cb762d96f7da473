import { DEFAULT_WINDOW_CONFIG } from "../../core/windowConfig.js";
import { runPipeline } from "../../pipeline/runPipeline.js";
import type { Command } from "../command.js";
import { UsageError } from "../command.js";
import { integerFlag, parseFlags, seedFlag } from "../flags.js";
import { PhaseProgress } from "../progressBar.js";
import { summaryTable } from "../summaryTable.js";

export const QUICK_SAMPLES = 5_000;
export const DEFAULT_SAMPLES = 50_000;

export const pipelineCommand: Command = {
  name: "pipeline",
  summary: "generate, extract, cross-validate, train and write the model files",
  usage: `Usage: privads pipeline [--quick] [--samples N] [--seed S] [--out DIR]

Simulates users until N labelled windows exist, trains the degree-2 logistic model with
session-grouped 5-fold cross-validation, and writes interaction_predictor.json and
training_results.json.

  --quick          ${QUICK_SAMPLES.toLocaleString("en-US")} samples (a fast smoke run)
  --samples N      labelled windows to simulate (default ${DEFAULT_SAMPLES.toLocaleString("en-US")}, at least 100)
  --seed S         seed of all randomness, 0..4294967295 (default 42)
  --out DIR        model output folder (default models/)
  -h, --help       this help`,
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      quick: { type: "boolean" },
      samples: { type: "string" },
      seed: { type: "string" },
      out: { type: "string" },
    });
    if (values.help) {
      io.stdout(this.usage + "\n");
      return 0;
    }
    if (values.quick && values.samples !== undefined) throw new UsageError("--quick and --samples cannot be combined");
    const samples = values.quick ? QUICK_SAMPLES : integerFlag("samples", values.samples, DEFAULT_SAMPLES, 100);
    const seed = seedFlag(values.seed);
    const out = values.out ?? "models";
    const progress = new PhaseProgress(io);
    let result;
    try {
      result = await runPipeline({
        samples,
        seed,
        out,
        window: { ...DEFAULT_WINDOW_CONFIG },
        onProgress: (phase, done, total) => progress.update(phase, done, total),
      });
    } finally {
      progress.stop();
    }
    const r = result.results;
    const cv = r.cv_results;
    io.stdout(
      summaryTable("PrivAds pipeline", [
        ["samples (windows)", r.n_samples.toLocaleString("en-US")],
        ["sessions", r.n_sessions.toLocaleString("en-US")],
        ["positive rate", `${(r.positive_ratio * 100).toFixed(2)} %`],
        ["CV ROC AUC (5 folds)", `${cv.roc_auc_mean.toFixed(4)} ± ${cv.roc_auc_std.toFixed(4)}`],
        ["CV PR AUC", cv.pr_auc_mean.toFixed(4)],
        ["heuristic ROC AUC", r.heuristic.roc_auc.toFixed(4)],
        ["OOF log loss / NE", `${cv.out_of_fold.log_loss.toFixed(4)} / ${cv.out_of_fold.normalized_entropy.toFixed(4)}`],
        ["calibration ratio", cv.out_of_fold.calibration_ratio.toFixed(4)],
        ["time", `${(r.timings_ms.total_before_write / 1000).toFixed(2)} s`],
        ["model", result.files[0]],
        ["results", result.files[1]],
      ]),
    );
    return 0;
  },
};
