import type { InteractionModel } from "../core/interactionModel.js";
import type { WindowConfig } from "../core/windowConfig.js";
import type { WindowDataset } from "../dataset/windowDataset.js";
import { bootstrapAucRatio } from "../evaluation/bootstrapRatio.js";
import { splitHeldOut } from "../evaluation/heldOutSplit.js";
import { DEFAULT_ROLLOUTS, type OracleTask, oracleSeed } from "../evaluation/oracle.js";
import { startOracle } from "../evaluation/oracleRunner.js";
import { samplePositions } from "../evaluation/oracleSample.js";
import { round } from "../evaluation/metricRow.js";
import { rocAuc } from "../training/classificationMetrics.js";
import { exportBrowserArtifacts } from "../export/exportArtifacts.js";
import { writeModelFiles } from "./modelFiles.js";
import { heldOutTruth, type SessionTruth, simulateWindows } from "./simulateWindows.js";
import { compareOnWindows, type HeldOutPredictions, type OracleResults, trainInteractionModel, type TrainingResults } from "./trainInteractionModel.js";


/** Held-out windows the oracle scores by default (DESIGN.md asks for at least 2,000). */
export const DEFAULT_ORACLE_WINDOWS = 2000;

export interface PipelineOptions {
  /** Labelled windows to simulate (DESIGN.md "samples"). */
  samples: number;
  seed: number;
  out: string;
  /** Where the browser artifacts go (ONNX, bundle, demo page); null: not exported. */
  browserOut?: string | null;
  window: WindowConfig;
  /** Pick C by grouped CV (see TUNING_GRID); default C = 1. */
  tune?: boolean;
  /** Held-out windows scored by the oracle (a seeded sample; default 2,000; 0 = no oracle). */
  oracleWindows?: number;
  /** Monte-Carlo roll-outs per oracle window (default 200). */
  rollouts?: number;
  onProgress?: (phase: string, done: number, total: number) => void;
}

export interface PipelineResult {
  model: InteractionModel;
  results: TrainingResults;
  dataset: WindowDataset;
  /** Model, results and report paths, then the browser artifacts. */
  files: string[];
}

const SAMPLE_STREAM = 0x73616d70; // "samp"
const BOOTSTRAP_STREAM = 0x626f6f74; // "boot"

function oracleTasks(dataset: WindowDataset, heldRows: Int32Array, positions: Int32Array, truth: Map<number, SessionTruth>, step: number): OracleTask[] {
  return Array.from(positions, (p) => {
    const r = heldRows[p];
    const s = dataset.sessionIndex[r];
    const t = dataset.t[r];
    const known = truth.get(s);
    const snapshot = known?.snapshots[Math.round(t / step) - 1];
    if (known === undefined || snapshot === undefined || snapshot.t !== t) {
      throw new Error(`internal: no state snapshot for session ${dataset.sessionIds[s]} at t = ${t}`);
    }
    return { params: known.params, snapshot, streamId: r };
  });
}

/** The oracle block of the results: its AUC next to the model's on the same windows. */
function oracleResults(
  dataset: WindowDataset,
  heldOut: HeldOutPredictions,
  positions: Int32Array,
  raw: Float64Array,
  smoothed: Float64Array,
  seed: number,
  rollouts: number,
): OracleResults {
  const y = Uint8Array.from(positions, (p) => heldOut.labels[p]);
  const model = Float64Array.from(positions, (p) => heldOut.model[p]);
  const groups = Int32Array.from(positions, (p) => dataset.sessionIndex[heldOut.rows[p]]);
  const oracleAuc = rocAuc(smoothed, y);
  const modelAuc = rocAuc(model, y);
  let se = 0;
  for (const p of raw) se += Math.sqrt((p * (1 - p)) / rollouts);
  const perProfile: OracleResults["per_profile"] = {};
  const profiles = Array.from(positions, (p) => dataset.sessionProfiles[dataset.sessionIndex[heldOut.rows[p]]]);
  for (const profile of [...new Set(profiles)].filter((p) => p !== undefined).sort()) {
    const idx = profiles.flatMap((p, i) => (p === profile ? [i] : []));
    const py = Uint8Array.from(idx, (i) => y[i]);
    const positives = py.reduce((a, b) => a + b, 0);
    const both = positives > 0 && positives < idx.length;
    perProfile[profile] = {
      n_samples: idx.length,
      oracle_roc_auc: both ? round(rocAuc(Float64Array.from(idx, (i) => smoothed[i]), py)) : null,
      model_roc_auc: both ? round(rocAuc(Float64Array.from(idx, (i) => model[i]), py)) : null,
    };
  }
  const ci = bootstrapAucRatio(model, smoothed, y, groups, { seed: (seed ^ BOOTSTRAP_STREAM) >>> 0 });
  return {
    rollouts,
    n_samples: positions.length,
    n_positive: y.reduce((a, b) => a + b, 0),
    seed: oracleSeed(seed),
    mean_standard_error: round(se / raw.length),
    roc_auc: round(oracleAuc),
    model_roc_auc: round(modelAuc),
    model_to_oracle: round(modelAuc / oracleAuc),
    model_to_oracle_ci95: [round(ci[0]), round(ci[1])],
    per_profile: perProfile,
  };
}

/**
 * The whole offline run: simulate, split off 20 % of the sessions, start the oracle on a
 * sample of the held-out windows (a worker thread on the second core, while this thread
 * trains), train and cross-validate on the other 80 %, evaluate on the held-out windows,
 * compare with the oracle, and write model, results and report.
 */
export async function runPipeline(options: PipelineOptions): Promise<PipelineResult> {
  const started = performance.now();
  const rollouts = options.rollouts ?? DEFAULT_ROLLOUTS;
  const maxOracle = options.oracleWindows ?? DEFAULT_ORACLE_WINDOWS;
  const simulated = simulateWindows(options.samples, options.seed, options.window, options.onProgress, maxOracle > 0 ? heldOutTruth : undefined);
  const { dataset } = simulated;

  let oracleStarted = performance.now();
  // One split for the oracle (started now) and the training: its positions index the same rows.
  const split = splitHeldOut(dataset.sessionIndex, options.seed);
  const heldRows = split.test;
  const oracleOn = maxOracle > 0 && simulated.truth.size > 0;
  const positions = oracleOn ? samplePositions(heldRows.length, maxOracle, (options.seed ^ SAMPLE_STREAM) >>> 0) : new Int32Array(0);
  const job = oracleOn
    ? startOracle(oracleTasks(dataset, heldRows, positions, simulated.truth, options.window.windowStep), {
        runSeed: options.seed,
        rollouts,
        horizon: options.window.horizon,
      })
    : undefined;
  const oracleSetupMs = performance.now() - oracleStarted;

  const trained = trainInteractionModel(dataset, {
    seed: options.seed,
    split,
    window: options.window,
    tune: options.tune,
    onProgress: options.onProgress,
  });
  const results: TrainingResults = trained.results;
  results.config.oracle = { rollouts, max_windows: maxOracle };

  oracleStarted = performance.now();
  if (job !== undefined) {
    options.onProgress?.("oracle", 0, 1);
    const raw = await job.result();
    options.onProgress?.("oracle", 1, 1);
    // Add-half smoothing keeps 0 / rollouts out of the log loss; ranks (AUC) are unchanged.
    const smoothed = raw.map((p) => (p * rollouts + 0.5) / (rollouts + 1));
    results.comparison = compareOnWindows(trained.heldOut, positions, smoothed);
    results.oracle = oracleResults(dataset, trained.heldOut, positions, raw, smoothed, options.seed, rollouts);
  }
  const oracleWaitMs = performance.now() - oracleStarted;

  const tenths = (ms: number) => Math.round(ms * 10) / 10;
  results.n_events = simulated.events;
  const paths = await writeModelFiles(options.out, trained.model, results, (ms) => {
    results.timings_ms = {
      generate: tenths(simulated.generateMs),
      extract: tenths(simulated.extractMs),
      oracle_setup: tenths(oracleSetupMs),
      ...trained.results.timings_ms,
      oracle_wait: tenths(oracleWaitMs),
      report: tenths(ms),
      total_before_write: tenths(performance.now() - started),
    };
    results.peak_rss_mb = Math.round(process.resourceUsage().maxRSS / 1024);
  });
  const browser = options.browserOut ? await exportBrowserArtifacts(trained.model, options.browserOut) : { files: [] };
  return { model: trained.model, results, dataset, files: [paths.model, paths.results, paths.report, ...browser.files] };
}
