import type { AdSignal } from "./adSignal.js";
import { eventRuleError, timeViolation } from "./eventRules.js";
import type { InteractionEvent } from "./interactionEvent.js";
import { SlidingWindowExtractor } from "./slidingWindowExtractor.js";
import type { WindowConfig } from "./windowConfig.js";

/** The labelled windows of one session (batch mode). */
export interface SessionWindows {
  /** Window end times, ascending. */
  t: number[];
  /** Row-major features, `t.length` x the extractor's feature count (20 or 26). */
  features: Float64Array;
  /** 1 iff a click_ad occurs in `(t, t + horizon]`. */
  labels: Uint8Array;
}

/** The session's end: its close_tab time, else its last event's time (0 when empty). */
export function sessionEnd(events: readonly InteractionEvent[]): number {
  for (const event of events) if (event.type === "close_tab") return event.t;
  return events.length > 0 ? events[events.length - 1].t : 0;
}

/**
 * All eligible windows of a session: ends at `t = step, 2 step, ...` strictly before the
 * session end, holding at least `minActions` events. Features see only events at or
 * before `t`; the label looks only after it, so no window contains its own answer. The session
 * end is held to the event time rule first (at most MAX_EVENT_SECONDS), so the loop over windows
 * is bounded whatever the events.
 */
export function extractSessionWindows(
  events: readonly InteractionEvent[],
  extractor: SlidingWindowExtractor = new SlidingWindowExtractor(),
  adSignals?: readonly AdSignal[],
): SessionWindows {
  const { windowStep, minActions, horizon }: WindowConfig = extractor.config;
  if (extractor.featureSet === "ads" && adSignals === undefined) {
    throw new TypeError("adSignals: missing; the ads feature set needs the session's ad signals (train older logs with the seed set)");
  }
  const signals = extractor.featureSet === "ads" && adSignals !== undefined ? adSignals : [];
  const width = extractor.featureCount;
  extractor.reset();
  const end = sessionEnd(events);
  const broken = timeViolation(end);
  if (broken !== undefined) throw eventRuleError(broken, "session end");
  const clicks: number[] = [];
  for (const event of events) if (event.type === "click_ad") clicks.push(event.t);

  const times: number[] = [];
  const rows: number[] = [];
  const labels: number[] = [];
  const row = new Float64Array(width);
  let next = 0;
  let nextSignal = 0;
  let click = 0;
  for (let k = 1; k * windowStep < end; k++) {
    const t = k * windowStep;
    while (next < events.length && events[next].t <= t) extractor.push(events[next++]);
    while (nextSignal < signals.length && signals[nextSignal].t <= t) extractor.pushAdSignal(signals[nextSignal++]);
    extractor.featuresAt(t, row);
    if (extractor.eventCount < minActions) continue;
    while (click < clicks.length && clicks[click] <= t) click++;
    times.push(t);
    for (let i = 0; i < width; i++) rows.push(row[i]);
    labels.push(click < clicks.length && clicks[click] <= t + horizon ? 1 : 0);
  }
  return { t: times, features: Float64Array.from(rows), labels: Uint8Array.from(labels) };
}
