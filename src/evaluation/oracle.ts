import type { StateSnapshot } from "../generator/sessionGenerator.js";
import { streamSeed } from "../core/randomStreams.js";
import { SeededRandom } from "../random/seededRandom.js";
import type { UserParameters } from "../generator/userParameters.js";
import { actionTick, advancePrepared, beginTick, endQuietTick, fires, hazards, PreparedUser, TICK_SECONDS } from "../generator/userProcess.js";
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
 * `sqrt(p (1 - p) / rollouts)`. The roll-outs share their quiet start (QuietPath), which
 * changes no draw (docs/evaluation.md, "The oracle").
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
  const path = new QuietPath(user, snapshot.state, until);
  const clicksBefore = snapshot.state.adClicks;
  let hits = 0;
  for (let k = 0; k < rollouts; k++) {
    // Walk the shared quiet start (one draw a tick, as advanceUser draws) up to this roll-out's
    // first action, then continue from a copy of the state there with the process itself.
    for (let j = 0; j < path.length || path.extend(); j++) {
      if (!fires(rng.uniform(), path.totals[j])) continue;
      // UserState is flat (numbers and booleans only), so a spread is a full copy.
      const state: UserState = { ...path.states[j] };
      actionTick(user, state, rng, hazards(user, state, state.t), undefined, undefined);
      // Nothing is emitted: every click_ad counts in state.adClicks, so that tells a hit.
      advancePrepared(user, state, rng, until);
      if (state.adClicks > clicksBefore) hits++;
      break;
    }
  }
  return hits / rollouts;
}

/**
 * The ticks every roll-out of a window shares: until its first action, a roll-out's ticks are
 * quiet, and a quiet tick's state and hazards depend on nothing drawn (decay, time, timed ad
 * signals), only on the snapshot. Tick `j` of the path is the state at its start (after the
 * decay, before the draw) and its hazard sum; a roll-out draws one uniform per tick against
 * these sums, exactly as `advanceUser` would, and only runs the process itself from its first
 * action on. Built lazily, one tick at a time, as far as some roll-out gets.
 */
class QuietPath {
  readonly states: UserState[] = [];
  readonly totals: number[] = [];
  readonly #user: PreparedUser;
  /** The state at the end of the path so far. */
  readonly #cursor: UserState;
  readonly #limit: number;
  /** No tick beyond the path: the horizon or the tab's forced close (which draws nothing) is reached. */
  #ended = false;

  constructor(user: PreparedUser, start: UserState, until: number) {
    this.#user = user;
    this.#cursor = { ...start };
    this.#limit = Math.min(until, user.maxSessionSeconds);
  }

  get length(): number {
    return this.totals.length;
  }

  /** Adds the next quiet tick; false when there is none (`advanceUser` would stop there). */
  extend(): boolean {
    const state = this.#cursor;
    if (this.#ended || state.closed || state.t + TICK_SECONDS > this.#limit || beginTick(this.#user, state)) {
      this.#ended = true;
      return false;
    }
    this.totals.push(hazards(this.#user, state, state.t));
    this.states.push({ ...state });
    endQuietTick(state, state.t + TICK_SECONDS, undefined);
    return true;
  }
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
