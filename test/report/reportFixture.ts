import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_WINDOW_CONFIG } from "../../src/core/windowConfig.js";
import { runPipeline } from "../../src/pipeline/runPipeline.js";

/** A small full pipeline run (with oracle and tuning) into a fresh folder; returns its paths. */
export async function smallRun(seed = 8): Promise<{ dir: string; report: string; results: string }> {
  const dir = mkdtempSync(join(tmpdir(), "privads-report-"));
  const run = await runPipeline({ samples: 4000, seed, out: dir, window: { ...DEFAULT_WINDOW_CONFIG }, oracleWindows: 300, rollouts: 60, tune: true });
  return { dir, report: run.files[2], results: run.files[1] };
}
