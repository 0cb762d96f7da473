import { DEFAULT_FEATURE_SET, type FeatureSetName } from "../core/featureNames.js";
import type { WindowConfig } from "../core/windowConfig.js";
import { type WindowDataset, WindowDatasetBuilder } from "../dataset/windowDataset.js";
import { isHeldOutSession } from "../evaluation/heldOutSplit.js";
import { type StateSnapshot, SyntheticGenerator } from "../generator/sessionGenerator.js";
import type { UserParameters } from "../generator/userParameters.js";
import { TICK_SECONDS } from "../generator/userProcess.js";

/** A held-out session's hidden parameters and its state at every window end, for the oracle. */
export interface SessionTruth {
  params: UserParameters;
  snapshots: StateSnapshot[];
}

export interface SimulatedWindows {
  dataset: WindowDataset;
  events: number;
  generateMs: number;
  extractMs: number;
  /** Dataset session index -> truth, for the held-out sessions (only with `truthFor`). */
  truth: Map<number, SessionTruth>;
}

/**
 * Simulates sessions of `new SyntheticGenerator(seed)` until exactly `samples` eligible windows
 * exist (the last session's later windows are dropped). Only the sessions that will be held
 * out (`truthFor(seed, index)`, index = the session's position in the dataset) pay for state
 * snapshots at every window end: taking a snapshot does not change the draws, so every session
 * is the same either way (tested). Windows carry `featureSet`'s features (the sessions are the same whatever the set).
 */
export function simulateWindows(
  samples: number,
  seed: number,
  window: WindowConfig,
  onProgress?: (phase: string, done: number, total: number) => void,
  truthFor?: (seed: number, sessionIndex: number) => boolean,
  featureSet: FeatureSetName = DEFAULT_FEATURE_SET,
): SimulatedWindows {
  const generator = new SyntheticGenerator(seed);
  const builder = new WindowDatasetBuilder(window, featureSet);
  const truth = new Map<number, SessionTruth>();
  const snapshotEvery = Number.isInteger(window.windowStep / TICK_SECONDS) ? window.windowStep : undefined;
  let generateMs = 0;
  let extractMs = 0;
  let events = 0;
  let reported = 0;
  let recorded = 0;
  while (builder.size < samples) {
    let started = performance.now();
    const wantTruth = truthFor !== undefined && snapshotEvery !== undefined && truthFor(seed, recorded);
    const generated = generator.next(wantTruth ? { snapshotEvery } : undefined);
    generateMs += performance.now() - started;
    events += generated.session.events.length;
    started = performance.now();
    const added = builder.addSession(generated.session, samples - builder.size);
    extractMs += performance.now() - started;
    if (added > 0) {
      if (wantTruth) truth.set(recorded, { params: generated.params, snapshots: generated.snapshots! });
      recorded++;
    }
    if (onProgress && builder.size - reported >= samples / 50) {
      reported = builder.size;
      onProgress("simulate", builder.size, samples);
    }
  }
  onProgress?.("simulate", samples, samples);
  return { dataset: builder.build(), events, generateMs, extractMs, truth };
}

/** Default truth selector of the pipeline: the held-out sessions. */
export const heldOutTruth = isHeldOutSession;
