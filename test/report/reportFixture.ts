import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_WINDOW_CONFIG } from "../../src/core/windowConfig.js";
import { runPipeline } from "../../src/pipeline/runPipeline.js";

/** Run sizes a caller may change (the README's picture uses the defaults' 50,000 windows). */
export interface RunSize {
  samples: number;
  oracleWindows: number;
  rollouts: number;
  tune: boolean;
}

/** A small full pipeline run (with oracle and tuning) into a fresh folder; returns its paths. */
export async function smallRun(seed = 8, size: RunSize = { samples: 4000, oracleWindows: 300, rollouts: 60, tune: true }): Promise<{ dir: string; report: string; results: string }> {
  const dir = mkdtempSync(join(tmpdir(), "privads-report-"));
  const run = await runPipeline({ ...size, seed, out: dir, window: { ...DEFAULT_WINDOW_CONFIG } });
  return { dir, report: run.files[2], results: run.files[1] };
}
