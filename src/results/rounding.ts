/**
 * The results files' precision, applied once, when the files are assembled (never to a value
 * the maths goes on using).
 */

/** Rounds to `digits` decimals (metrics keep 6). */
export function round(value: number, digits = 6): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** A duration in ms to 0.1 ms (wall times vary run to run well above that). */
export function roundMs(ms: number): number {
  return round(ms, 1);
}
