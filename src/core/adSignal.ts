/**
 * The two ad signals of contract v2 (docs/features.md, "Ad signals"): state changes the tracker
 * observes and the generator simulates. They are not actions: they never count as events of a
 * window, never make a window eligible and never move the wait rule.
 */
export const AD_SIGNAL_TYPES = ["ads_in_view", "pointer_on_ad"] as const;

export type AdSignalType = (typeof AD_SIGNAL_TYPES)[number];

export function isAdSignalType(type: unknown): type is AdSignalType {
  return (AD_SIGNAL_TYPES as readonly unknown[]).includes(type);
}

/** Most ad slots `ads_in_view` may report at once. */
export const MAX_ADS_IN_VIEW = 1000;

/**
 * One change of ad state. `ads_in_view`: how many ad slots are viewable now (IAB/MRC: at least
 * 50 % of the slot's area in the viewport for 1 continuous second of a visible, focused tab),
 * an integer 0..{@link MAX_ADS_IN_VIEW}. `pointer_on_ad`: 1 while the pointer is inside an ad
 * slot, else 0. Both are implicitly 0 at t = 0; records at equal `t` apply in order.
 */
export interface AdSignal {
  type: AdSignalType;
  /** Seconds since page load, the events' clock; non-decreasing within a session's signals. */
  t: number;
  value: number;
}
