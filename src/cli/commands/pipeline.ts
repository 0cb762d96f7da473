import { totalmem } from "node:os";
import { fileURLToPath } from "node:url";
import { READER_TRACES_DIR, readReaderTraces } from "../../io/readerTraceFiles.js";
import { DEFAULT_WINDOW_CONFIG } from "../../core/windowConfig.js";
import { DEFAULT_ORACLE_WINDOWS, runPipeline } from "../../pipeline/runPipeline.js";
import { DEFAULT_ROLLOUTS } from "../../evaluation/oracle.js";
import type { Command } from "../command.js";
import { UsageError } from "../command.js";
import { featureSetFlag, integerFlag, parseFlags, regularisationFlag, seedFlag } from "../flags.js";
import { PhaseProgress } from "../progressBar.js";
import { cLine, summaryTable } from "../summaryTable.js";
import { TooFewOfAClassError } from "../../training/tooFewOfAClass.js";

export const QUICK_SAMPLES = 5_000;
export const DEFAULT_SAMPLES = 50_000;
/** Browser files go to the demo app's public folder by default (docs/browser.md). */
export const DEFAULT_BROWSER_OUT = "privads-demo/public/models/";

/**
 * The fewest windows a run accepts: below it too few positive windows (about 1 in 40) reach
 * every cross-validation fold and the held-out split on many seeds (docs/robustness.md, "Limits:
 * input files and the CLI": measured failures per seed count).
 */
export const MIN_SAMPLES = 2_000;
/** The most windows a run accepts, whatever the memory (simulation alone takes about 1 s per 10,000). */
export const MAX_SAMPLES = 2_000_000;
/** Peak memory of a run, measured: about 6 KB per window above a 200 MB base (344 MB at 50,000). */
export const BYTES_PER_SAMPLE = 6 * 1024;
const BASE_BYTES = 200 * 1024 * 1024;

/** The largest `--samples` whose estimated peak memory stays within 3/4 of `totalMemory` bytes. */
export function maxSamplesFor(totalMemory: number): number {
  return Math.min(MAX_SAMPLES, Math.floor((totalMemory * 0.75 - BASE_BYTES) / BYTES_PER_SAMPLE));
}

/** `--samples N`: an integer from MIN_SAMPLES to MAX_SAMPLES that fits this machine's memory. */
export function samplesFlag(value: string | undefined, totalMemory = totalmem()): number {
  const samples = integerFlag("samples", value, DEFAULT_SAMPLES, MIN_SAMPLES, MAX_SAMPLES);
  const fits = maxSamplesFor(totalMemory);
  if (samples > fits) {
    const gb = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(1)} GB`;
    throw new UsageError(
      `--samples ${samples} needs about ${gb(BASE_BYTES + samples * BYTES_PER_SAMPLE)} of memory, more than 3/4 of this machine's ${gb(totalMemory)}; use at most ${Math.max(fits, 0).toLocaleString("en-US")}`,
    );
  }
  return samples;
}

/**
 * A run's error in the user's words when it comes from too few windows of a class somewhere (a
 * fold, the held-out split: a `TooFewOfAClassError`, worded for programmers by the step that
 * threw it); other errors as they are.
 */
export function explainTooFewWindows(error: unknown, samples: number, seed: number): unknown {
  if (!(error instanceof TooFewOfAClassError)) return error;
  const message = error.message;
  return new Error(
    `${samples.toLocaleString("en-US")} windows of seed ${seed} hold too few of one class to cross-validate and evaluate (${message}); run with more --samples or another --seed`,
    { cause: error },
  );
}

/** Oracle windows at --quick (a smaller sample keeps the smoke run fast). */
export const QUICK_ORACLE_WINDOWS = 300;

export const pipelineCommand: Command = {
  name: "pipeline",
  summary: "generate, extract, cross-validate, train and write the model files",
  usage: `Usage: privads pipeline [--quick] [--samples N] [--seed S] [--out DIR] [--browser-out DIR | --no-browser] [--C VALUE] [--features ads|seed] [--oracle-windows N] [--rollouts R]

Simulates users until N labelled windows exist, holds out 20 % of the sessions, trains the
degree-2 logistic model on the rest (session-grouped 5-fold CV, Platt calibration on the
out-of-fold margins), scores the held-out windows against the heuristic, a plain logistic
model, the seed set's model (with --features ads) and the simulator's oracle, and writes
interaction_predictor.json, training_results.json and report.html.

  --quick             ${QUICK_SAMPLES.toLocaleString("en-US")} samples and ${QUICK_ORACLE_WINDOWS} oracle windows (a fast smoke run)
  --samples N         labelled windows to simulate (default ${DEFAULT_SAMPLES.toLocaleString("en-US")}; ${MIN_SAMPLES.toLocaleString("en-US")} to ${MAX_SAMPLES.toLocaleString("en-US")}, within memory)
  --seed S            seed of all randomness, 0..4294967295 (default 42)
  --out DIR           model output folder (default models/)
  --browser-out DIR   browser artifacts: interaction_predictor.onnx, .js, demo.html
                      (default ${DEFAULT_BROWSER_OUT})
  --no-browser        skip the browser artifacts
  --C VALUE           the products' inverse L2 strength (linear terms: max(C, 0.01)); default:
                      chosen by session-grouped 5-fold CV ROC AUC on 1e-5, 1e-4, ..., 10
                      (docs/model.md); --C 1 is the first model's uniform C = 1
  --features SET      the shipped model's features: ads (default; 20 interaction + 6 ad
                      features) or seed (the 20 interaction features, the first model's)
  --oracle-windows N  held-out windows the oracle scores (default ${DEFAULT_ORACLE_WINDOWS.toLocaleString("en-US")}; 0 = none)
  --rollouts R        Monte-Carlo roll-outs per oracle window (default ${DEFAULT_ROLLOUTS}, at least 10)
  -h, --help          this help`,
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      quick: { type: "boolean" },
      samples: { type: "string" },
      seed: { type: "string" },
      out: { type: "string" },
      "browser-out": { type: "string" },
      "no-browser": { type: "boolean" },
      tune: { type: "boolean" },
      C: { type: "string" },
      "oracle-windows": { type: "string" },
      rollouts: { type: "string" },
      features: { type: "string" },
    });
    if (values.quick && values.samples !== undefined) throw new UsageError("--quick and --samples cannot be combined");
    const samples = values.quick ? QUICK_SAMPLES : samplesFlag(values.samples);
    const seed = seedFlag(values.seed);
    const C = regularisationFlag(values.C, values.tune);
    const featureSet = featureSetFlag(values.features);
    const out = values.out ?? "models";
    if (values["no-browser"] && values["browser-out"] !== undefined) throw new UsageError("--browser-out and --no-browser cannot be combined");
    const browserOut = values["no-browser"] ? null : (values["browser-out"] ?? DEFAULT_BROWSER_OUT);
    const oracleWindows = integerFlag("oracle-windows", values["oracle-windows"], values.quick ? QUICK_ORACLE_WINDOWS : DEFAULT_ORACLE_WINDOWS, 0);
    const rollouts = integerFlag("rollouts", values.rollouts, DEFAULT_ROLLOUTS, 10);
    const progress = new PhaseProgress(io);
    let result;
    try {
      result = await runPipeline({
        samples,
        seed,
        out,
        browserOut,
        window: { ...DEFAULT_WINDOW_CONFIG },
        C,
        featureSet,
        oracleWindows,
        rollouts,
        readerTraces: await readReaderTraces(fileURLToPath(READER_TRACES_DIR)),
        onProgress: (phase, done, total) => progress.update(phase, done, total),
      });
    } catch (error) {
      throw explainTooFewWindows(error, samples, seed);
    } finally {
      progress.stop();
    }
    const r = result.results;
    const cv = r.cv_results;
    const h = r.held_out;
    const o = r.oracle;
    io.stdout(
      summaryTable("PrivAds pipeline", [
        ["features", `${r.config.features} (${r.config.model.terms} terms)`],
        ["samples (windows)", r.n_samples.toLocaleString("en-US")],
        ["sessions", r.n_sessions.toLocaleString("en-US")],
        ["held-out sessions / windows", `${r.split.held_out.n_sessions.toLocaleString("en-US")} / ${h.n_samples.toLocaleString("en-US")}`],
        ["positive rate", `${(r.positive_ratio * 100).toFixed(2)} %`],
        ["C", cLine(r)],
        ["CV ROC AUC (5 folds)", `${cv.roc_auc_mean.toFixed(4)} ± ${cv.roc_auc_std.toFixed(4)}`],
        ["held-out ROC AUC", h.roc_auc.toFixed(4)],
        ["held-out PR AUC", h.pr_auc.toFixed(4)],
        ["held-out log loss / NE", `${h.log_loss.toFixed(4)} / ${h.normalized_entropy.toFixed(4)}`],
        ["held-out calibration ratio", h.calibration_ratio.toFixed(4)],
        ...(r.seed_model
          ? [["seed model ROC AUC (held-out)", `${r.seed_model.held_out.roc_auc.toFixed(4)} (ads - seed ${(h.roc_auc - r.seed_model.held_out.roc_auc).toFixed(4)})`] as [string, string]]
          : []),
        ["heuristic ROC AUC (held-out)", r.heuristic.roc_auc.toFixed(4)],
        [
          "oracle ROC AUC",
          o ? `${o.roc_auc.toFixed(4)} on ${o.n_samples.toLocaleString("en-US")} held-out windows (${o.rollouts} roll-outs each)` : "not run",
        ],
        ["model / oracle AUC", o ? `${o.model_to_oracle.toFixed(3)} (model ${o.model_roc_auc.toFixed(4)} on the same windows)` : "–"],
        ["time", `${(r.timings_ms.total_before_write / 1000).toFixed(2)} s`],
        ["model", result.files[0]],
        ["results", result.files[1]],
        ["report", result.files[2]],
        ["browser files", browserOut ? `${result.files.length - 3} in ${browserOut}` : "not exported (--no-browser)"],
      ]),
    );
    return 0;
  },
};
