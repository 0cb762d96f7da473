/** The timer functions the SDK uses; inject them (or use fake timers) in tests. */
export interface TrackerTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(id: unknown): void;
  /**
   * Runs `callback` before the next paint (live prediction coalesces its snapshots to one per
   * frame). Default: the global one when there is one; without it a short timer stands in.
   */
  requestAnimationFrame?(callback: (time: number) => void): unknown;
  cancelAnimationFrame?(id: unknown): void;
}

import { ownOptions } from "./ownProperties.js";

/**
 * Fills the missing timer functions (own properties only) with the global ones, looked up at call time (so fake
 * timers installed after construction still apply).
 * @internal
 */
export function resolveTimers(given?: Partial<TrackerTimers>): TrackerTimers {
  const timers = ownOptions(given);
  const resolved = {} as Record<keyof TrackerTimers, (...args: never[]) => unknown>;
  for (const name of ["setTimeout", "clearTimeout", "setInterval", "clearInterval"] as const) {
    resolved[name] = timers[name] ?? ((...args: unknown[]) => (globalThis[name] as (...a: unknown[]) => unknown)(...args));
  }
  // The frame pair only when given together, or else the global one (looked up at call time).
  if (typeof timers.requestAnimationFrame === "function" && typeof timers.cancelAnimationFrame === "function") {
    resolved.requestAnimationFrame = timers.requestAnimationFrame;
    resolved.cancelAnimationFrame = timers.cancelAnimationFrame;
  } else if (typeof (globalThis as { requestAnimationFrame?: unknown }).requestAnimationFrame === "function") {
    const global = globalThis as unknown as Required<Pick<TrackerTimers, "requestAnimationFrame" | "cancelAnimationFrame">>;
    resolved.requestAnimationFrame = (callback: (time: number) => void) => global.requestAnimationFrame(callback);
    resolved.cancelAnimationFrame = (id: unknown) => global.cancelAnimationFrame(id);
  }
  return resolved as unknown as TrackerTimers;
}

/**
 * A finite number clamped to `[min, max]`; anything else becomes `fallback`. Bad SDK options
 * are corrected, never thrown into the host page.
 * @internal
 */
export function clampOption(value: unknown, fallback: number, min: number, max: number): number {
  if (typeof value !== "number" || Number.isNaN(value)) return fallback;
  return Math.min(max, Math.max(min, value));
}
