// A deliberately naive transcription of the six ad features' definitions (docs/features.md),
// used only as a test oracle: it replays the whole record list for every question.
import type { AdSignal } from "../../src/core/adSignal.js";

/** Value of a signal type at time s: the last record at or before s, else 0. */
function valueAt(records: readonly AdSignal[], type: AdSignal["type"], s: number): number {
  let v = 0;
  for (const r of records) if (r.type === type && r.t <= s) v = r.value;
  return v;
}

/** Length of {s in [a, b] : predicate(value(s))}, integrating between change points. */
function lengthWhere(records: readonly AdSignal[], type: AdSignal["type"], a: number, b: number, holds: (v: number) => boolean): number {
  const cuts = [a, ...records.filter((r) => r.type === type && r.t > a && r.t < b).map((r) => r.t), b];
  let total = 0;
  for (let i = 0; i + 1 < cuts.length; i++) if (holds(valueAt(records, type, cuts[i]))) total += cuts[i + 1] - cuts[i];
  return total;
}

export function referenceAdFeatures(records: readonly AdSignal[], t: number, W = 120): number[] {
  const upTo = records.filter((r) => r.t <= t);
  const start = Math.max(0, t - W);
  const wEff = Math.min(W, t);
  // Record-order transitions of ads_in_view.
  let v = 0;
  let lastEnd: number | undefined;
  let started = 0;
  for (const r of upTo) {
    if (r.type !== "ads_in_view") continue;
    if (v > 0 && r.value === 0) lastEnd = r.t;
    if (v === 0 && r.value > 0 && r.t > t - W) started++;
    v = r.value;
  }
  const V = valueAt(upTo, "ads_in_view", t);
  const timeSince = V > 0 ? 0 : lastEnd !== undefined && lastEnd > t - W ? t - lastEnd : wEff;
  return [
    V,
    lengthWhere(upTo, "ads_in_view", start, t, (x) => x > 0),
    timeSince,
    started,
    valueAt(upTo, "pointer_on_ad", t),
    lengthWhere(upTo, "pointer_on_ad", start, t, (x) => x === 1),
  ];
}
