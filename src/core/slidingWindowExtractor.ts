import { ACTION_INDEX, ACTION_TYPES, type ActionType } from "./actionTypes.js";
import { type AdSignal, isAdSignalType } from "./adSignal.js";
import { AdSignalWindow } from "./adSignalWindow.js";
import { CarriedState } from "./carriedState.js";
import { eventRuleError, eventViolation } from "./eventRules.js";
import { FEATURE_COUNT, FEATURE_SETS, type FeatureSetName, type FeatureVector, toFeatureVector } from "./featureNames.js";
import type { InteractionEvent } from "./interactionEvent.js";
import { resolveWindowConfig, type WindowConfig } from "./windowConfig.js";

/** Width of an engagement_rhythm bin, seconds (docs/features.md, feature 19). */
export const RHYTHM_BIN_SECONDS = 10;

/**
 * Smallest span, seconds, that interaction_density and scroll_velocity ever divide by (the span
 * is also at least the first offline window end, `min(windowStep, windowSize)`: docs/features.md,
 * "Live windows").
 */
export const MIN_RATE_SPAN = 1;

/**
 * The engagement_rhythm bin holding time `x`: bin `m` is `(10(m-1), 10m]` on the session's
 * clock. Settled with the definition's own comparisons (`x / 10` rounds).
 */
function rhythmBin(x: number): number {
  let m = Math.ceil(x / RHYTHM_BIN_SECONDS);
  if (RHYTHM_BIN_SECONDS * (m - 1) >= x) m--;
  else if (RHYTHM_BIN_SECONDS * m < x) m++;
  return m;
}

const TYPE_COUNT = ACTION_TYPES.length;
const LOG2_TYPES = Math.log2(TYPE_COUNT);
const FOCUS = ACTION_INDEX.focus_window;
const BLUR = ACTION_INDEX.blur_window;

// Feature positions, contract order (FEATURE_NAMES).
const F_TIME_SINCE_LAST = 0;
const F_AVG_GAP = 1;
const F_DURATION = 2;
const F_MAX_IDLE = 3;
const F_COUNTS = 4; // 4..11: scroll_down, scroll_up, click, hover, wait, blur, focus, click_ad
const F_DEPTH_MAX = 12;
const F_FOCUSED = 13;
const F_DENSITY = 14;
const F_ATTENTION = 15;
const F_ENTROPY = 16;
const F_BURSTINESS = 17;
const F_RHYTHM = 18;
const F_VELOCITY = 19;

/** Which count feature each action type feeds (-1: none, i.e. close_tab). */
const COUNT_SLOT: Readonly<Record<ActionType, number>> = {
  scroll_down: F_COUNTS,
  scroll_up: F_COUNTS + 1,
  click: F_COUNTS + 2,
  hover: F_COUNTS + 3,
  wait: F_COUNTS + 4,
  blur_window: F_COUNTS + 5,
  focus_window: F_COUNTS + 6,
  click_ad: F_COUNTS + 7,
  close_tab: -1,
};
const COUNT_SLOT_BY_INDEX = ACTION_TYPES.map((type) => COUNT_SLOT[type]);

/**
 * The one feature extractor, used offline (batch) and in the browser (live).
 *
 * Push a session's events (and, for the `ads` set, its ad signals) in time order; ask for the
 * set's features at any `t` at or after the latest push. Records leave the buffers once they
 * fall out of every future window, so memory is bounded by one window and a push is O(1)
 * amortised; a query scans only the window. State that outlives the window (the focus state
 * at the window start, the last known depth, the ad state) is carried explicitly.
 */
export class SlidingWindowExtractor {
  readonly config: Readonly<WindowConfig>;
  /** Which features `featuresAt` writes: the 20 (`seed`) or the 26 (`ads`). */
  readonly featureSet: FeatureSetName;
  readonly featureCount: number;
  /** The ad features' state; absent under the `seed` set, which ignores ad signals. */
  readonly #ads: AdSignalWindow | undefined;

  // Ring buffer of the events that can still fall in a window.
  #times = new Float64Array(64);
  #types = new Uint8Array(64);
  #depths = new Float64Array(64); // depth after the event, carried forward when absent
  #head = 0;
  #size = 0;

  #lastTime = 0;
  #hasEvents = false;
  #currentDepth = 0;
  /** Focus state after every pushed event (window_focused). */
  #focused = true;
  /** What the evicted events leave behind: the focus state at the start of the window. */
  readonly #carried = new CarriedState();
  readonly #counts = new Float64Array(TYPE_COUNT);
  /** Offline windows end on the rhythm grid (windowSize and windowStep multiples of 10 s): live bins follow that grid. */
  readonly #gridRhythm: boolean;
  /** The rates' smallest span: the first offline window's. */
  readonly #minRateSpan: number;

  constructor(config: Partial<WindowConfig> = {}, featureSet: FeatureSetName = "seed") {
    this.config = Object.freeze(resolveWindowConfig(config));
    this.featureSet = featureSet;
    this.featureCount = FEATURE_SETS[featureSet].length;
    this.#ads = featureSet === "ads" ? new AdSignalWindow(this.config.windowSize) : undefined;
    const { windowSize, windowStep } = this.config;
    this.#gridRhythm = Number.isInteger(windowSize / RHYTHM_BIN_SECONDS) && Number.isInteger(windowStep / RHYTHM_BIN_SECONDS);
    this.#minRateSpan = Math.max(MIN_RATE_SPAN, Math.min(windowStep, windowSize));
  }

  /** Number of events in the window ending at the latest push or query. */
  get eventCount(): number {
    return this.#size;
  }

  /** Time of the latest pushed event (0 when none). */
  get latestTime(): number {
    return this.#lastTime;
  }

  /** Forgets everything: the next push starts a new session. */
  reset(): void {
    this.#head = 0;
    this.#size = 0;
    this.#lastTime = 0;
    this.#hasEvents = false;
    this.#currentDepth = 0;
    this.#focused = true;
    this.#carried.reset();
    this.#ads?.reset();
  }

  /**
   * Adds the next ad signal of the session (its own time order, the events' clock). The `seed`
   * set ignores signals; the `ads` set throws TypeError/RangeError naming the field when the
   * record breaks the contract.
   */
  pushAdSignal(signal: AdSignal): void {
    this.#ads?.push(signal);
  }

  /**
   * Adds the next event of the session. Throws TypeError/RangeError naming the field when
   * the event breaks a rule of src/core/eventRules.ts (malformed, or earlier than the
   * previous one).
   */
  push(event: InteractionEvent): void {
    const broken = eventViolation(event, this.#hasEvents ? this.#lastTime : undefined);
    if (broken !== undefined) throw eventRuleError(broken);
    const { type, t, depth } = event;
    if (depth !== undefined) this.#currentDepth = depth;
    const typeIndex = ACTION_INDEX[type];
    if (this.#size === this.#times.length) this.#grow();
    const slot = (this.#head + this.#size) & (this.#times.length - 1);
    this.#times[slot] = t;
    this.#types[slot] = typeIndex;
    this.#depths[slot] = this.#currentDepth;
    this.#size++;
    this.#lastTime = t;
    this.#hasEvents = true;
    if (typeIndex === FOCUS) this.#focused = true;
    else if (typeIndex === BLUR) this.#focused = false;
    this.#evict(t);
  }

  /**
   * The set's features of the window `(t - windowSize, t]`, in contract order. `t` defaults to
   * the latest event's time and may not precede it (nor the latest ad signal).
   */
  featuresAt(t: number = this.#lastTime, out: Float64Array = new Float64Array(this.featureCount)): Float64Array {
    if (typeof t !== "number" || !Number.isFinite(t) || t < 0) {
      throw new RangeError(`t must be a finite number >= 0; got ${String(t)}`);
    }
    if (t < this.#lastTime) {
      throw new RangeError(`t (${t}) must not precede the latest pushed event (${this.#lastTime})`);
    }
    this.#evict(t);
    const W = this.config.windowSize;
    const wEff = Math.min(W, t);
    const start = Math.max(0, t - W);
    const n = this.#size;
    const mask = this.#times.length - 1;
    const times = this.#times;
    const types = this.#types;
    const depths = this.#depths;
    const counts = this.#counts;
    counts.fill(0);
    out.fill(0, 0, FEATURE_COUNT);
    out[F_DURATION] = t;
    out[F_FOCUSED] = this.#focused ? 1 : 0;

    // Attention: integrate the focus state over [start, t], starting from the state the
    // evicted events left behind.
    let focusedNow = this.#carried.focused;
    let focusedTime = 0;
    let cursor = start;

    if (n === 0) {
      out[F_TIME_SINCE_LAST] = wEff;
      out[F_MAX_IDLE] = wEff;
    } else {
      const first = times[this.#head];
      const last = times[(this.#head + n - 1) & mask];
      let maxGap = Math.max(first - start, t - last);
      let depthMax = 0;
      let travelled = 0;
      let prevTime = first;
      let prevDepth = depths[this.#head];
      const grid = this.#gridRhythm;
      let bins = 0;
      let lastBin = -1;
      const binCount = Math.ceil(wEff / RHYTHM_BIN_SECONDS);
      // Grid bins (docs/features.md, "Live windows"): the newest is (10(newest-1), 10 newest],
      // the oldest the one just after `start`; either may be partly outside the window.
      const newest = grid ? rhythmBin(t) : 0;
      const oldest = grid ? Math.floor(start / RHYTHM_BIN_SECONDS) + 1 : 0;
      let binTop = -1; // upper end of the latest event's grid bin: events in time order mostly share it
      let newestHeld = false;
      let oldestHeld = false;
      for (let k = 0; k < n; k++) {
        const slot = (this.#head + k) & mask;
        const et = times[slot];
        const type = types[slot];
        const d = depths[slot];
        counts[type]++;
        if (d > depthMax) depthMax = d;
        if (k > 0) {
          const gap = et - prevTime;
          if (gap > maxGap) maxGap = gap;
          travelled += Math.abs(d - prevDepth);
        }
        prevTime = et;
        prevDepth = d;
        if (type === FOCUS || type === BLUR) {
          if (focusedNow) focusedTime += et - cursor;
          cursor = et;
          focusedNow = type === FOCUS;
        }
        if (grid) {
          if (et > binTop || et <= binTop - RHYTHM_BIN_SECONDS) {
            const m = rhythmBin(et);
            binTop = RHYTHM_BIN_SECONDS * m;
            // An event at time 0 lies in bin 0, before every window's bins.
            if (m >= oldest) {
              bins++;
              if (m === newest) newestHeld = true;
              if (m === oldest) oldestHeld = true;
            }
          }
          continue;
        }
        // Bin j holds (t - 10(j+1), t - 10j]; events arrive in time order so j only falls.
        // An event at exactly t - 10 * binCount (only possible at time 0) is in no bin.
        let bin = Math.floor((t - et) / RHYTHM_BIN_SECONDS);
        // t - et rounds; settle the bin with the definition's own comparisons.
        if (bin > 0 && et > t - RHYTHM_BIN_SECONDS * bin) bin--;
        else if (et <= t - RHYTHM_BIN_SECONDS * (bin + 1)) bin++;
        if (bin < binCount && bin !== lastBin) {
          bins++;
          lastBin = bin;
        }
      }
      out[F_TIME_SINCE_LAST] = t - last;
      out[F_MAX_IDLE] = maxGap;
      out[F_DEPTH_MAX] = depthMax;
      if (grid) {
        // Complete bins always count; a partial one (the newest before the next offline end,
        // the oldest as its events leave) only while it holds an event. At an offline end
        // there is no partial bin: bins / ceil(Weff / 10), as the table says.
        const newestPartial = RHYTHM_BIN_SECONDS * newest > t;
        const oldestPartial = RHYTHM_BIN_SECONDS * (oldest - 1) < start && oldest !== newest;
        let slots = newest - oldest + 1;
        if (newestPartial && !newestHeld) slots--;
        if (oldestPartial && !oldestHeld) slots--;
        out[F_RHYTHM] = slots > 0 ? bins / slots : 0;
      } else {
        out[F_RHYTHM] = binCount > 0 ? bins / binCount : 0;
      }
      if (n >= 2) {
        const mean = (last - first) / (n - 1);
        out[F_AVG_GAP] = mean;
        if (n >= 3) {
          let ss = 0;
          prevTime = first;
          for (let k = 1; k < n; k++) {
            const et = times[(this.#head + k) & mask];
            const dev = et - prevTime - mean;
            ss += dev * dev;
            prevTime = et;
          }
          const sd = Math.sqrt(ss / (n - 1));
          out[F_BURSTINESS] = sd + mean > 0 ? (sd - mean) / (sd + mean) : 0;
        }
      }
      let entropy = 0;
      for (let type = 0; type < TYPE_COUNT; type++) {
        const c = counts[type];
        if (c === 0) continue;
        const slotIndex = COUNT_SLOT_BY_INDEX[type];
        if (slotIndex >= 0) out[slotIndex] = c;
        const p = c / n;
        entropy -= p * Math.log2(p);
      }
      out[F_ENTROPY] = entropy / LOG2_TYPES;
      // Rates are per second over at least the first offline window's span, so the first
      // instants of a page (Weff -> 0) read as that window would so far; offline windows
      // (t >= windowStep) are unaffected.
      const rateSpan = Math.max(wEff, this.#minRateSpan);
      out[F_DENSITY] = n / rateSpan;
      out[F_VELOCITY] = travelled / rateSpan;
    }
    if (focusedNow) focusedTime += t - cursor;
    out[F_ATTENTION] = wEff > 0 ? focusedTime / wEff : this.#focused ? 1 : 0;
    this.#ads?.featuresAt(t, out, FEATURE_COUNT);
    return out;
  }

  /** Drops events that no window ending at or after `t` can hold. */
  #evict(t: number): void {
    const cutoff = t - this.config.windowSize;
    const mask = this.#times.length - 1;
    while (this.#size > 0 && this.#times[this.#head] <= cutoff) {
      this.#carried.drop(ACTION_TYPES[this.#types[this.#head]], undefined, undefined);
      this.#head = (this.#head + 1) & mask;
      this.#size--;
    }
  }

  #grow(): void {
    const capacity = this.#times.length * 2;
    const mask = this.#times.length - 1;
    const times = new Float64Array(capacity);
    const types = new Uint8Array(capacity);
    const depths = new Float64Array(capacity);
    for (let k = 0; k < this.#size; k++) {
      const slot = (this.#head + k) & mask;
      times[k] = this.#times[slot];
      types[k] = this.#types[slot];
      depths[k] = this.#depths[slot];
    }
    this.#times = times;
    this.#types = types;
    this.#depths = depths;
    this.#head = 0;
  }
}

function isAdSignal(record: InteractionEvent | AdSignal): record is AdSignal {
  return isAdSignalType(record.type);
}

/**
 * The set's features (contract order) of the window ending at `t` (default: the latest
 * record's time) over a session's records in time order: events, with the ad signals mixed in
 * (the `seed` set ignores them).
 */
export function windowFeatureRow(
  interactions: ReadonlyArray<InteractionEvent | AdSignal>,
  t?: number,
  config: Partial<WindowConfig> = {},
  featureSet: FeatureSetName = "seed",
): Float64Array {
  const extractor = new SlidingWindowExtractor(config, featureSet);
  let latest = 0;
  for (const record of interactions) {
    if (t !== undefined && record.t > t) break;
    if (isAdSignal(record)) extractor.pushAdSignal(record);
    else extractor.push(record);
    latest = Math.max(latest, record.t);
  }
  return extractor.featuresAt(t ?? latest);
}

/** The same window as {@link windowFeatureRow}, with the features named. */
export function extractSlidingWindowFeatures(
  interactions: ReadonlyArray<InteractionEvent | AdSignal>,
  t?: number,
  config: Partial<WindowConfig> = {},
  featureSet: FeatureSetName = "seed",
): FeatureVector {
  return toFeatureVector(windowFeatureRow(interactions, t, config, featureSet), 0, featureSet);
}
