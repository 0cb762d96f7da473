import type { StateSnapshot } from "../generator/sessionGenerator.js";
import { streamSeed } from "../core/randomStreams.js";
import { SeededRandom } from "../random/seededRandom.js";
import type { UserParameters } from "../generator/userParameters.js";
import { advancePrepared, PreparedUser } from "../generator/userProcess.js";
import type { UserState } from "../generator/userState.js";

/** Roll-outs per window by default (docs/evaluation.md: the oracle is a Monte-Carlo estimate). */
export const DEFAULT_ROLLOUTS = 200;

/** One window to score: the user's hidden parameters and the state snapshot at its end `t`. */
export interface OracleTask {
  params: UserParameters;
  snapshot: StateSnapshot;
  /** Distinct per window (e.g. its dataset row): names the window's random stream. */
  streamId: number;
}

/** The oracle's own seed, derived from the run seed (its streams never overlap the generator's). */
export function oracleSeed(runSeed: number): number {
  return streamSeed(runSeed, "oracle");
}

/**
 * Monte-Carlo estimate of `P(click_ad in (t, t + horizon] | params, state at t)`: rolls a copy
 * of the snapshot forward with the generator's own `advanceUser` `rollouts` times, drawing
 * every roll-out from `rng` in turn, and returns the share of roll-outs with a click_ad. Each
 * roll-out stops at `t + horizon` (a tick end, so a click at exactly `t + horizon` counts, as
 * in the label) or at close_tab. The snapshot is not modified. The standard error is
 * `sqrt(p (1 - p) / rollouts)`.
 */
export function estimateClickProbability(
  params: UserParameters,
  snapshot: StateSnapshot,
  rng: SeededRandom,
  rollouts: number,
  horizon: number,
): number {
  if (!Number.isInteger(rollouts) || rollouts < 1) throw new RangeError(`estimateClickProbability: rollouts must be a positive integer, got ${rollouts}`);
  if (!(horizon > 0)) throw new RangeError(`estimateClickProbability: horizon must be > 0, got ${horizon}`);
  const until = snapshot.t + horizon;
  const user = new PreparedUser(params);
  const clicksBefore = snapshot.state.adClicks;
  let hits = 0;
  for (let k = 0; k < rollouts; k++) {
    // UserState is flat (numbers and booleans only), so a spread is a full copy; it is
    // ~3x cheaper than structuredClone, which dominated the roll-out cost.
    const state: UserState = { ...snapshot.state };
    // Nothing is emitted: every click_ad counts in state.adClicks, so that tells a hit.
    advancePrepared(user, state, rng, until);
    if (state.adClicks > clicksBefore) hits++;
  }
  return hits / rollouts;
}

/**
 * Oracle probabilities of `tasks[from .. to)` into `out[from .. to)`. Task `i` uses the stream
 * `new SeededRandom(oracleSeed(runSeed)).fork(tasks[i].streamId)`, so each window's estimate is
 * a function of the run seed and its stream id alone: the same however the tasks are split
 * between threads.
 */
export function runOracleTasks(
  tasks: readonly OracleTask[],
  from: number,
  to: number,
  options: { runSeed: number; rollouts: number; horizon: number },
  out: Float64Array,
): void {
  const root = new SeededRandom(oracleSeed(options.runSeed));
  for (let i = from; i < to; i++) {
    const task = tasks[i];
    out[i] = estimateClickProbability(task.params, task.snapshot, root.fork(task.streamId), options.rollouts, options.horizon);
  }
}
