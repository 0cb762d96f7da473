import type { ActionType } from "../core/actionTypes.js";
import type { InteractionEvent } from "../core/interactionEvent.js";
import type { Session } from "../core/session.js";
import { WAIT_INTERVAL, waitTimes } from "../core/waitRule.js";
import { DEFAULT_WINDOW_CONFIG } from "../core/windowConfig.js";
import { ErrorReporter, type PrivAdsLogger } from "./errorReporter.js";
import { EventQueue } from "./eventQueue.js";
import { clampOption, resolveTimers, type TrackerTimers } from "./trackerTimers.js";

/** Elements whose dwell counts as a `hover` (DESIGN.md: link, button, image, ad). */
export const INTERACTIVE_SELECTOR = "a, button, img, [role=button], input, select, textarea, [data-privads-ad]";

/** The attribute that marks an ad slot; a click inside one is a `click_ad`. */
export const AD_ATTRIBUTE = "data-privads-ad";

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
}

/** Tracker bookkeeping, for monitoring (no event content). */
export interface TrackerStats {
  /** Events recorded since start, by type. */
  counts: Record<ActionType, number>;
  /** Events held for `getEvents()`. */
  retained: number;
  /** Events held for `exportSession()`. */
  logged: number;
  /** Events dropped from the export log because of `maxLogEvents`. */
  droppedFromLog: number;
  /** Errors caught (and swallowed) so far. */
  errors: number;
}

/** The export line: a DESIGN.md Session, plus a flag when the log overflowed. */
export interface ExportedSession extends Session {
  truncated?: true;
  droppedEvents?: number;
}

type EventListener = (event: InteractionEvent) => void;

interface Registration {
  target: EventTarget;
  type: string;
  handler: (event: Event) => void;
  options: AddEventListenerOptions;
}

const EMPTY_COUNTS = (): Record<ActionType, number> => ({
  scroll_down: 0,
  scroll_up: 0,
  click: 0,
  hover: 0,
  wait: 0,
  focus_window: 0,
  blur_window: 0,
  close_tab: 0,
  click_ad: 0,
});

/**
 * Two times closer than this (seconds) count as the same instant when deciding whether a
 * `wait` falls strictly before an action (clock readings and `a + 5k` round differently).
 */
const SAME_INSTANT = 1e-6;

/**
 * Turns real DOM events into the nine PrivAds actions (DESIGN.md, "Browser semantics").
 *
 * Records only `{ type, t, depth }`: no text, element identity, coordinates or URL. All
 * listeners are passive, every handler is wrapped (an error is logged once with `[privads]`
 * and never reaches the page), memory is bounded (`retainSeconds` of events plus a capped
 * export log) and nothing is sent anywhere. Nothing touches `window` before `start()`, so a
 * tracker can be constructed during server rendering.
 */
export class InteractionTracker {
  private readonly now: () => number;
  private readonly timers: TrackerTimers;
  private readonly errors: ErrorReporter;
  private readonly scrollQuietMs: number;
  private readonly hoverDwellMs: number;
  private readonly retainSeconds: number;
  private readonly maxLogEvents: number;
  private readonly targetWindow: Window | undefined;

  private origin: number | undefined;
  private started = false;
  private closed = false;
  private registrations: Registration[] = [];
  private readonly listeners = new Set<EventListener>();

  private readonly retained = new EventQueue<InteractionEvent>();
  private readonly log = new EventQueue<InteractionEvent>();
  private droppedFromLog = 0;
  private readonly counts = EMPTY_COUNTS();
  /** Latest evicted focus/blur and depth-carrying events: state that outlives the retained span. */
  private evictedFocus: { event: InteractionEvent; seq: number } | undefined;
  private evictedDepth: { event: InteractionEvent; seq: number } | undefined;
  private seq = 0;
  private retainedFirstSeq = 0;
  private lastT = 0;

  // wait rule state
  private anchor: number | undefined; // time of the last non-wait action
  private lastWait = 0; // time of the last wait after the anchor (or the anchor)
  private waitTimer: unknown;

  // scroll gesture state
  private gesturePending = false;
  private gestureStartTop = 0;
  private lastScrollMs = 0;
  private lastScrollT = 0;
  private scrollTimer: unknown;

  // hover state (a transient reference, never recorded)
  private hoverElement: Element | null = null;
  private hoverTimer: unknown;

  private focused = true;
  private suppressClicks = 0;
  private documentRef: Document | undefined;

  constructor(options: InteractionTrackerOptions = {}) {
    const opts = typeof options === "object" && options !== null ? options : {};
    this.errors = new ErrorReporter(opts.logger, "InteractionTracker");
    this.now = typeof opts.now === "function" ? opts.now : () => globalThis.performance.now();
    this.timers = resolveTimers(opts.timers);
    this.targetWindow = opts.window;
    this.origin = typeof opts.timeOrigin === "number" && Number.isFinite(opts.timeOrigin) ? opts.timeOrigin : undefined;
    this.scrollQuietMs = clampOption(opts.scrollQuietMs, 200, 16, 5000);
    this.hoverDwellMs = clampOption(opts.hoverDwellMs, 500, 0, 60_000);
    this.retainSeconds = clampOption(opts.retainSeconds, DEFAULT_WINDOW_CONFIG.windowSize + 30, 1, 86_400);
    this.maxLogEvents = Math.floor(clampOption(opts.maxLogEvents, 50_000, 1, 10_000_000));
  }

  /** True between `start()` and `stop()`. */
  get isRunning(): boolean {
    return this.started;
  }

  /** True once `close_tab` was recorded: the session is over and nothing more is recorded. */
  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * Starts listening (passive listeners on the window and document). Calling it again while
   * running does nothing; after `stop()` it resumes the same session. Returns false when there
   * is no window (server rendering) or on an error.
   */
  start(): boolean {
    if (this.started) return true;
    try {
      const win = this.targetWindow ?? (globalThis as { window?: Window }).window;
      if (!win || !win.document) return false;
      const doc = win.document;
      this.origin ??= this.now();
      this.gestureStartTop = this.readScroll(doc).top;
      const passive = { passive: true };
      const capture = { passive: true, capture: true };
      this.listen(win, "scroll", this.onScroll, passive);
      this.listen(win, "focus", this.onWindowFocus, passive);
      this.listen(win, "blur", this.onWindowBlur, passive);
      this.listen(win, "pagehide", this.onPageHide, passive);
      this.listen(doc, "visibilitychange", this.onVisibilityChange, passive);
      this.listen(doc, "click", this.onClick, capture);
      this.listen(doc, "mouseover", this.onMouseOver, capture);
      this.listen(doc, "mouseout", this.onMouseOut, capture);
      this.started = true;
      this.documentRef = doc;
      if (doc.visibilityState === "hidden") this.setFocused(false);
      this.scheduleWait();
      return true;
    } catch (error) {
      this.errors.report(error);
      this.removeListeners();
      return false;
    }
  }

  /** Removes every listener and timer. Recorded events stay available. */
  stop(): void {
    try {
      if (this.started) this.flushGesture();
      this.removeListeners();
      this.clearTimer("waitTimer");
      this.clearTimer("scrollTimer");
      this.clearTimer("hoverTimer");
      this.gesturePending = false;
      this.hoverElement = null;
      this.started = false;
    } catch (error) {
      this.errors.report(error);
    }
  }

  /**
   * Calls `listener` with every recorded event (including derived `wait`s), in order.
   * Returns the unsubscribe function. A throwing listener is caught and logged once.
   */
  onEvent(listener: EventListener): () => void {
    if (typeof listener !== "function") return () => {};
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Seconds since the tracker's time origin, never less than the latest event's `t` (0 before start). */
  currentTime(): number {
    if (this.origin === undefined) return this.lastT;
    try {
      const t = Math.round(this.now() - this.origin) / 1000;
      return Number.isFinite(t) && t > this.lastT ? t : this.lastT;
    } catch (error) {
      this.errors.report(error);
      return this.lastT;
    }
  }

  /**
   * A copy of the retained events (the last `retainSeconds`), preceded by at most two older
   * events that still carry state (the latest focus/blur and the latest event with a depth),
   * so `extractSlidingWindowFeatures(getEvents(), t)` equals the features of the whole session
   * for any `t` up to 30 s past the latest event.
   */
  getEvents(): InteractionEvent[] {
    const older = [this.evictedFocus, this.evictedDepth]
      .filter((entry): entry is { event: InteractionEvent; seq: number } => entry !== undefined && entry.seq < this.retainedFirstSeq)
      .sort((a, b) => a.seq - b.seq);
    const out = older.filter((entry, i) => i === 0 || entry.seq !== older[i - 1].seq).map((entry) => entry.event);
    return out.concat(this.retained.toArray());
  }

  /** Counters and buffer sizes. */
  getStats(): TrackerStats {
    return {
      counts: { ...this.counts },
      retained: this.retained.size,
      logged: this.log.size,
      droppedFromLog: this.droppedFromLog,
      errors: this.errors.errorCount,
    };
  }

  /**
   * Everything recorded since start as one DESIGN.md JSON Lines Session line (no trailing
   * newline). When the export log overflowed, the oldest events are missing and the line
   * carries `"truncated": true` and `droppedEvents`.
   */
  exportSession(id?: string): string {
    const session: ExportedSession = { id: typeof id === "string" && id.length > 0 ? id : defaultSessionId(), events: this.log.toArray() };
    if (this.droppedFromLog > 0) {
      session.truncated = true;
      session.droppedEvents = this.droppedFromLog;
    }
    return JSON.stringify(session);
  }

  /**
   * Offers `exportSession()` as a file download (a Blob and an object URL: nothing leaves the
   * device). Returns false when not possible (no window, an error).
   */
  downloadSession(filename = "privads-session.jsonl", id?: string): boolean {
    try {
      const win = this.targetWindow ?? (globalThis as { window?: Window }).window;
      if (!win || !win.document) return false;
      const BlobCtor = (win as unknown as { Blob?: typeof Blob }).Blob ?? globalThis.Blob;
      const urls = (win as unknown as { URL?: typeof URL }).URL ?? globalThis.URL;
      if (typeof BlobCtor !== "function" || typeof urls?.createObjectURL !== "function") return false;
      const url = urls.createObjectURL(new BlobCtor([this.exportSession(id) + "\n"], { type: "application/x-ndjson" }));
      const link = win.document.createElement("a");
      link.href = url;
      link.download = filename;
      link.rel = "noopener";
      // A detached link's click does not reach the document; the guard covers browsers where it would.
      this.suppressClicks++;
      try {
        link.click();
      } finally {
        this.suppressClicks--;
      }
      this.timers.setTimeout(() => {
        try {
          urls.revokeObjectURL(url);
        } catch {
          // ignore
        }
      }, 10_000);
      return true;
    } catch (error) {
      this.errors.report(error);
      return false;
    }
  }

  // ---- DOM handlers (each wrapped: never throws into the page) -------------------------

  private readonly onScroll = this.guard(() => {
    if (this.closed) return;
    const t = this.currentTime();
    this.lastScrollMs = this.now();
    this.lastScrollT = t;
    if (!this.gesturePending) {
      this.gesturePending = true;
      this.scrollTimer = this.timers.setTimeout(this.onScrollQuiet, this.scrollQuietMs);
    }
  });

  private readonly onScrollQuiet = this.guard(() => {
    this.scrollTimer = undefined;
    if (!this.gesturePending) return;
    const idle = this.now() - this.lastScrollMs;
    if (idle < this.scrollQuietMs) {
      this.scrollTimer = this.timers.setTimeout(this.onScrollQuiet, Math.max(1, Math.ceil(this.scrollQuietMs - idle)));
      return;
    }
    this.flushGesture();
  });

  private readonly onClick = this.guard((event: Event) => {
    if (this.suppressClicks > 0) return;
    this.observe(closestMatch(event.target, `[${AD_ATTRIBUTE}]`) ? "click_ad" : "click");
  });

  private readonly onMouseOver = this.guard((event: Event) => {
    this.hoverMoveTo(closestMatch(event.target, INTERACTIVE_SELECTOR));
  });

  private readonly onMouseOut = this.guard((event: Event) => {
    this.hoverMoveTo(closestMatch((event as MouseEvent).relatedTarget, INTERACTIVE_SELECTOR));
  });

  private readonly onHoverDwell = this.guard(() => {
    this.hoverTimer = undefined;
    if (this.hoverElement !== null) this.observe("hover");
  });

  private readonly onWindowFocus = this.guard((event: Event) => {
    if (this.isWindowEvent(event)) this.setFocused(true);
  });

  private readonly onWindowBlur = this.guard((event: Event) => {
    if (this.isWindowEvent(event)) this.setFocused(false);
  });

  private readonly onVisibilityChange = this.guard(() => {
    const state = this.documentRef?.visibilityState;
    if (state === "hidden") this.setFocused(false);
    else if (state === "visible") this.setFocused(true);
  });

  private readonly onPageHide = this.guard(() => {
    this.observe("close_tab");
  });

  private readonly onWaitTimer = this.guard(() => {
    this.waitTimer = undefined;
    // A pending scroll gesture may become an action earlier than now; it re-arms the timer when it ends.
    if (this.gesturePending || this.closed) return;
    this.catchUpWaits(this.currentTime());
    this.scheduleWait();
  });

  // ---- recording ---------------------------------------------------------------------

  /** Records an observed (non-wait) action at the current time, or at `at` (a scroll gesture's end). */
  private observe(type: Exclude<ActionType, "wait">, at?: number, depth?: number): void {
    if (this.closed) return;
    if (!type.startsWith("scroll_")) this.flushGesture();
    const t = Math.max(at ?? this.currentTime(), this.lastT);
    this.catchUpWaits(t);
    this.record(depth === undefined ? { type, t } : { type, t, depth });
    this.anchor = t;
    this.lastWait = t;
    if (type === "close_tab") {
      this.closed = true;
      this.clearTimer("waitTimer");
      this.clearTimer("scrollTimer");
      this.clearTimer("hoverTimer");
      this.hoverElement = null;
    } else {
      this.scheduleWait();
    }
  }

  /** Emits the shared rule's waits strictly before `before`. */
  private catchUpWaits(before: number): void {
    if (this.anchor === undefined) return;
    for (const w of waitTimes(this.anchor, before - SAME_INSTANT, this.lastWait)) {
      this.record({ type: "wait", t: w });
      this.lastWait = w;
    }
  }

  private scheduleWait(): void {
    // A pending wake-up is never late: actions only push the next wait further out, and an
    // early wake-up finds nothing to emit and re-arms. So an action costs no timer call.
    if (this.waitTimer !== undefined || !this.started || this.closed || this.anchor === undefined) return;
    // Only a wake-up hint: the waits themselves come from waitTimes(). +1 ms lands the timer
    // after the wait time, so an action at exactly that instant still pre-empts the wait.
    const delay = Math.max(1, Math.ceil((this.lastWait + WAIT_INTERVAL - this.currentTime()) * 1000) + 1);
    this.waitTimer = this.timers.setTimeout(this.onWaitTimer, delay);
  }

  private record(event: InteractionEvent): void {
    Object.freeze(event);
    this.lastT = event.t;
    this.counts[event.type]++;
    const seq = this.seq++;
    if (this.retained.size === 0) this.retainedFirstSeq = seq;
    this.retained.push(event);
    const cutoff = event.t - this.retainSeconds;
    for (let old = this.retained.peek(); old !== undefined && old.t <= cutoff; old = this.retained.peek()) {
      this.retained.shift();
      const oldSeq = this.retainedFirstSeq++;
      if (old.type === "focus_window" || old.type === "blur_window") this.evictedFocus = { event: old, seq: oldSeq };
      if (old.depth !== undefined) this.evictedDepth = { event: old, seq: oldSeq };
    }
    this.log.push(event);
    if (this.log.size > this.maxLogEvents) {
      this.log.shift();
      this.droppedFromLog++;
    }
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.errors.report(error);
      }
    }
  }

  private flushGesture(): void {
    if (!this.gesturePending) return;
    this.gesturePending = false;
    this.clearTimer("scrollTimer");
    const doc = this.documentRef;
    if (!doc) return;
    const { top, depth } = this.readScroll(doc);
    const net = top - this.gestureStartTop;
    this.gestureStartTop = top;
    if (net > 0) this.observe("scroll_down", this.lastScrollT, depth);
    else if (net < 0) this.observe("scroll_up", this.lastScrollT, depth);
    else this.scheduleWait();
  }

  private hoverMoveTo(element: Element | null): void {
    if (element === this.hoverElement || this.closed) return;
    this.clearTimer("hoverTimer");
    this.hoverElement = element;
    if (element !== null) this.hoverTimer = this.timers.setTimeout(this.onHoverDwell, this.hoverDwellMs);
  }

  private setFocused(focused: boolean): void {
    if (focused === this.focused || this.closed) return;
    this.focused = focused;
    this.observe(focused ? "focus_window" : "blur_window");
  }

  // ---- helpers -----------------------------------------------------------------------

  private readScroll(doc: Document): { top: number; depth: number } {
    const element = doc.scrollingElement ?? doc.documentElement;
    if (!element) return { top: 0, depth: 0 };
    const top = Number(element.scrollTop) || 0;
    const max = (Number(element.scrollHeight) || 0) - (Number(element.clientHeight) || 0);
    const depth = max > 0 ? Math.min(1, Math.max(0, top / max)) : 0;
    return { top, depth: Math.round(depth * 1e4) / 1e4 };
  }

  /** True for focus/blur of the window itself (element focus events do not bubble, but stay defensive). */
  private isWindowEvent(event: Event): boolean {
    const target = event.target as Partial<Node> | null;
    return !target || typeof target.nodeType !== "number";
  }

  private listen(target: EventTarget, type: string, handler: (event: Event) => void, options: AddEventListenerOptions): void {
    target.addEventListener(type, handler, options);
    this.registrations.push({ target, type, handler, options });
  }

  private removeListeners(): void {
    for (const { target, type, handler, options } of this.registrations) {
      try {
        target.removeEventListener(type, handler, options);
      } catch (error) {
        this.errors.report(error);
      }
    }
    this.registrations = [];
  }

  /** Wraps a handler so that it never throws (errors are reported once). Reads `errors` at call time. */
  private guard<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void {
    return (...args: A) => {
      try {
        fn(...args);
      } catch (error) {
        this.errors.report(error);
      }
    };
  }

  private clearTimer(name: "waitTimer" | "scrollTimer" | "hoverTimer"): void {
    const id = this[name];
    if (id === undefined) return;
    this[name] = undefined;
    this.timers.clearTimeout(id);
  }
}

/** The nearest ancestor-or-self element of `target` matching `selector`, or null. */
function closestMatch(target: EventTarget | null | undefined, selector: string): Element | null {
  const element = target as Partial<Element> | null | undefined;
  return element && typeof element.closest === "function" ? element.closest(selector) : null;
}

function defaultSessionId(): string {
  const cryptoObj = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (typeof cryptoObj?.randomUUID === "function") return `privads-${cryptoObj.randomUUID()}`;
  return `privads-${Date.now().toString(36)}`;
}
