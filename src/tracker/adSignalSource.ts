import type { AdSignal, AdSignalType } from "../core/adSignal.js";
import { ErrorReporter, type PrivAdsLogger } from "./errorReporter.js";
import type { Guard } from "./pageAttention.js";

/** What both ad observers are given. */
export interface AdSignalSourceOptions {
  /** The window whose document holds the slots. */
  window: Window;
  /** The tracker's clock: seconds since page load, non-decreasing. */
  now: () => number;
  /** Receives every change of the signal. A throwing callback is caught. */
  emit: (signal: AdSignal) => void;
  /** Where caught errors go; pass the tracker's so one page gets one warning. */
  errors?: Pick<ErrorReporter, "report">;
  /** Used when `errors` is not given. Default `console`. */
  logger?: PrivAdsLogger;
}

/** The plumbing both ad observers share; see {@link startAdSignalSource}. @internal */
export interface AdSignalSource {
  readonly errors: Pick<ErrorReporter, "report">;
  /** Wraps a callback: errors are reported, never thrown into the page; nothing runs once stopped. */
  readonly guard: Guard;
  /** The tracker's clock, kept finite and non-decreasing even when `now` misbehaves. */
  clock(): number;
  /** Sends one record of `type` at `clock()`; a throwing `emit` is reported. */
  emit(type: AdSignalType, value: number): void;
  /** Runs `teardown` once (errors reported), then stops every guarded callback. */
  stop(teardown: () => void): void;
}

/**
 * Starts an ad observer: `start` gets the shared guard, clock and emit and returns the running
 * observer; when it throws, the error is reported and `fallback` is returned instead. @internal
 */
export function startAdSignalSource<O>(options: AdSignalSourceOptions, what: string, fallback: O, start: (source: AdSignalSource) => O): O {
  const errors = options.errors ?? new ErrorReporter(options.logger, what);
  let stopped = false;
  let lastT = 0;
  const source: AdSignalSource = {
    errors,
    guard:
      (fn) =>
      (...args) => {
        if (stopped) return;
        try {
          fn(...args);
        } catch (error) {
          errors.report(error);
        }
      },
    clock() {
      const t = options.now();
      // A broken clock must not produce a non-finite or backwards record.
      if (typeof t === "number" && Number.isFinite(t) && t > lastT) lastT = t;
      return lastT;
    },
    emit(type, value) {
      try {
        options.emit({ type, t: source.clock(), value });
      } catch (error) {
        errors.report(error);
      }
    },
    stop(teardown) {
      if (stopped) return;
      try {
        teardown();
      } catch (error) {
        errors.report(error);
      } finally {
        stopped = true;
      }
    },
  };
  try {
    return start(source);
  } catch (error) {
    errors.report(error);
    return fallback;
  }
}
