import { MAX_ADS_IN_VIEW } from "../core/adSignal.js";
import { startAdSignalSource, type AdSignalSourceOptions } from "./adSignalSource.js";
import { watchPageAttention } from "./pageAttention.js";
import type { AdSignalSource } from "./adSignalSource.js";
import { resolveTimers, type TrackerTimers } from "./trackerTimers.js";
import { bare } from "./ownProperties.js";

import { AD_ATTRIBUTE as AD_SLOT_ATTRIBUTE } from "./adAttribute.js";

export { AD_SLOT_ATTRIBUTE };

/** What both ad observers watch of the DOM: slots added, removed, marked or unmarked. @internal */
export const SLOT_MUTATIONS: MutationObserverInit = bare({ childList: true, subtree: true, attributes: true, attributeFilter: [AD_SLOT_ATTRIBUTE] });

/** Share of a slot's area that must be inside the viewport (IAB/MRC display rule). */
export const VIEWABLE_AREA_RATIO = 0.5;

/** Continuous seconds in view (visible, focused tab) before a slot counts (IAB/MRC). */
export const VIEWABLE_SECONDS = 1;

/**
 * Most slots observed at once. Beyond it, newly added slots are ignored (never counted) until
 * some observed slot leaves the DOM and the extra slot is inserted again: the bound keeps the
 * SDK's memory and the browser's intersection work finite on pathological pages.
 */
export const MAX_OBSERVED_SLOTS = 10_000;

/**
 * A deadline this close (seconds) counts as reached: timers and clocks are both coarsened
 * (performance.now() to 0.1 ms, the tracker's clock to 1 ms), so a timer that is exactly on
 * time may read the clock a hair early; re-arming for a fraction of a millisecond would only
 * add a task.
 */
const CLOCK_RESOLUTION = 1e-3;

export interface AdViewabilityObserverOptions extends AdSignalSourceOptions {
  /** Timer functions. Default: the global ones (fake timers apply). */
  timers?: Partial<TrackerTimers>;
}

/** A running observer. */
export interface AdViewabilityObserver {
  /** Disconnects everything; a nonzero count is first brought back to 0 (see docs/ad-signals.md). */
  stop(): void;
  /** The current (capped) value of `ads_in_view`: the last value emitted. */
  count(): number;
  /** Slots under observation now (for monitoring; bounded by {@link MAX_OBSERVED_SLOTS}). */
  observedSlots(): number;
  /**
   * False when the browser lacks IntersectionObserver or MutationObserver (or start failed):
   * nothing is observed, and a session should then not claim "observed, no ad seen".
   */
  readonly supported: boolean;
}

interface SlotState {
  /** At least half the slot's area intersects the viewport (last IntersectionObserver report). */
  inView: boolean;
  /** Completed its second; counted in `ads_in_view`. */
  viewable: boolean;
  /** The running second's timer, while there is one (an own property from the start: never an inherited one), and its deadline (seconds). */
  timer: unknown;
  at: number;
}

const UNSUPPORTED: AdViewabilityObserver = { stop() {}, count: () => 0, observedSlots: () => 0, supported: false };

/**
 * Emits `ads_in_view` (docs/ad-signals.md): the number of `data-privads-ad` slots that have had
 * at least half of their area in the viewport for one continuous second of a visible, focused
 * tab (the IAB/MRC viewable impression). Slots added or removed later, and attribute changes,
 * are followed with a MutationObserver.
 *
 * Each slot in view runs a timer for its second; the first timer to fire completes every slot
 * whose deadline has come (and cancels their timers), so slots that became viewable at the
 * same instant produce one record. Nothing about a
 * slot (identity, position, size) leaves this module; only the count does. Every callback is
 * guarded: errors are reported, never thrown into the page. Without IntersectionObserver or
 * MutationObserver (old browsers, server rendering) the observer does nothing and the count
 * stays 0.
 */
export function observeAdViewability(options: AdViewabilityObserverOptions): AdViewabilityObserver {
  return startAdSignalSource(options, "AdViewabilityObserver", UNSUPPORTED, ({ guard, clock, emit, stop }) => start(options, guard, clock, emit, stop));
}

function start(
  options: AdViewabilityObserverOptions,
  guard: AdSignalSource["guard"],
  clock: () => number,
  emit: AdSignalSource["emit"],
  stop: AdSignalSource["stop"],
): AdViewabilityObserver {
  const win = options.window as (Window & typeof globalThis) | undefined;
  const doc = win?.document;
  const IO = win?.IntersectionObserver;
  const MO = win?.MutationObserver;
  if (!win || !doc || typeof IO !== "function" || typeof MO !== "function") return UNSUPPORTED;
  const timers = resolveTimers(options.timers);
  const selector = `[${AD_SLOT_ATTRIBUTE}]`;

  const slots = new Map<Element, SlotState>();
  let viewableCount = 0;
  let emitted = 0;
  // Visible and focused (watchPageAttention), as of the latest event; set once listening below.
  let attentive = false;

  const flush = (): void => {
    const value = Math.min(viewableCount, MAX_ADS_IN_VIEW);
    if (value === emitted) return;
    emitted = value;
    emit("ads_in_view", value);
  };

  const startSecond = (state: SlotState): void => {
    state.at = clock() + VIEWABLE_SECONDS;
    arm(state, VIEWABLE_SECONDS);
  };

  const arm = (state: SlotState, seconds: number): void => {
    state.timer = timers.setTimeout(() => onTimer(state), Math.max(0, Math.ceil(seconds * 1000)));
  };

  const cancelSecond = (state: SlotState): void => {
    if (state.timer === undefined) return;
    timers.clearTimeout(state.timer);
    state.timer = undefined;
  };

  const dropViewable = (state: SlotState): void => {
    cancelSecond(state);
    if (state.viewable) {
      state.viewable = false;
      viewableCount--;
    }
  };

  const onTimer = guard((fired: SlotState) => {
    const t = clock();
    // Early by more than the clock's resolution (a coarse timer): wait for the rest.
    if (fired.at > t + CLOCK_RESOLUTION) return arm(fired, fired.at - t);
    // Every slot whose second is over completes now, in one record (the fired timer included:
    // clearing a timer that has run is harmless).
    for (const state of slots.values()) {
      if (state.timer !== undefined && state.at <= t + CLOCK_RESOLUTION) {
        cancelSecond(state);
        state.viewable = true;
        viewableCount++;
      }
    }
    flush();
  });

  const setInView = (state: SlotState, inView: boolean): void => {
    if (inView === state.inView) return;
    state.inView = inView;
    if (!inView) dropViewable(state);
    else if (attentive) startSecond(state);
  };

  const onAttention = (): void => {
    const after = attention.attentive;
    if (attentive === after) return;
    attentive = after;
    // A restart begins a new continuous second for every slot in view; a drop ends them all.
    for (const state of slots.values()) {
      if (!after) dropViewable(state);
      else if (state.inView) startSecond(state);
    }
    flush();
  };

  const onIntersection = guard((entries: IntersectionObserverEntry[]) => {
    for (const entry of entries) {
      const state = slots.get(entry.target);
      if (!state) continue; // reported before it was unobserved
      const box = entry.boundingClientRect;
      // A zero-area slot reports ratio 1 when it touches the viewport; it shows no ad.
      const hasArea = box.width > 0 && box.height > 0;
      setInView(state, hasArea && entry.isIntersecting && entry.intersectionRatio >= VIEWABLE_AREA_RATIO);
    }
    flush();
  });

  const intersections = new IO(onIntersection, bare({ threshold: [VIEWABLE_AREA_RATIO] }));

  const track = (element: Element): void => {
    if (slots.has(element) || slots.size >= MAX_OBSERVED_SLOTS) return;
    slots.set(element, { inView: false, viewable: false, timer: undefined, at: 0 });
    intersections.observe(element);
  };

  const untrack = (element: Element): void => {
    const state = slots.get(element);
    if (!state) return;
    slots.delete(element);
    intersections.unobserve(element);
    dropViewable(state);
  };

  /** Calls `visit` for `node` and its descendants that are slots. */
  const eachSlot = (node: Node, visit: (element: Element) => void): void => {
    if (node.nodeType !== 1) return;
    const element = node as Element;
    if (element.hasAttribute(AD_SLOT_ATTRIBUTE)) visit(element);
    const inner = element.querySelectorAll(selector);
    for (let i = 0; i < inner.length; i++) visit(inner[i]);
  };

  const onMutation = guard((records: MutationRecord[]) => {
    for (const record of records) {
      if (record.type === "attributes") {
        const element = record.target as Element;
        if (element.isConnected && element.hasAttribute(AD_SLOT_ATTRIBUTE)) track(element);
        else untrack(element);
        continue;
      }
      // Decided on the state now, not the record's: a slot moved within the page is removed and
      // added in one batch and keeps its observation (and its running second).
      for (let i = 0; i < record.removedNodes.length; i++) {
        eachSlot(record.removedNodes[i], (element) => {
          if (!element.isConnected) untrack(element);
        });
      }
      for (let i = 0; i < record.addedNodes.length; i++) {
        eachSlot(record.addedNodes[i], (element) => {
          if (element.isConnected) track(element);
        });
      }
    }
    flush();
  });

  const mutations = new MO(onMutation);
  mutations.observe(doc, SLOT_MUTATIONS);

  // A page opened in a background window is visible but unfocused: it must not count yet.
  const attention = watchPageAttention(win, doc, guard, onAttention);
  attentive = attention.attentive;

  // Slots already in the page; later ones arrive through the MutationObserver.
  if (doc.documentElement) eachSlot(doc.documentElement, track);

  return {
    stop: () =>
      stop(() => {
        mutations.disconnect();
        intersections.disconnect();
        attention.stop();
        for (const state of slots.values()) cancelSecond(state);
        slots.clear();
        // Nobody observes the slots any more: the record must not keep claiming a view.
        viewableCount = 0;
        flush();
      }),
    count: () => emitted,
    observedSlots: () => slots.size,
    supported: true,
  };
}
