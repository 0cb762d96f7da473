import { WAIT_INTERVAL, waitTimes } from "../core/waitRule.js";
import type { Teardown } from "./observerContext.js";

/**
 * Two times closer than this (seconds) count as the same instant when deciding whether a
 * `wait` falls strictly before an action (clock readings and `a + 5k` round differently).
 */
const SAME_INSTANT = 1e-6;

/** What the wait clock needs from the tracker. */
export interface WaitClockHost {
  /** Seconds since the session's time origin. */
  currentTime(): number;
  /** Runs `callback` (never throwing) after `ms`; returns its cancellation. */
  later(callback: () => void, ms: number): Teardown;
  /** Records a `wait` at `t`. */
  emitWait(t: number): void;
  /** True while waits must not be emitted on a timer: a pending action may still come earlier, or the session ended. */
  isHeld(): boolean;
}

/**
 * The derived `wait` actions (the shared rule, `waitTimes` in src/core/waitRule.ts): emitted as
 * time passes by one timer, and caught up before each action, so throttled background timers
 * lose nothing. Its anchor (the last action) outlives `stop()`; its timer does not.
 */
export class WaitClock {
  #anchor: number | undefined; // time of the last non-wait action
  #lastWait = 0; // time of the last wait after the anchor (or the anchor)
  #cancelTimer: Teardown | undefined;
  #running = false;

  readonly #host: WaitClockHost;

  constructor(host: WaitClockHost) {
    this.#host = host;
  }

  /** Runs the timer until the returned teardown. */
  start(): Teardown {
    this.#running = true;
    this.schedule();
    return () => {
      this.#running = false;
      this.#cancel();
    };
  }

  /** Forgets the last action (consent withdrawn): no waits until the next one. */
  reset(): void {
    this.#anchor = undefined;
    this.#lastWait = 0;
  }

  /** Emits the waits strictly before `before`. */
  catchUp(before: number): void {
    if (this.#anchor === undefined) return;
    for (const w of waitTimes(this.#anchor, before - SAME_INSTANT, this.#lastWait)) {
      this.#host.emitWait(w);
      this.#lastWait = w;
    }
  }

  /**
   * Emits the waits due by now while the clock runs and is not held: a reader of the window
   * (live prediction) then sees every wait the rule puts before now, however late the timer.
   */
  catchUpNow(): void {
    if (!this.#running || this.#host.isHeld()) return;
    this.catchUp(this.#host.currentTime());
  }

  /** An action happened at `t`: the next waits count from it. */
  anchorAt(t: number): void {
    this.#anchor = t;
    this.#lastWait = t;
  }

  /** Arms the timer for the next wait, unless it is armed already. */
  schedule(): void {
    // A pending wake-up is never late: actions only push the next wait further out, and an
    // early wake-up finds nothing to emit and re-arms. So an action costs no timer call.
    if (this.#cancelTimer !== undefined || !this.#running || this.#anchor === undefined) return;
    // Only a wake-up hint: the waits themselves come from waitTimes(). +1 ms lands the timer
    // after the wait time, so an action at exactly that instant still pre-empts the wait.
    const delay = Math.max(1, Math.ceil((this.#lastWait + WAIT_INTERVAL - this.#host.currentTime()) * 1000) + 1);
    this.#cancelTimer = this.#host.later(this.#onTimer, delay);
  }

  readonly #onTimer = (): void => {
    this.#cancelTimer = undefined;
    // A pending scroll gesture may become an action earlier than now; it re-arms the timer when it ends.
    if (this.#host.isHeld()) return;
    this.catchUp(this.#host.currentTime());
    this.schedule();
  };

  #cancel(): void {
    const cancel = this.#cancelTimer;
    this.#cancelTimer = undefined;
    cancel?.();
  }
}
