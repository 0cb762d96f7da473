import type { TrackerTimers } from "./trackerTimers.js";

/** Fallback delay when no frame comes (hidden tab: the browser pauses animation frames), ms. */
const HIDDEN_FALLBACK_MS = 100;
/** The stand-in frame where there are no animation frames (no DOM), ms. */
const NO_FRAME_MS = 16;

/**
 * Coalesces any number of `request()`s into one call of `run` at the next animation frame, so a
 * storm of events costs one run per frame instead of one per event, while a single event is
 * still reflected before the next paint. A timer races the frame (a hidden tab gets no frames),
 * and `flush()` runs a pending request at once (a reader that cannot wait). The race timer is
 * armed only when none is, and left running after a frame wins: a storm costs one timer per
 * 100 ms, not a set and a clear per frame (an early wake-up finds nothing pending, or runs one
 * request early).
 */
export class FrameScheduler {
  readonly #run: () => void;
  readonly #timers: TrackerTimers;
  #frame: unknown;
  #timer: unknown;
  #pending = false;

  constructor(run: () => void, timers: TrackerTimers) {
    this.#run = run;
    this.#timers = timers;
  }

  /** True while a run is requested and not yet done. */
  get pending(): boolean {
    return this.#pending;
  }

  /** Asks for one run soon; a no-op while one is pending. */
  request(): void {
    if (this.#pending) return;
    this.#pending = true;
    const timers = this.#timers;
    const frames = typeof timers.requestAnimationFrame === "function";
    if (frames) this.#frame = timers.requestAnimationFrame!(this.#fire);
    if (this.#timer === undefined) this.#timer = timers.setTimeout(this.#onTimer, frames ? HIDDEN_FALLBACK_MS : NO_FRAME_MS);
  }

  /** Runs the pending request now, if any. */
  flush(): void {
    if (this.#pending) this.#fire();
  }

  /** Drops the pending request (the caller has just done the work). */
  cancel(): void {
    if (!this.#pending) return;
    this.#pending = false;
    const frame = this.#frame;
    this.#frame = undefined;
    if (frame !== undefined) this.#timers.cancelAnimationFrame?.(frame);
  }

  /** Also clears the race timer: nothing may run after this (disposal). */
  stop(): void {
    this.cancel();
    const timer = this.#timer;
    this.#timer = undefined;
    if (timer !== undefined) this.#timers.clearTimeout(timer);
  }

  readonly #onTimer = (): void => {
    this.#timer = undefined;
    this.#fire();
  };

  readonly #fire = (): void => {
    if (!this.#pending) return;
    this.cancel();
    this.#run();
  };
}
