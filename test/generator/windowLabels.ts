import type { Session } from "../../src/core/session.js";

/** One offline window of a session, by the rule of docs/features.md (independent of the extractor). */
export interface LabelledWindow {
  t: number;
  label: 0 | 1;
}

/**
 * Eligible windows and labels, straight from the rule: windows end at t = 10, 20, ... while
 * t < session end (close_tab time or last event); eligible when >= 5 events (waits included) lie in
 * (t - 120, t]; label 1 iff a click_ad lies in (t, t + 30].
 */
export function labelledWindows(session: Session): LabelledWindow[] {
  const events = session.events;
  const end = events[events.length - 1].t;
  const out: LabelledWindow[] = [];
  let lo = 0;
  let hi = 0;
  for (let t = 10; t < end; t += 10) {
    while (lo < events.length && events[lo].t <= t - 120) lo++;
    while (hi < events.length && events[hi].t <= t) hi++;
    if (hi - lo < 5) continue;
    let label: 0 | 1 = 0;
    for (let j = hi; j < events.length && events[j].t <= t + 30; j++) {
      if (events[j].type === "click_ad") {
        label = 1;
        break;
      }
    }
    out.push({ t, label });
  }
  return out;
}
