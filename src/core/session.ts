import type { AdSignal } from "./adSignal.js";
import type { InteractionEvent } from "./interactionEvent.js";

/** The six synthetic behaviour profiles, in a fixed order. */
export const PROFILE_NAMES = [
  "rushed_reader",
  "careful_reader",
  "distracted_user",
  "focused_reader",
  "click_happy",
  "mobile_user",
] as const;

export type ProfileName = (typeof PROFILE_NAMES)[number];

/** One page visit. On disk: one JSON object per line (JSON Lines). */
export interface Session {
  id: string;
  profile?: ProfileName;
  events: InteractionEvent[];
  /**
   * Ad state changes (contract v2), in time order. Absent: not observed (such sessions train
   * only the `seed` feature set); empty: observed, and no ad was viewable or pointed at.
   */
  adSignals?: AdSignal[];
}
