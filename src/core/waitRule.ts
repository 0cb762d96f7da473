import type { InteractionEvent } from "./interactionEvent.js";

/** Seconds of inactivity between two derived `wait` events. */
export const WAIT_INTERVAL = 5;

/**
 * The one `wait` rule (docs/events.md): after a non-`wait` action at time `lastActionTime`,
 * a `wait` falls at each `lastActionTime + 5k` (k = 1, 2, ...) strictly before `before`.
 * Only those strictly after `after` are returned, so a live caller can ask repeatedly
 * without repeats. `before` must be finite.
 */
export function waitTimes(lastActionTime: number, before: number, after = lastActionTime): number[] {
  if (!Number.isFinite(before)) throw new RangeError(`waitTimes: before must be finite, got ${before}`);
  const out: number[] = [];
  // k from the first multiple past `after`; times are a + 5k (never summed) so they are exact.
  let k = Math.max(1, Math.floor((after - lastActionTime) / WAIT_INTERVAL) + 1);
  for (let w = lastActionTime + WAIT_INTERVAL * k; w < before; w = lastActionTime + WAIT_INTERVAL * ++k) {
    if (w > after) out.push(w);
  }
  return out;
}

/**
 * Inserts the derived `wait`s into a stream of observed actions (which must hold none).
 * Waits after the last action run up to `end` (exclusive), when given.
 */
export function withWaits(events: readonly InteractionEvent[], end?: number): InteractionEvent[] {
  const out: InteractionEvent[] = [];
  for (let i = 0; i < events.length; i++) {
    const event = events[i];
    if (event.type === "wait") {
      throw new TypeError(`withWaits: event ${i} is a wait; waits are derived, pass observed actions only`);
    }
    out.push(event);
    if (event.type === "close_tab") break;
    const next = i + 1 < events.length ? events[i + 1].t : end;
    if (next === undefined) continue;
    for (const t of waitTimes(event.t, next)) out.push({ type: "wait", t });
  }
  return out;
}
