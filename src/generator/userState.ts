import { adSlotOnScreen, FIXED_AD_SLOT_DEPTHS } from "./pageLayout.js";

/**
 * The complete state of one simulated user at time `t`: with the user's {@link UserParameters}
 * it determines everything the process does next (the process is Markov in the pair). It is a
 * plain JSON-serialisable object - numbers and booleans only, no Infinity/NaN - so an oracle can
 * copy it (a spread is a full copy) at a window end and roll many futures forward from the copy.
 */
export interface UserState {
  /** Simulated time in seconds; always a whole number of process ticks. */
  t: number;
  /** Scroll position 0 (top) .. 1 (bottom). */
  depth: number;
  /** Whether the page has focus (a blur_window leaves it false until focus_window). */
  focused: boolean;
  /** Time of the latest observed action; 0 (page load) before the first one. */
  lastActionTime: number;
  /** Exponentially decayed count of recent actions (time constant ENGAGEMENT_TAU_SECONDS). */
  engagement: number;
  /** The user is reading (few actions, low click_ad hazard) until this time. */
  readingUntil: number;
  /**
   * When the pointer's rest on an ad ends (6 s after the latest ad hover) unless it leaves
   * earlier; meaningful while `pointerOnAd`.
   */
  adHoverUntil: number;
  /** The pointer is inside an ad slot (the `pointer_on_ad` signal is 1; click_ad hazard raised). */
  pointerOnAd: boolean;
  /**
   * Since when the ad slot now on screen has been on screen with the window focused
   * (seconds, whole ms); -1 while no slot is on screen or the window is blurred. The slot
   * becomes viewable at this time + 1 s.
   */
  adViewSince: number;
  /** The `ads_in_view` signal's current value: 1 once the on-screen slot is viewable, else 0. */
  adsInView: number;
  /** Time of the latest ad signal record (0 before the first): pointer records never go before it. */
  lastSignalTime: number;
  /** Exponentially decayed count of ad hovers (time constant AD_INTEREST_TAU_SECONDS); reset by a click_ad. */
  adInterest: number;
  /** Number of click_ad actions so far in this session. */
  adClicks: number;
  /** Time of the latest click_ad; -1 when there was none. */
  lastAdClickTime: number;
  /** A click_ad just opened the ad in a new tab: a blur_window is imminent. */
  blurPending: boolean;
  /** The current blur was caused by an ad opened in a new tab (the user is away longer). */
  awayOnAd: boolean;
  /** The tab has been closed; the process emits nothing more. */
  closed: boolean;
}

/**
 * The state at page load: top of the page, focused, nothing done yet. A slot of `adSlotDepths`
 * that is on screen at the top starts its viewability timer at 0. The default layout is the one
 * a `UserParameters` without `adSlotDepths` uses.
 */
export function initialUserState(adSlotDepths: readonly number[] = FIXED_AD_SLOT_DEPTHS): UserState {
  return {
    t: 0,
    depth: 0,
    focused: true,
    lastActionTime: 0,
    engagement: 0,
    readingUntil: 0,
    adHoverUntil: 0,
    pointerOnAd: false,
    adViewSince: adSlotOnScreen(adSlotDepths, 0) >= 0 ? 0 : -1,
    adsInView: 0,
    lastSignalTime: 0,
    adInterest: 0,
    adClicks: 0,
    lastAdClickTime: -1,
    blurPending: false,
    awayOnAd: false,
    closed: false,
  };
}
