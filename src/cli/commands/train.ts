import { DEFAULT_WINDOW_CONFIG } from "../../core/windowConfig.js";
import { readSessionsJsonl } from "../../io/sessionsJsonl.js";
import { readWindowsCsv } from "../../io/windowsCsv.js";
import { datasetFromSessions } from "../../pipeline/datasetFromSessions.js";
import { writeModelFiles } from "../../pipeline/modelFiles.js";
import { trainInteractionModel } from "../../pipeline/trainInteractionModel.js";
import type { Command } from "../command.js";
import { UsageError } from "../command.js";
import { parseFlags, seedFlag } from "../flags.js";
import { PhaseProgress } from "../progressBar.js";
import { summaryTable } from "../summaryTable.js";

export const trainCommand: Command = {
  name: "train",
  summary: "train and cross-validate from a windows CSV or raw sessions",
  usage: `Usage: privads train (--in FILE.csv | --events FILE.jsonl) [--out DIR] [--seed S] [--skip-invalid]

Trains the degree-2 logistic model with session-grouped 5-fold cross-validation and writes
interaction_predictor.json and training_results.json (atomically; nothing on error).

  --in FILE        labelled windows, as written by privads extract
  --events FILE    raw sessions (JSON Lines), e.g. recorded by the browser tracker
  --out DIR        output folder (default models/)
  --seed S         seed of the fold assignment (default 42)
  --skip-invalid   with --events: skip bad sessions instead of stopping
  -h, --help       this help`,
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      in: { type: "string" },
      events: { type: "string" },
      out: { type: "string" },
      seed: { type: "string" },
      "skip-invalid": { type: "boolean" },
    });
    if (values.help) {
      io.stdout(this.usage + "\n");
      return 0;
    }
    if ((values.in === undefined) === (values.events === undefined)) throw new UsageError("give exactly one of --in FILE.csv or --events FILE.jsonl");
    const seed = seedFlag(values.seed);
    const out = values.out ?? "models";
    const window = { ...DEFAULT_WINDOW_CONFIG };
    let skipped = 0;
    const data =
      values.in !== undefined
        ? await readWindowsCsv(values.in)
        : await datasetFromSessions(
            readSessionsJsonl(values.events as string, {
              skipInvalid: values["skip-invalid"],
              onSkip: (error) => {
                skipped++;
                io.stderr(`skipped: ${error.message}\n`);
              },
            }),
            window,
          );
    const positives = data.labels.reduce((a, b) => a + b, 0);
    if (data.n === 0 || positives === 0 || positives === data.n) {
      throw new Error(`cannot train: ${data.n} windows with ${positives} positive; both classes are needed`);
    }
    const progress = new PhaseProgress(io);
    let trained;
    try {
      trained = trainInteractionModel(data, { seed, window, onProgress: (p, d, t) => progress.update(p, d, t) });
    } finally {
      progress.stop();
    }
    const paths = await writeModelFiles(out, trained.model, trained.results);
    const r = trained.results;
    io.stdout(
      summaryTable("PrivAds train", [
        ["windows", r.n_samples.toLocaleString("en-US")],
        ["sessions", `${r.n_sessions.toLocaleString("en-US")}${skipped ? ` (${skipped} skipped)` : ""}`],
        ["positive rate", `${(r.positive_ratio * 100).toFixed(2)} %`],
        ["CV ROC AUC", `${r.cv_results.roc_auc_mean.toFixed(4)} ± ${r.cv_results.roc_auc_std.toFixed(4)}`],
        ["heuristic ROC AUC", r.heuristic.roc_auc.toFixed(4)],
        ["model", paths.model],
        ["results", paths.results],
      ]),
    );
    return 0;
  },
};
