import type { ActionType } from "../core/actionTypes.js";

/** Undoes what an observer set up (listeners, timers). Safe to call more than once. */
export type Teardown = () => void;

/** An action the DOM shows directly; `wait` is derived by the wait clock instead. */
export type ObservedAction = Exclude<ActionType, "wait">;

/**
 * What the tracker lends each observer while it runs, the way rrweb's recorder hands its
 * `init*Observer` functions their callbacks: an observer turns DOM events into
 * `observe(type)` calls and returns its teardown. Observers record nothing themselves and hold
 * no state that must outlive a `stop()`; session state (the focus state included) is read here.
 */
export interface ObserverContext {
  readonly window: Window;
  readonly document: Document;
  /** The injectable milliseconds clock. */
  now(): number;
  /** Seconds since the session's time origin, never before the latest event. */
  currentTime(): number;
  /** Records an action now, or at `at` seconds (a scroll gesture's end), with the page depth after it. */
  observe(type: ObservedAction, at?: number, depth?: number): void;
  /** True once `close_tab` was recorded: nothing more is. */
  isClosed(): boolean;
  /** The session's focus state: false from a `blur_window` until the next `focus_window`. */
  isFocused(): boolean;
  /** A passive listener whose handler never throws into the page; returns its removal. */
  listen(target: EventTarget, type: string, handler: (event: Event) => void, capture?: boolean): Teardown;
  /** Runs `callback` (never throwing) after `ms`; returns its cancellation. */
  later(callback: () => void, ms: number): Teardown;
  /** A pending observation ended without an action: the wait clock, held meanwhile, may run on. */
  resumeWaits(): void;
}
