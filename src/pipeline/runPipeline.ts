import type { InteractionModel } from "../core/interactionModel.js";
import type { WindowConfig } from "../core/windowConfig.js";
import { type WindowDataset, WindowDatasetBuilder } from "../dataset/windowDataset.js";
import { SyntheticGenerator } from "../generator/sessionGenerator.js";
import { writeModelFiles } from "./modelFiles.js";
import { trainInteractionModel, type TrainingResults } from "./trainInteractionModel.js";

export interface PipelineOptions {
  /** Labelled windows to simulate (DESIGN.md "samples"). */
  samples: number;
  seed: number;
  out: string;
  window: WindowConfig;
  onProgress?: (phase: string, done: number, total: number) => void;
}

export interface PipelineResult {
  model: InteractionModel;
  results: TrainingResults;
  dataset: WindowDataset;
  files: string[];
}

/**
 * Simulates sessions until exactly `samples` eligible windows exist (the last session's
 * later windows are dropped), then trains, evaluates and writes the model files.
 */
export function simulateWindows(samples: number, seed: number, window: WindowConfig, onProgress?: PipelineOptions["onProgress"]): {
  dataset: WindowDataset;
  events: number;
  generateMs: number;
  extractMs: number;
} {
  const generator = new SyntheticGenerator(seed);
  const builder = new WindowDatasetBuilder(window);
  let generateMs = 0;
  let extractMs = 0;
  let events = 0;
  let reported = 0;
  while (builder.size < samples) {
    let started = performance.now();
    const { session } = generator.next();
    generateMs += performance.now() - started;
    events += session.events.length;
    started = performance.now();
    builder.addSession(session, samples - builder.size);
    extractMs += performance.now() - started;
    if (onProgress && builder.size - reported >= samples / 50) {
      reported = builder.size;
      onProgress("simulate", builder.size, samples);
    }
  }
  onProgress?.("simulate", samples, samples);
  return { dataset: builder.build(), events, generateMs, extractMs };
}

export async function runPipeline(options: PipelineOptions): Promise<PipelineResult> {
  const started = performance.now();
  const simulated = simulateWindows(options.samples, options.seed, options.window, options.onProgress);
  const trained = trainInteractionModel(simulated.dataset, {
    seed: options.seed,
    window: options.window,
    onProgress: options.onProgress,
  });
  const tenths = (ms: number) => Math.round(ms * 10) / 10;
  const results: TrainingResults = {
    ...trained.results,
    n_events: simulated.events,
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    timings_ms: {
      generate: tenths(simulated.generateMs),
      extract: tenths(simulated.extractMs),
      ...trained.results.timings_ms,
      total_before_write: tenths(performance.now() - started),
    },
  };
  const paths = await writeModelFiles(options.out, trained.model, results);
  return { model: trained.model, results, dataset: simulated.dataset, files: [paths.model, paths.results] };
}
