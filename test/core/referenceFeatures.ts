// An independent, deliberately naive transcription of the feature table in docs/features.md, used only
// as a test oracle for the real extractor. It recomputes everything from the whole event list.
import { FEATURE_NAMES, type FeatureVector } from "../../src/core/featureNames.js";
import type { InteractionEvent } from "../../src/core/interactionEvent.js";

export function referenceFeatures(all: readonly InteractionEvent[], t: number, W = 120, step = 10): FeatureVector {
  const upTo = all.filter((e) => e.t <= t);
  const E = upTo.filter((e) => e.t > t - W);
  const n = E.length;
  const wEff = Math.min(W, t);
  const start = Math.max(0, t - W);
  const depthOf = (e: InteractionEvent): number => {
    const i = upTo.indexOf(e);
    for (let k = i; k >= 0; k--) if (upTo[k].depth !== undefined) return upTo[k].depth as number;
    return 0;
  };
  const gaps = E.slice(1).map((e, i) => e.t - E[i].t);
  const mean = gaps.length ? gaps.reduce((a, b) => a + b, 0) / gaps.length : 0;
  const sd = gaps.length ? Math.sqrt(gaps.reduce((a, g) => a + (g - mean) ** 2, 0) / gaps.length) : 0;
  const count = (type: string) => E.filter((e) => e.type === type).length;
  const focusChanges = upTo.filter((e) => e.type === "focus_window" || e.type === "blur_window");
  const lastChange = focusChanges[focusChanges.length - 1];
  // attention: sample the focus state on the interval, change points included
  let focused = true;
  for (const e of focusChanges) if (e.t <= start) focused = e.type === "focus_window";
  let focusedTime = 0;
  let cursor = start;
  for (const e of focusChanges.filter((c) => c.t > start)) {
    if (focused) focusedTime += e.t - cursor;
    cursor = e.t;
    focused = e.type === "focus_window";
  }
  if (focused) focusedTime += t - cursor;
  const types = ["scroll_down", "scroll_up", "click", "hover", "wait", "focus_window", "blur_window", "close_tab", "click_ad"];
  let entropy = 0;
  for (const type of types) {
    const p = n ? count(type) / n : 0;
    if (p > 0) entropy -= p * Math.log2(p);
  }
  let filled = 0;
  let slots = 0;
  if (W % 10 === 0 && step % 10 === 0) {
    // "Live windows": grid bins (10(m-1), 10m] meeting (start, t]; a partial one counts only when it holds an event.
    for (let m = Math.floor(start / 10) + 1; m <= Math.ceil(t / 10); m++) {
      const held = E.some((e) => e.t > 10 * (m - 1) && e.t <= 10 * m);
      const partial = 10 * m > t || 10 * (m - 1) < start;
      if (held) filled++;
      if (held || !partial) slots++;
    }
  } else {
    slots = Math.ceil(wEff / 10);
    for (let j = 0; j < slots; j++) if (E.some((e) => e.t > t - 10 * (j + 1) && e.t <= t - 10 * j)) filled++;
  }
  const rateSpan = Math.max(wEff, Math.min(step, W), 1);
  const depths = E.map(depthOf);
  let travelled = 0;
  for (let i = 1; i < depths.length; i++) travelled += Math.abs(depths[i] - depths[i - 1]);
  const values: number[] = [
    n ? t - E[n - 1].t : wEff,
    mean,
    t,
    n ? Math.max(...gaps, E[0].t - start, t - E[n - 1].t) : wEff,
    count("scroll_down"),
    count("scroll_up"),
    count("click"),
    count("hover"),
    count("wait"),
    count("blur_window"),
    count("focus_window"),
    count("click_ad"),
    n ? Math.max(...depths) : 0,
    lastChange === undefined || lastChange.type === "focus_window" ? 1 : 0,
    n / rateSpan,
    wEff > 0 ? focusedTime / wEff : focused ? 1 : 0,
    entropy / Math.log2(9),
    n >= 3 && sd + mean > 0 ? (sd - mean) / (sd + mean) : 0,
    slots ? filled / slots : 0,
    travelled / rateSpan,
  ];
  return Object.fromEntries(FEATURE_NAMES.map((name, i) => [name, values[i]])) as FeatureVector;
}
