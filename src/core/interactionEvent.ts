import type { ActionType } from "./actionTypes.js";

/** One user action, as the tracker records it and the generator simulates it. */
export interface InteractionEvent {
  type: ActionType;
  /** Seconds since the session started (page load); >= 0 and non-decreasing within a session. */
  t: number;
  /** Page scroll position after the event, 0 (top) .. 1 (bottom); absent when unknown. */
  depth?: number;
}
