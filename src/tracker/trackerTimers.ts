/** The timer functions the SDK uses; inject them (or use fake timers) in tests. */
export interface TrackerTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(id: unknown): void;
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
