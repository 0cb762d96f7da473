import type { ProfileName } from "../core/session.js";

/** Shape parameters of a Beta distribution on [0, 1]. */
export interface BetaParameters {
  alpha: number;
  beta: number;
}

/**
 * How a user scrolls: step sizes and the share of upward gestures.
 * - `rapid`: large steps, almost always down, scrolls often.
 * - `gradual`: small steps, mostly down.
 * - `erratic`: steps of any size, often back up.
 * - `methodical`: near-constant medium steps, rarely up, scrolls less often.
 */
export type ScrollPattern = "rapid" | "gradual" | "erratic" | "methodical";

/**
 * A population of similar users. Each session draws its own hidden {@link UserParameters} from
 * these Betas (mapped to natural units by `drawUserParameters`), so users of one profile differ.
 */
export interface BehaviourProfile {
  name: ProfileName;
  /** Population weight: the share of sessions this profile gets (shares sum to 1). */
  share: number;
  /** Target session length: 20 s + 880 s * Beta. */
  sessionLength: BetaParameters;
  /** Base action rate while focused and engaged: 0.03/s + 0.97/s * Beta. */
  interactionFrequency: BetaParameters;
  /** Chance that an action is followed by a reading pause (0.6 * Beta); also drives tab switching. */
  pauseProbability: BetaParameters;
  /** Weight of non-ad clicks (and, at half that, hovers) among focused actions: 0.4 * Beta. */
  clickProbability: BetaParameters;
  /** Personal factor on the click_ad hazard: 0.1 + 3.9 * Beta. */
  adClickMultiplier: BetaParameters;
  scrollPattern: ScrollPattern;
}

function beta(alpha: number, beta: number): BetaParameters {
  return Object.freeze({ alpha, beta });
}

/** The six behaviour profiles. Their parameters and measured statistics are in docs/generator.md. */
export const BEHAVIOUR_PROFILES: Readonly<Record<ProfileName, BehaviourProfile>> = Object.freeze({
  rushed_reader: Object.freeze({
    name: "rushed_reader",
    share: 0.22,
    sessionLength: beta(2, 12),
    interactionFrequency: beta(6, 4),
    pauseProbability: beta(1.5, 10),
    clickProbability: beta(2, 8),
    adClickMultiplier: beta(4, 16),
    scrollPattern: "rapid",
  }),
  careful_reader: Object.freeze({
    name: "careful_reader",
    share: 0.18,
    sessionLength: beta(6, 6),
    interactionFrequency: beta(2.5, 9),
    pauseProbability: beta(5, 5),
    clickProbability: beta(3, 7),
    adClickMultiplier: beta(4, 18),
    scrollPattern: "methodical",
  }),
  distracted_user: Object.freeze({
    name: "distracted_user",
    share: 0.18,
    sessionLength: beta(3, 7),
    interactionFrequency: beta(3, 5),
    pauseProbability: beta(8, 2),
    clickProbability: beta(2, 6),
    adClickMultiplier: beta(4, 14),
    scrollPattern: "erratic",
  }),
  focused_reader: Object.freeze({
    name: "focused_reader",
    share: 0.15,
    sessionLength: beta(7, 4),
    interactionFrequency: beta(3, 6),
    pauseProbability: beta(3, 6),
    clickProbability: beta(2, 8),
    adClickMultiplier: beta(3, 20),
    scrollPattern: "gradual",
  }),
  click_happy: Object.freeze({
    name: "click_happy",
    share: 0.1,
    sessionLength: beta(3, 6),
    interactionFrequency: beta(5, 4),
    pauseProbability: beta(2, 7),
    clickProbability: beta(6, 4),
    adClickMultiplier: beta(5, 12),
    scrollPattern: "erratic",
  }),
  mobile_user: Object.freeze({
    name: "mobile_user",
    share: 0.17,
    sessionLength: beta(2, 8),
    interactionFrequency: beta(4, 5),
    pauseProbability: beta(3, 6),
    clickProbability: beta(1.5, 9),
    adClickMultiplier: beta(4, 14),
    scrollPattern: "rapid",
  }),
});
