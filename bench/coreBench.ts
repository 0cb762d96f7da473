// Throughput of the offline building blocks, at the pipeline's default size.
import { DEFAULT_FEATURE_SET } from "../src/core/featureNames.js";
import { termCount } from "../src/core/polynomialTerms.js";
import { SlidingWindowExtractor } from "../src/core/slidingWindowExtractor.js";
import type { Session } from "../src/core/session.js";
import { SyntheticGenerator } from "../src/generator/sessionGenerator.js";
import { Degree2Design } from "../src/training/degree2Design.js";
import { DOMAIN_QUANTILE, fitFeatureTransform } from "../src/training/featureTransform.js";
import { fitLogistic } from "../src/training/logisticRegression.js";
import { simulateWindows } from "../src/pipeline/simulateWindows.js";
import { DEFAULT_WINDOW_CONFIG } from "../src/core/windowConfig.js";

export interface Figure {
  name: string;
  value: number;
  unit: string;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export function runCoreBench(samples = 50_000, seed = 42): Figure[] {
  const figures: Figure[] = [];
  // Generator and batch extractor, interleaved as in the pipeline but timed apart.
  const runs = [0, 1, 2].map(() => simulateWindows(samples, seed, { ...DEFAULT_WINDOW_CONFIG }));
  const { dataset, events } = runs[0];
  const genMs = median(runs.map((r) => r.generateMs));
  const extractMs = median(runs.map((r) => r.extractMs));
  figures.push({ name: `generator (${dataset.sessionIds.length} sessions)`, value: Math.round(events / (genMs / 1000)), unit: "events/s" });
  figures.push({ name: `extractor batch (${dataset.n} windows)`, value: Math.round(dataset.n / (extractMs / 1000)), unit: "windows/s" });

  // Live mode (the default ads set): push every event of 2,000 sessions, with the ad signals
  // up to its time, and ask after each event.
  const generator = new SyntheticGenerator(seed);
  const sessions: Session[] = Array.from({ length: 2000 }, () => generator.next().session);
  const live = new SlidingWindowExtractor({}, DEFAULT_FEATURE_SET);
  const out = new Float64Array(live.featureCount);
  let pushed = 0;
  const started = performance.now();
  for (const s of sessions) {
    live.reset();
    const signals = s.adSignals ?? [];
    let next = 0;
    for (const e of s.events) {
      while (next < signals.length && signals[next].t <= e.t) live.pushAdSignal(signals[next++]);
      live.push(e);
      live.featuresAt(e.t, out);
      pushed++;
    }
  }
  figures.push({ name: "extractor live push+query", value: Math.round(((performance.now() - started) * 1000) / pushed * 100) / 100, unit: "us/event" });

  // Solver at `samples` windows, on the design training uses (terms computed on the fly).
  const F = dataset.features.length / dataset.n;
  const T = termCount(F);
  const transform = fitFeatureTransform(dataset.features, dataset.n, F, Int32Array.from({ length: dataset.n }, (_, i) => i), DOMAIN_QUANTILE);
  const design = new Degree2Design(dataset.features, dataset.n, transform);
  const solveTimes: number[] = [];
  let iterations = 0;
  for (let rep = 0; rep < 3; rep++) {
    const t0 = performance.now();
    const fit = fitLogistic(design, dataset.labels, { C: 1, tolerance: 1e-8 });
    solveTimes.push(performance.now() - t0);
    iterations = fit.iterations;
  }
  figures.push({ name: `solver at ${dataset.n} x ${T} (C = 1, cold, tol 1e-8)`, value: Math.round(median(solveTimes)), unit: "ms" });
  figures.push({ name: "solver iterations", value: iterations, unit: "" });
  return figures;
}
