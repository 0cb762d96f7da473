import { DEFAULT_WINDOW_CONFIG } from "../../core/windowConfig.js";
import { checkOutputFolder } from "../../io/atomicFile.js";
import { readSessionsJsonl } from "../../io/sessionsJsonl.js";
import { SkippedRecords } from "../../io/skippedRecords.js";
import { readWindowsCsv } from "../../io/windowsCsv.js";
import { datasetFromSessions } from "../../pipeline/datasetFromSessions.js";
import { writeModelFiles } from "../../pipeline/modelFiles.js";
import { trainAndEvaluate } from "../../pipeline/trainAndEvaluate.js";
import { buildTrainingResults } from "../../results/trainingResults.js";
import { withTrainingBlock } from "../../results/withTrainingBlock.js";
import type { Command } from "../command.js";
import { UsageError } from "../command.js";
import { featureSetFlag, parseFlags, regularisationFlag, seedFlag } from "../flags.js";
import { PhaseProgress } from "../progressBar.js";
import { cLine, summaryTable } from "../summaryTable.js";

export const trainCommand: Command = {
  name: "train",
  summary: "train and cross-validate from a windows CSV or raw sessions",
  usage: `Usage: privads train (--in FILE.csv | --events FILE.jsonl [--features ads|seed]) [--out DIR] [--seed S] [--C VALUE] [--skip-invalid]

Holds out 20 % of the sessions, trains the degree-2 logistic model on the rest with
session-grouped 5-fold cross-validation, evaluates it on the held-out sessions and writes
interaction_predictor.json, training_results.json and report.html (atomically; nothing on error).
With the ads set the seed set's model is trained beside it for comparison.

  --in FILE        labelled windows, as written by privads extract (the header's columns
                   decide the feature set)
  --events FILE    raw sessions (JSON Lines), e.g. recorded by the browser tracker
  --features SET   with --events: ads (default; every session needs adSignals) or seed
                   (the 20 interaction features; for older logs without ad signals)
  --out DIR        output folder (default models/)
  --seed S         seed of the held-out split and fold assignment (default 42)
  --C VALUE        the products' inverse L2 strength (linear terms: max(C, 0.01)); default:
                   chosen by session-grouped 5-fold CV ROC AUC on 1e-5, 1e-4, ..., 10
                   (docs/model.md); --C 1 is the first model's uniform C = 1
  --skip-invalid   with --events: skip bad sessions instead of stopping
  -h, --help       this help`,
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      in: { type: "string" },
      events: { type: "string" },
      out: { type: "string" },
      seed: { type: "string" },
      tune: { type: "boolean" },
      C: { type: "string" },
      "skip-invalid": { type: "boolean" },
      features: { type: "string" },
    });
    if ((values.in === undefined) === (values.events === undefined)) throw new UsageError("give exactly one of --in FILE.csv or --events FILE.jsonl");
    if (values.in !== undefined && values.features !== undefined) throw new UsageError("--features goes with --events; a CSV's header decides its feature set");
    const featureSet = featureSetFlag(values.features);
    const seed = seedFlag(values.seed);
    const C = regularisationFlag(values.C, values.tune);
    const out = values.out ?? "models";
    await checkOutputFolder(out); // before reading and training: a bad --out fails first
    const window = { ...DEFAULT_WINDOW_CONFIG };
    const skipped = new SkippedRecords(io.stderr);
    const data =
      values.in !== undefined
        ? await readWindowsCsv(values.in)
        : await datasetFromSessions(
            readSessionsJsonl(values.events as string, { skipInvalid: values["skip-invalid"], onSkip: skipped.add, requireAdSignals: featureSet === "ads" }),
            window,
            featureSet,
          );
    if (skipped.count > 0) io.stderr(skipped.summary());
    const positives = data.labels.reduce((a, b) => a + b, 0);
    if (data.n === 0 || positives === 0 || positives === data.n) {
      throw new Error(`cannot train: ${data.n} windows with ${positives} positive; both classes are needed`);
    }
    const progress = new PhaseProgress(io);
    let trained;
    try {
      trained = trainAndEvaluate(data, { seed, window, C, onProgress: (p, d, t) => progress.update(p, d, t) });
    } finally {
      progress.stop();
    }
    const r = buildTrainingResults(trained.run, trained.comparison, trained.timingsMs);
    const paths = await writeModelFiles(out, withTrainingBlock(trained.model, r), r);
    io.stdout(
      summaryTable("PrivAds train", [
        ["features", `${r.config.features} (${r.config.model.terms} terms)`],
        ["windows", r.n_samples.toLocaleString("en-US")],
        ["sessions", `${r.n_sessions.toLocaleString("en-US")}${skipped.count ? ` (${skipped.count.toLocaleString("en-US")} skipped)` : ""}`],
        ["positive rate", `${(r.positive_ratio * 100).toFixed(2)} %`],
        ["CV ROC AUC", `${r.cv_results.roc_auc_mean.toFixed(4)} ± ${r.cv_results.roc_auc_std.toFixed(4)}`],
        ["C", cLine(r)],
        ["held-out ROC AUC", r.held_out.roc_auc.toFixed(4)],
        ...(r.seed_model ? [["seed model ROC AUC (held-out)", r.seed_model.held_out.roc_auc.toFixed(4)] as [string, string]] : []),
        ["held-out calibration ratio", r.held_out.calibration_ratio.toFixed(4)],
        ["heuristic ROC AUC (held-out)", r.heuristic.roc_auc.toFixed(4)],
        ["model", paths.model],
        ["results", paths.results],
        ["report", paths.report],
      ]),
    );
    return 0;
  },
};
