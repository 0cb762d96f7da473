import type { ProfileName } from "../core/session.js";
import type { BehaviourProfile, BetaParameters, ScrollPattern } from "./behaviourProfiles.js";
import type { SeededRandom } from "../random/seededRandom.js";

/** Hard cap on a session's length in seconds: the process closes the tab there at the latest. */
export const MAX_SESSION_SECONDS = 1800;

/**
 * The hidden per-session values of one synthetic user, in natural units. Together with a
 * {@link UserState} they fully determine the distribution of what the user does next; the
 * feature extractor never sees them (they are the "hidden per-user variation").
 */
export interface UserParameters {
  profile: ProfileName;
  /** Seconds after which the close hazard starts rising: 20 .. 900. */
  targetSessionSeconds: number;
  /** Focused, engaged action rate in actions per second: 0.03 .. 1.0. */
  actionRate: number;
  /** Probability that an action starts a reading pause: 0 .. 0.6. Also scales tab switching. */
  pauseProbability: number;
  /** Relative weight of non-ad clicks among focused actions: 0 .. 0.4. */
  clickProbability: number;
  /** Personal factor on the click_ad hazard: 0.1 .. 4.0. */
  adClickMultiplier: number;
  scrollPattern: ScrollPattern;
  /**
   * Depths of the page's ad slots, ascending (drawn per session by `drawAdSlotDepths`). They
   * travel with the parameters so that oracle roll-outs from a snapshot see the same page.
   * Absent (hand-built users only): FIXED_AD_SLOT_DEPTHS.
   */
  adSlotDepths?: readonly number[];
  /** Guard: the tab is closed at this time at the latest (seconds). */
  maxSessionSeconds: number;
}

function draw(rng: SeededRandom, p: BetaParameters, lo: number, hi: number): number {
  return lo + (hi - lo) * rng.beta(p.alpha, p.beta);
}

/**
 * Draws one user's hidden parameters from a profile: each is a Beta draw in [0, 1] mapped
 * linearly to the range documented on {@link UserParameters}. Draw order is fixed (it is part
 * of the seed-to-output contract).
 */
export function drawUserParameters(profile: BehaviourProfile, rng: SeededRandom): UserParameters {
  return {
    profile: profile.name,
    targetSessionSeconds: draw(rng, profile.sessionLength, 20, 900),
    actionRate: draw(rng, profile.interactionFrequency, 0.03, 1.0),
    pauseProbability: draw(rng, profile.pauseProbability, 0, 0.6),
    clickProbability: draw(rng, profile.clickProbability, 0, 0.4),
    adClickMultiplier: draw(rng, profile.adClickMultiplier, 0.1, 4.0),
    scrollPattern: profile.scrollPattern,
    maxSessionSeconds: MAX_SESSION_SECONDS,
  };
}
