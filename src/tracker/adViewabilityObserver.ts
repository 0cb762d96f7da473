import { MAX_ADS_IN_VIEW, type AdSignal } from "../core/adSignal.js";
import { ErrorReporter, type PrivAdsLogger } from "./errorReporter.js";
import { watchPageAttention } from "./pageAttention.js";
import { resolveTimers, type TrackerTimers } from "./trackerTimers.js";

import { AD_ATTRIBUTE as AD_SLOT_ATTRIBUTE } from "./adAttribute.js";

export { AD_SLOT_ATTRIBUTE };

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

export interface AdViewabilityObserverOptions {
  /** The window whose document holds the slots. */
  window: Window;
  /** The tracker's clock: seconds since page load, non-decreasing. */
  now: () => number;
  /** Receives every change of `ads_in_view`. A throwing callback is caught. */
  emit: (signal: AdSignal) => void;
  /** Timer functions. Default: the global ones (fake timers apply). */
  timers?: Partial<TrackerTimers>;
  /** Where caught errors go; pass the tracker's so one page gets one warning. */
  errors?: Pick<ErrorReporter, "report">;
  /** Used when `errors` is not given. Default `console`. */
  logger?: PrivAdsLogger;
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
  /** Token of the slot's live entry in the deadline queue; 0 when none. */
  pending: number;
}

interface Deadline {
  state: SlotState;
  token: number;
  at: number;
}

const UNSUPPORTED: AdViewabilityObserver = { stop() {}, count: () => 0, observedSlots: () => 0, supported: false };

/**
 * Emits `ads_in_view` (docs/ad-signals.md): the number of `data-privads-ad` slots that have had
 * at least half of their area in the viewport for one continuous second of a visible, focused
 * tab (the IAB/MRC viewable impression). Slots added or removed later, and attribute changes,
 * are followed with a MutationObserver.
 *
 * One timer serves every slot: all slots start their second at `now()`, which never goes back,
 * so their deadlines arrive in the order they were queued and a FIFO queue replaces one timer
 * per slot. Slots that became viewable at the same instant produce one record. Nothing about a
 * slot (identity, position, size) leaves this module; only the count does. Every callback is
 * guarded: errors are reported, never thrown into the page. Without IntersectionObserver or
 * MutationObserver (old browsers, server rendering) the observer does nothing and the count
 * stays 0.
 */
export function observeAdViewability(options: AdViewabilityObserverOptions): AdViewabilityObserver {
  const errors = options.errors ?? new ErrorReporter(options.logger, "AdViewabilityObserver");
  try {
    return start(options, errors);
  } catch (error) {
    errors.report(error);
    return UNSUPPORTED;
  }
}

function start(options: AdViewabilityObserverOptions, errors: Pick<ErrorReporter, "report">): AdViewabilityObserver {
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
  let lastT = 0;
  // Visible and focused (watchPageAttention), as of the latest event; set once listening below.
  let attentive = false;
  let stopped = false;

  let queue: Deadline[] = [];
  let head = 0;
  let pendingCount = 0;
  let nextToken = 1;
  let timer: unknown;
  let timerAt = Infinity;

  const guard =
    <A extends unknown[]>(fn: (...args: A) => void) =>
    (...args: A): void => {
      if (stopped) return;
      try {
        fn(...args);
      } catch (error) {
        errors.report(error);
      }
    };

  const clock = (): number => {
    const t = options.now();
    // A broken clock must not produce a non-finite or backwards record.
    if (typeof t === "number" && Number.isFinite(t) && t > lastT) lastT = t;
    return lastT;
  };

  const flush = (): void => {
    const value = Math.min(viewableCount, MAX_ADS_IN_VIEW);
    if (value === emitted) return;
    emitted = value;
    const signal: AdSignal = { type: "ads_in_view", t: clock(), value };
    try {
      options.emit(signal);
    } catch (error) {
      errors.report(error);
    }
  };

  const startSecond = (state: SlotState): void => {
    const token = nextToken++;
    state.pending = token;
    pendingCount++;
    queue.push({ state, token, at: clock() + VIEWABLE_SECONDS });
    arm();
  };

  const cancelSecond = (state: SlotState): void => {
    if (state.pending === 0) return;
    state.pending = 0;
    pendingCount--;
    // Cancelled entries stay in the queue until their deadline; compact when they dominate,
    // so slots flapping in and out of view cannot grow it without bound.
    if (queue.length - head > 64 && queue.length - head > 4 * pendingCount) {
      queue = queue.slice(head).filter((entry) => entry.state.pending === entry.token);
      head = 0;
    }
  };

  const dropViewable = (state: SlotState): void => {
    cancelSecond(state);
    if (state.viewable) {
      state.viewable = false;
      viewableCount--;
    }
  };

  const skipCancelled = (): void => {
    while (head < queue.length && queue[head].state.pending !== queue[head].token) head++;
    if (head === queue.length) {
      queue = [];
      head = 0;
    }
  };

  const arm = (): void => {
    skipCancelled();
    if (head === queue.length) return;
    const at = queue[head].at;
    // An armed timer that fires no later than the head is enough: it re-arms when it fires.
    if (timer !== undefined && timerAt <= at) return;
    if (timer !== undefined) timers.clearTimeout(timer);
    timerAt = at;
    timer = timers.setTimeout(onTimer, Math.max(0, Math.ceil((at - clock()) * 1000)));
  };

  const onTimer = guard(() => {
    timer = undefined;
    timerAt = Infinity;
    const t = clock();
    for (skipCancelled(); head < queue.length && queue[head].at <= t + CLOCK_RESOLUTION; skipCancelled()) {
      const { state } = queue[head++];
      state.pending = 0;
      pendingCount--;
      state.viewable = true;
      viewableCount++;
    }
    flush();
    arm();
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

  const intersections = new IO(onIntersection, { threshold: [VIEWABLE_AREA_RATIO] });

  const track = (element: Element): void => {
    if (slots.has(element) || slots.size >= MAX_OBSERVED_SLOTS) return;
    slots.set(element, { inView: false, viewable: false, pending: 0 });
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
  mutations.observe(doc, { childList: true, subtree: true, attributes: true, attributeFilter: [AD_SLOT_ATTRIBUTE] });

  // A page opened in a background window is visible but unfocused: it must not count yet.
  const attention = watchPageAttention(win, doc, guard, onAttention);
  attentive = attention.attentive;

  // Slots already in the page; later ones arrive through the MutationObserver.
  if (doc.documentElement) eachSlot(doc.documentElement, track);

  return {
    stop() {
      if (stopped) return;
      try {
        mutations.disconnect();
        intersections.disconnect();
        attention.stop();
        if (timer !== undefined) timers.clearTimeout(timer);
        timer = undefined;
        slots.clear();
        queue = [];
        head = 0;
        pendingCount = 0;
        // Nobody observes the slots any more: the record must not keep claiming a view.
        viewableCount = 0;
        flush();
      } catch (error) {
        errors.report(error);
      } finally {
        stopped = true;
      }
    },
    count: () => emitted,
    observedSlots: () => slots.size,
    supported: true,
  };
}
