import type { AdSignal } from "./adSignal.js";
import { eventRuleError, signalViolation } from "./eventRules.js";
import { AD_FEATURE_NAMES } from "./featureNames.js";

/** Number of ad features (`AD_FEATURE_NAMES`, contract order, after the 20 interaction features). */
export const AD_FEATURE_COUNT = AD_FEATURE_NAMES.length;

/**
 * The on/off history of one step function inside the sliding window: the times at which it
 * switched on or off, newest last. Switches that no future window can reach are folded into
 * `onAtStart`, so memory is bounded by the switches of one window.
 */
class SwitchTrack {
  #times = new Float64Array(16);
  #ons = new Uint8Array(16);
  #head = 0;
  #size = 0;
  /** The state left behind by the evicted switches: the state at the window start. */
  #onAtStart = false;

  on = false;

  reset(): void {
    this.#head = 0;
    this.#size = 0;
    this.#onAtStart = false;
    this.on = false;
  }

  switchTo(on: boolean, t: number): void {
    if (on === this.on) return;
    this.on = on;
    if (this.#size === this.#times.length) this.#grow();
    const slot = (this.#head + this.#size) & (this.#times.length - 1);
    this.#times[slot] = t;
    this.#ons[slot] = on ? 1 : 0;
    this.#size++;
  }

  /** Drops switches at or before `cutoff`: no window `(cutoff, ...]` counts them. */
  evict(cutoff: number): void {
    const mask = this.#times.length - 1;
    while (this.#size > 0 && this.#times[this.#head] <= cutoff) {
      this.#onAtStart = this.#ons[this.#head] === 1;
      this.#head = (this.#head + 1) & mask;
      this.#size--;
    }
  }

  /** Time spent on during `[start, t]` (switches already evicted up to `start`). */
  onSeconds(start: number, t: number): number {
    const mask = this.#times.length - 1;
    let on = this.#onAtStart;
    let cursor = start;
    let total = 0;
    for (let k = 0; k < this.#size; k++) {
      const slot = (this.#head + k) & mask;
      const at = this.#times[slot];
      if (on) total += at - cursor;
      cursor = at;
      on = this.#ons[slot] === 1;
    }
    if (on) total += t - cursor;
    return total;
  }

  /** Switches to on inside the window (all retained ones: eviction keeps only `(t - W, t]`). */
  starts(): number {
    const mask = this.#times.length - 1;
    let n = 0;
    for (let k = 0; k < this.#size; k++) n += this.#ons[(this.#head + k) & mask];
    return n;
  }

  #grow(): void {
    const capacity = this.#times.length * 2;
    const mask = this.#times.length - 1;
    const times = new Float64Array(capacity);
    const ons = new Uint8Array(capacity);
    for (let k = 0; k < this.#size; k++) {
      const slot = (this.#head + k) & mask;
      times[k] = this.#times[slot];
      ons[k] = this.#ons[slot];
    }
    this.#times = times;
    this.#ons = ons;
    this.#head = 0;
  }
}

/**
 * The ad half of the extractor: push a session's ad signals in time order, ask for the six ad
 * features of the window `(t - windowSize, t]` at any `t` at or after the latest signal. A push
 * is O(1) amortised and memory is bounded by the switches of one window, as for the events;
 * the same code serves batch windows and the live browser. Formulas: docs/features.md.
 */
export class AdSignalWindow {
  readonly windowSize: number;

  readonly #view = new SwitchTrack();
  readonly #pointer = new SwitchTrack();
  #adsInView = 0;
  #pointerOnAd = 0;
  /** Time of the latest record that set ads_in_view from > 0 to 0; -Infinity when none. */
  #lastViewEnd = -Infinity;
  #lastTime = 0;

  constructor(windowSize: number) {
    this.windowSize = windowSize;
  }

  reset(): void {
    this.#view.reset();
    this.#pointer.reset();
    this.#adsInView = 0;
    this.#pointerOnAd = 0;
    this.#lastViewEnd = -Infinity;
    this.#lastTime = 0;
  }

  /**
   * Applies the next record; throws TypeError/RangeError naming the field when it breaks a
   * rule of src/core/eventRules.ts (type, value, time order).
   */
  push(signal: AdSignal): void {
    const broken = signalViolation(signal, this.#lastTime);
    if (broken !== undefined) throw eventRuleError(broken, "adSignal");
    const { type, t, value } = signal;
    if (type === "ads_in_view") {
      if (this.#adsInView > 0 && value === 0) this.#lastViewEnd = t;
      this.#adsInView = value;
      this.#view.switchTo(value > 0, t);
    } else {
      this.#pointerOnAd = value;
      this.#pointer.switchTo(value === 1, t);
    }
    this.#lastTime = t;
    this.#evict(t);
  }

  /** Writes the six ad features of the window ending at `t` into `out` from `offset`. */
  featuresAt(t: number, out: Float64Array, offset: number): void {
    if (t < this.#lastTime) throw new RangeError(`t (${t}) must not precede the latest ad signal (${this.#lastTime})`);
    this.#evict(t);
    const W = this.windowSize;
    const start = Math.max(0, t - W);
    const viewing = this.#adsInView > 0;
    out[offset] = this.#adsInView;
    out[offset + 1] = this.#view.onSeconds(start, t);
    out[offset + 2] = viewing ? 0 : this.#lastViewEnd > t - W ? t - this.#lastViewEnd : Math.min(W, t);
    out[offset + 3] = this.#view.starts();
    out[offset + 4] = this.#pointerOnAd;
    out[offset + 5] = this.#pointer.onSeconds(start, t);
  }

  #evict(t: number): void {
    const cutoff = t - this.windowSize;
    this.#view.evict(cutoff);
    this.#pointer.evict(cutoff);
  }
}
