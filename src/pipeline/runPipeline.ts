import { DEFAULT_FEATURE_SET, type FeatureSetName } from "../core/featureNames.js";
import type { InteractionModel } from "../core/interactionModel.js";
import { streamSeed } from "../core/randomStreams.js";
import type { WindowConfig } from "../core/windowConfig.js";
import type { WindowDataset } from "../dataset/windowDataset.js";
import { compareOnWindows } from "../evaluation/compareOnWindows.js";
import { splitHeldOut } from "../evaluation/heldOutSplit.js";
import { DEFAULT_ROLLOUTS, type OracleTask, oracleSeed } from "../evaluation/oracle.js";
import { compareWithOracle } from "../evaluation/oracleComparison.js";
import { startOracle } from "../evaluation/oracleRunner.js";
import { readerClampShares, type ReaderTrace } from "../evaluation/readerTraces.js";
import type { FeatureDomain } from "../core/featureDomain.js";
import { samplePositions } from "../evaluation/oracleSample.js";
import { browserArtifactSet, type ExportOptions } from "../export/exportArtifacts.js";
import { checkOutputFolder } from "../io/atomicFile.js";
import { writeOutputSet } from "../io/atomicFileSet.js";
import { buildTrainingResults, type PipelineRun, type TrainingResults } from "../results/trainingResults.js";
import { withTrainingBlock } from "../results/withTrainingBlock.js";
import { modelFileSet, stampRun } from "./modelFiles.js";
import { heldOutTruth, type SessionTruth, simulateWindows } from "./simulateWindows.js";
import { trainAndEvaluate } from "./trainAndEvaluate.js";

/** Held-out windows the oracle scores by default (docs/evaluation.md: at least 2,000). */
export const DEFAULT_ORACLE_WINDOWS = 2000;

export interface PipelineOptions {
  /** Labelled windows to simulate ("samples" on the command line). */
  samples: number;
  seed: number;
  out: string;
  /** Where the browser artifacts go (ONNX, bundle, demo page); null: not exported. */
  browserOut?: string | null;
  window: WindowConfig;
  /** The shipped model's feature set (default `ads`; beside it the `seed` model is fitted for comparison). */
  featureSet?: FeatureSetName;
  /** A fixed C; default: chosen by grouped CV on the regularisation path (see REGULARISATION_PATH). */
  C?: number;
  /** The scripted readers' traces (docs/readers.md): the report shows how often the model's domain clamps them. */
  readerTraces?: readonly ReaderTrace[];
  /** Held-out windows scored by the oracle (a seeded sample; default 2,000; 0 = no oracle). */
  oracleWindows?: number;
  /** Monte-Carlo roll-outs per oracle window (default 200). */
  rollouts?: number;
  /** How the browser artifacts are exported (e.g. another bundle). */
  exportOptions?: ExportOptions;
  onProgress?: (phase: string, done: number, total: number) => void;
}

export interface PipelineResult {
  model: InteractionModel;
  results: TrainingResults;
  dataset: WindowDataset;
  /** Model, results and report paths, then the browser artifacts. */
  files: string[];
}

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

/**
 * The whole offline run: simulate, split off 20 % of the sessions, start the oracle on a
 * sample of the held-out windows (a worker thread on the second core, while this thread
 * trains), train and cross-validate on the other 80 %, evaluate on the held-out windows,
 * compare with the oracle, and write model, results, report and the browser artifacts as one
 * set: every output location is checked before the work starts, and the files of both
 * folders change together or not at all (docs/robustness.md, "Limits: output sets").
 */
export async function runPipeline(options: PipelineOptions): Promise<PipelineResult> {
  await checkOutputFolder(options.out);
  if (options.browserOut) await checkOutputFolder(options.browserOut);
  const started = performance.now();
  const rollouts = options.rollouts ?? DEFAULT_ROLLOUTS;
  const maxOracle = options.oracleWindows ?? DEFAULT_ORACLE_WINDOWS;
  const simulated = simulateWindows(
    options.samples,
    options.seed,
    options.window,
    options.onProgress,
    maxOracle > 0 ? heldOutTruth : undefined,
    options.featureSet ?? DEFAULT_FEATURE_SET,
  );
  const { dataset } = simulated;

  let stageStarted = performance.now();
  // One split for the oracle (started now) and the training: its positions index the same rows.
  const split = splitHeldOut(dataset.sessionIndex, options.seed);
  const heldRows = split.test;
  const oracleOn = maxOracle > 0 && simulated.truth.size > 0;
  const positions = oracleOn ? samplePositions(heldRows.length, maxOracle, streamSeed(options.seed, "oracleSample")) : new Int32Array(0);
  const job = oracleOn
    ? startOracle(oracleTasks(dataset, heldRows, positions, simulated.truth, options.window.windowStep), {
        runSeed: options.seed,
        rollouts,
        horizon: options.window.horizon,
      })
    : undefined;
  const oracleSetupMs = performance.now() - stageStarted;

  const trained = trainAndEvaluate(dataset, { seed: options.seed, split, window: options.window, C: options.C, onProgress: options.onProgress });

  stageStarted = performance.now();
  let oracle: PipelineRun["oracle"] = null;
  let comparison = trained.comparison;
  if (job !== undefined) {
    options.onProgress?.("oracle", 0, 1);
    const raw = await job.result();
    options.onProgress?.("oracle", 1, 1);
    // Add-half smoothing keeps 0 / rollouts out of the log loss; ranks (AUC) are unchanged.
    const smoothed = raw.map((p) => (p * rollouts + 0.5) / (rollouts + 1));
    comparison = compareOnWindows(trained.heldOut, positions, smoothed);
    const result = compareWithOracle(trained.heldOut, positions, raw, smoothed, {
      rollouts,
      bootstrapSeed: streamSeed(options.seed, "bootstrap"),
      sessionOf: (row) => dataset.sessionIndex[row],
      profileOf: (row) => dataset.sessionProfiles[dataset.sessionIndex[row]],
    });
    oracle = { seed: oracleSeed(options.seed), result };
  }
  const oracleWaitMs = performance.now() - stageStarted;

  const timingsMs = {
    generate: simulated.generateMs,
    extract: simulated.extractMs,
    oracle_setup: oracleSetupMs,
    ...trained.timingsMs,
    oracle_wait: oracleWaitMs,
    total_before_write: performance.now() - started,
  };
  const results = buildTrainingResults(trained.run, comparison, timingsMs, {
    nEvents: simulated.events,
    oracleConfig: { rollouts, maxWindows: maxOracle },
    oracle,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    readerClamps: trained.model.domain === undefined || options.readerTraces === undefined ? null : readerClamps(trained.model.domain, options.readerTraces),
  });
  const run = stampRun(withTrainingBlock(trained.model, results), results);
  const folders = [await modelFileSet(options.out, run)];
  if (options.browserOut) folders.push((await browserArtifactSet(run.model, options.browserOut, options.exportOptions)).folder);
  const files = await writeOutputSet(folders, { runId: run.runId, seed: options.seed });
  return { model: run.model, results: run.results, dataset, files };
}

/** Per reader and pooled: the share of readings the domain clamps (see readerClampShares). */
function readerClamps(domain: FeatureDomain, traces: readonly ReaderTrace[]): NonNullable<PipelineRun["readerClamps"]> {
  const pooled = readerClampShares(domain, traces);
  return {
    readings: pooled.readings,
    anyOutside: pooled.anyOutside,
    perReader: Object.fromEntries(traces.map((t) => [t.reader, readerClampShares(domain, [t]).anyOutside])),
  };
}
