import type { AdSignal } from "../core/adSignal.js";
import type { InteractionEvent } from "../core/interactionEvent.js";
import { DEFAULT_WINDOW_CONFIG } from "../core/windowConfig.js";
import { observeAdViewability } from "./adViewabilityObserver.js";
import { initClickObserver } from "./clickObserver.js";
import { ErrorReporter, type PrivAdsLogger } from "./errorReporter.js";
import { initFocusObserver } from "./focusObserver.js";
import { initHoverObserver } from "./hoverObserver.js";
import type { ObservedAction, ObserverContext, Teardown } from "./observerContext.js";
import { bare, ownOptions, PASSIVE, PASSIVE_CAPTURE } from "./ownProperties.js";
import { initPageHideObserver } from "./pageHideObserver.js";
import { observePointerOnAd } from "./pointerOnAdObserver.js";
import { initScrollObserver, type ScrollObserver } from "./scrollObserver.js";
import { SessionLog, type SessionLogStats } from "./sessionLog.js";
import { clampOption, resolveTimers, type TrackerTimers } from "./trackerTimers.js";
import { WaitClock } from "./waitClock.js";

export { AD_ATTRIBUTE } from "./adAttribute.js";
export { INTERACTIVE_SELECTOR } from "./hoverObserver.js";
export type { ExportedSession } from "./sessionLog.js";

/**
 * Whether the person agreed to be observed (docs/privacy.md, "Consent and Global Privacy
 * Control"): `"granted"` records; `"pending"` (not asked yet) and `"denied"` attach nothing and
 * hold nothing.
 */
export type ConsentState = "granted" | "denied" | "pending";

export interface InteractionTrackerOptions {
  /** Milliseconds clock. Default `performance.now()`. */
  now?: () => number;
  /** Timer functions. Default: the global ones (fake timers apply). */
  timers?: Partial<TrackerTimers>;
  /** The window to observe. Default `globalThis.window`; without one `start()` does nothing (server rendering). */
  window?: Window;
  /** The `now()` reading that is `t = 0`. Default: `now()` at the first `start()` (page load when started on load). */
  timeOrigin?: number;
  /** Quiet time that ends a scroll gesture, ms. Default 200 (clamped to 16..5000). */
  scrollQuietMs?: number;
  /** Dwell before a `hover`, ms. Default 500 (clamped to 0..60000). */
  hoverDwellMs?: number;
  /** Seconds of events kept for `getEvents()` and live features. Default window size (120 s) + 30 s. */
  retainSeconds?: number;
  /** Events kept for `exportSession()`; the oldest are dropped beyond it. Default 50,000. */
  maxLogEvents?: number;
  /** Where the single warning about a caught error goes. Default `console`. */
  logger?: PrivAdsLogger;
  /**
   * Observe the ad slots (`data-privads-ad`): `ads_in_view` by the IAB/MRC rule and
   * `pointer_on_ad` (docs/ad-signals.md). Default true; false records events only, and the
   * export then has no `adSignals` (such logs train only the `seed` feature set).
   */
  adSignals?: boolean;
  /**
   * The consent state to start with; change it with `setConsent()`. Default `"granted"` (the
   * site asked already, or needs no consent). Any other value counts as `"denied"`.
   */
  consent?: ConsentState;
  /**
   * Treat `navigator.globalPrivacyControl === true` as `"denied"`, whatever the consent state.
   * Default true; false lets the site decide (e.g. after asking the person explicitly).
   */
  honorGlobalPrivacyControl?: boolean;
}

/** Tracker bookkeeping, for monitoring (no event content). */
export interface TrackerStats extends SessionLogStats {
  /** Errors caught (and swallowed) so far. */
  errors: number;
}

type EventListener = (event: InteractionEvent) => void;
type AdSignalListener = (signal: AdSignal) => void;

/**
 * Turns real DOM events into the nine PrivAds actions (docs/browser.md, "What the tracker
 * records").
 *
 * A thin composition: each kind of action has its observer (scroll gestures, clicks, hover
 * dwell, focus/visibility, page hide: one file each, started by `start()` with the context
 * below and stopped by the teardown it returns), the wait clock derives the `wait`s, and a
 * DOM-free session log keeps the events. Adding an observer is a new file and one line in
 * `start()`.
 *
 * Records only `{ type, t, depth }`: no text, element identity, coordinates or URL. All
 * listeners are passive, every handler is wrapped (an error is logged once with `[privads]`
 * and never reaches the page), memory is bounded (`retainSeconds` of events plus a capped
 * export log) and nothing is sent anywhere. Nothing touches `window` before `start()`, so a
 * tracker can be constructed during server rendering.
 */
export class InteractionTracker {
  readonly #now: () => number;
  readonly #timers: TrackerTimers;
  readonly #errors: ErrorReporter;
  readonly #scrollQuietMs: number;
  readonly #hoverDwellMs: number;
  readonly #targetWindow: Window | undefined;
  #log: SessionLog;
  readonly #waits: WaitClock;
  readonly #observeAds: boolean;
  readonly #honorGpc: boolean;
  readonly #resets = new Set<() => void>();
  #consent: ConsentState;
  /** `start()` was called and not undone by `stop()`: observing resumes when consent is granted. */
  #wanted = false;

  #origin: number | undefined;
  #started = false;
  #closed = false;
  /** The running observers' teardowns, in start order; empty when stopped or closed. */
  #teardowns: Teardown[] = [];
  /** The scroll observer, kept apart: any other action ends its pending gesture first. */
  #scroll: ScrollObserver | undefined;
  #suppressClicks = 0;

  constructor(options: InteractionTrackerOptions = {}) {
    const opts = ownOptions(options);
    this.#errors = new ErrorReporter(opts.logger, "InteractionTracker");
    this.#now = typeof opts.now === "function" ? opts.now : () => globalThis.performance.now();
    this.#timers = resolveTimers(opts.timers);
    this.#targetWindow = opts.window;
    this.#origin = typeof opts.timeOrigin === "number" && Number.isFinite(opts.timeOrigin) ? opts.timeOrigin : undefined;
    this.#scrollQuietMs = clampOption(opts.scrollQuietMs, 200, 16, 5000);
    this.#hoverDwellMs = clampOption(opts.hoverDwellMs, 500, 0, 60_000);
    this.#observeAds = opts.adSignals !== false;
    this.#honorGpc = opts.honorGlobalPrivacyControl !== false;
    this.#consent = toConsent(opts.consent ?? "granted");
    this.#log = new SessionLog({
      retainSeconds: clampOption(opts.retainSeconds, DEFAULT_WINDOW_CONFIG.windowSize + 30, 1, 86_400),
      maxLogEvents: Math.floor(clampOption(opts.maxLogEvents, 50_000, 1, 10_000_000)),
      onError: (error) => this.#errors.report(error),
    });
    this.#waits = new WaitClock({
      currentTime: () => this.currentTime(),
      later: (callback, ms) => this.#later(callback, ms),
      emitWait: (t) => this.#log.record({ type: "wait", t }),
      isHeld: () => this.#closed || this.#scroll?.pending === true,
    });
  }

  /** True while observing: between `start()` and `stop()`, with consent granted. */
  get isRunning(): boolean {
    return this.#started;
  }

  /**
   * The consent state in force: the one given (option `consent`, `setConsent()`), except
   * `"denied"` while the browser sends Global Privacy Control and the tracker honours it.
   */
  get consent(): ConsentState {
    return this.#honorGpc && (this.#window()?.navigator as { globalPrivacyControl?: unknown } | undefined)?.globalPrivacyControl === true ? "denied" : this.#consent;
  }

  /**
   * Changes the consent state. `"granted"` starts observing if `start()` was called (now or
   * earlier); `"pending"` and `"denied"` remove every listener, observer and timer at once and
   * drop everything held in memory (events, ad signals, counters, the export log), and live
   * prediction starts over (`onReset`). Under an honoured Global Privacy Control, granting
   * changes nothing.
   */
  setConsent(state: ConsentState): void {
    this.#consent = toConsent(state);
    if (this.consent === "granted") {
      if (this.#wanted) this.start();
      return;
    }
    this.#tearDown();
    this.#started = this.#closed = false;
    this.#log = this.#log.cleared();
    this.#waits.reset();
    for (const listener of this.#resets) this.#guard(listener)();
  }

  /** Calls `listener` each time consent withdrawal dropped everything recorded. Returns the unsubscribe function. */
  onReset(listener: () => void): () => void {
    this.#resets.add(listener);
    return () => this.#resets.delete(listener);
  }

  /** True once `close_tab` was recorded: the session is over and nothing more is recorded. */
  get isClosed(): boolean {
    return this.#closed;
  }

  /**
   * Starts listening (passive listeners on the window and document). Calling it again while
   * running does nothing; after `stop()` it resumes the same session. Without consent it
   * attaches nothing and returns false, and starts by itself once consent is granted. Returns
   * false too when there is no window (server rendering) or on an error.
   */
  start(): boolean {
    this.#wanted = true;
    if (this.#started) return true;
    try {
      const win = this.#window();
      if (!win?.document) return false;
      this.#origin ??= this.#now();
      if (this.consent !== "granted") return false;
      // A closed session records nothing more: there is nothing to observe.
      if (!this.#closed) {
        const ctx = this.#context(win, win.document);
        this.#scroll = initScrollObserver(ctx, this.#scrollQuietMs);
        this.#teardowns.push(
          this.#scroll.teardown,
          initFocusObserver(ctx),
          initPageHideObserver(ctx),
          initClickObserver(ctx, () => this.#suppressClicks > 0),
          initHoverObserver(ctx, this.#hoverDwellMs),
        );
        if (this.#observeAds) this.#startAdObservers(win);
        // Last, so the observers' first actions (a page that starts hidden) arm it only once.
        this.#teardowns.push(this.#waits.start());
      }
      this.#started = true;
      return true;
    } catch (error) {
      this.#errors.report(error);
      this.#tearDown();
      return false;
    }
  }

  /** Removes every listener and timer. Recorded events stay available. */
  stop(): void {
    this.#wanted = false;
    try {
      this.#scroll?.flush();
      this.#tearDown();
      this.#started = false;
    } catch (error) {
      this.#errors.report(error);
    }
  }

  /**
   * Calls `listener` with every recorded event (including derived `wait`s), in order.
   * Returns the unsubscribe function. A throwing listener (or a non-function) is caught and logged once.
   */
  onEvent(listener: EventListener): () => void {
    return this.#log.subscribe(listener);
  }

  /**
   * Calls `listener` with every ad signal record (`ads_in_view`, `pointer_on_ad`), in order.
   * Returns the unsubscribe function. A throwing listener (or a non-function) is caught and logged once.
   */
  onAdSignal(listener: AdSignalListener): () => void {
    return this.#log.subscribeAdSignals(listener);
  }

  /**
   * A copy of the retained ad signals (the last `retainSeconds`), preceded by the latest older
   * record of each type, so the extractor sees the same ad state as over the whole session.
   */
  getAdSignals(): AdSignal[] {
    return this.#log.adSignals();
  }

  /**
   * Records now the `wait`s already due (docs/events.md) rather than when the wait timer fires
   * (late by a millisecond, or by seconds in a throttled background tab), so a window ending now
   * counts what an offline window ending now would. Does nothing when stopped, closed or while
   * a scroll gesture is pending (it may still become an action before those waits).
   */
  catchUpWaits(): void {
    try {
      this.#waits.catchUpNow();
    } catch (error) {
      this.#errors.report(error);
    }
  }

  /** Seconds since the tracker's time origin, never less than the latest event's `t` (0 before start). */
  currentTime(): number {
    const lastT = this.#log.lastT;
    if (this.#origin === undefined) return lastT;
    try {
      const t = Math.round(this.#now() - this.#origin) / 1000;
      return Number.isFinite(t) && t > lastT ? t : lastT;
    } catch (error) {
      this.#errors.report(error);
      return lastT;
    }
  }

  /**
   * A copy of the retained events (the last `retainSeconds`), preceded by at most two older
   * events that still carry state (the latest focus/blur and the latest event with a depth),
   * so `extractSlidingWindowFeatures(getEvents(), t)` equals the features of the whole session
   * for any `t` up to 30 s past the latest event.
   */
  getEvents(): InteractionEvent[] {
    return this.#log.events();
  }

  /** Counters and buffer sizes. */
  getStats(): TrackerStats {
    return { ...this.#log.stats(), errors: this.#errors.errorCount };
  }

  /**
   * Everything recorded since start as one JSON Lines Session line (docs/browser.md; no
   * trailing newline). When the export log overflowed, the oldest events are missing and the
   * line carries `"truncated": true` and `droppedEvents`.
   */
  exportSession(id?: string): string {
    return JSON.stringify(this.#log.toSession(typeof id === "string" && id.length > 0 ? id : defaultSessionId()));
  }

  /**
   * Offers `exportSession()` as a file download (a Blob and an object URL: nothing leaves the
   * device). Returns false when not possible (no window, an error).
   */
  downloadSession(filename = "privads-session.jsonl", id?: string): boolean {
    try {
      const win = this.#window();
      if (!win?.document) return false;
      const urls = globalThis.URL;
      const url = urls.createObjectURL(new Blob([this.exportSession(id) + "\n"], bare({ type: "application/x-ndjson" })));
      const link = win.document.createElement("a");
      link.href = url;
      link.download = filename;
      // A detached link's click does not reach the document; the guard covers browsers where it would.
      this.#suppressClicks++;
      try {
        link.click();
      } finally {
        this.#suppressClicks--;
      }
      this.#later(() => urls.revokeObjectURL(url), 10_000);
      return true;
    } catch (error) {
      this.#errors.report(error);
      return false;
    }
  }

  // ---- composition -------------------------------------------------------------------

  #window(): Window | undefined {
    return this.#targetWindow ?? (globalThis as { window?: Window }).window;
  }

  /** The two ad observers; each stops (bringing its value back to 0) with the other observers. */
  #startAdObservers(win: Window): void {
    const emit = (signal: AdSignal) => {
      if (!this.#closed || signal.value === 0) this.#log.recordSignal(signal);
    };
    const now = () => this.currentTime();
    const views = observeAdViewability({ window: win, now, emit, timers: this.#timers, errors: this.#errors });
    // Both `stop`s are plain functions (no `this`).
    this.#teardowns.push(views.stop, observePointerOnAd({ window: win, now, emit, errors: this.#errors }).stop);
    if (views.supported) this.#log.observingAds = true;
  }

  /** What the observers get: the session's clock and state, and guarded listeners and timers. */
  #context(win: Window, doc: Document): ObserverContext {
    return {
      window: win,
      document: doc,
      now: this.#now,
      currentTime: () => this.currentTime(),
      observe: (type, at, depth) => this.#observe(type, at, depth),
      isClosed: () => this.#closed,
      isFocused: () => this.#log.isFocused,
      listen: (target, type, handler, capture = false) => this.#listen(target, type, handler, capture),
      later: (callback, ms) => this.#later(callback, ms),
      resumeWaits: () => this.#waits.schedule(),
    };
  }

  /** Records an observed (non-wait) action at the current time, or at `at` (a scroll gesture's end). */
  #observe(type: ObservedAction, at?: number, depth?: number): void {
    if (this.#closed) return;
    if (!type.startsWith("scroll_")) this.#scroll?.flush();
    const t = Math.max(at ?? this.currentTime(), this.#log.lastT);
    this.#waits.catchUp(t);
    this.#log.record(depth === undefined ? { type, t } : { type, t, depth });
    this.#waits.anchorAt(t);
    if (type === "close_tab") {
      this.#closed = true;
      this.#tearDown();
    } else {
      this.#waits.schedule();
    }
  }

  /** Runs and forgets the observers' teardowns (the wait clock's included). */
  #tearDown(): void {
    const teardowns = this.#teardowns;
    this.#teardowns = [];
    this.#scroll = undefined;
    for (const teardown of teardowns) {
      try {
        teardown();
      } catch (error) {
        this.#errors.report(error);
      }
    }
  }

  #listen(target: EventTarget, type: string, handler: (event: Event) => void, capture: boolean): Teardown {
    const options = capture ? PASSIVE_CAPTURE : PASSIVE;
    const guarded = this.#guard(handler);
    target.addEventListener(type, guarded, options);
    return () => {
      try {
        target.removeEventListener(type, guarded, options);
      } catch (error) {
        this.#errors.report(error);
      }
    };
  }

  #later(callback: () => void, ms: number): Teardown {
    const id = this.#timers.setTimeout(this.#guard(callback), ms);
    return () => this.#timers.clearTimeout(id);
  }

  /** Wraps a handler so that it never throws (errors are reported once). */
  #guard<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void {
    return (...args: A) => {
      try {
        fn(...args);
      } catch (error) {
        this.#errors.report(error);
      }
    };
  }
}

/** A consent state; anything unknown counts as "denied" (fail closed). */
function toConsent(state: unknown): ConsentState {
  return state === "granted" || state === "pending" ? state : "denied";
}

/** `privads-` and a random UUID (secure contexts), else the time in base 36. */
function defaultSessionId(): string {
  return `privads-${(globalThis as { crypto?: { randomUUID?: () => string } }).crypto?.randomUUID?.() ?? Date.now().toString(36)}`;
}
