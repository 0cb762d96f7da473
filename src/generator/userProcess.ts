import type { ActionType } from "../core/actionTypes.js";
import type { InteractionEvent } from "../core/interactionEvent.js";
import {
  type AdSignalSink,
  adSignalsOnBlur,
  adSignalsOnFocus,
  adSignalsOnScroll,
  plusMs,
  pointerArrival,
  pointerEntersAd,
  pointerLeavesAd,
  settleAdSignals,
} from "./adSignalState.js";
import type { ScrollPattern } from "./behaviourProfiles.js";
import { adSlotOnScreen, FIXED_AD_SLOT_DEPTHS } from "./pageLayout.js";
import type { SeededRandom } from "../random/seededRandom.js";
import type { UserParameters } from "./userParameters.js";
import type { UserState } from "./userState.js";

/**
 * The process is discretised in ticks of this many seconds. In each tick `(t, t + TICK]` the
 * user performs at most one observed action, with probability `1 - exp(-sum of hazards * TICK)`
 * from hazards evaluated at the tick start; the action's type is drawn in proportion to its
 * hazard and its time uniformly inside the tick (whole milliseconds, never on the tick start).
 * Any multiple of TICK is a clean cut: advancing to it in pieces equals advancing in one go.
 */
export const TICK_SECONDS = 0.5;
const TICK_MS = 500;

/** Time constant of the decayed recent-action count `UserState.engagement`. */
export const ENGAGEMENT_TAU_SECONDS = 20;
const ENGAGEMENT_DECAY = Math.exp(-TICK_SECONDS / ENGAGEMENT_TAU_SECONDS);

/** Time constant of the decayed ad-hover count `UserState.adInterest`. */
export const AD_INTEREST_TAU_SECONDS = 40;
const AD_INTEREST_DECAY = Math.exp(-TICK_SECONDS / AD_INTEREST_TAU_SECONDS);

/** click_ad hazard per second for a multiplier-1 user looking at an ad, average engagement. */
export const AD_CLICK_BASE_RATE = 0.00065;
/** Recent-action count (decayed) at which engagement leaves the click_ad hazard unchanged. */
export const AD_ENGAGEMENT_REFERENCE = 5;
/** Factor on the click_ad hazard while the pointer rests on an ad. */
export const AD_HOVER_BOOST = 30;
/** How long the pointer rests on an ad after an ad hover (unless it leaves earlier), seconds. */
export const AD_HOVER_SECONDS = 6;
/** Chance that a hover while an ad is on screen is on the ad. */
const AD_HOVER_SHARE = 0.75;
/** Chance that a click_ad opens the ad in a new tab (a blur_window follows quickly). */
const AD_OPENS_TAB = 0.7;
/** Mean length of a reading pause, seconds. */
const READING_PAUSE_MEAN = 10;

interface ScrollStyle {
  /** Factor on the scroll hazards. */
  rate: number;
  /** Share of scroll gestures that go up. */
  upShare: number;
}

/** Scroll hazards per pattern; step sizes are drawn in {@link scrollStep}. */
const SCROLL_STYLES: Readonly<Record<ScrollPattern, ScrollStyle>> = Object.freeze({
  rapid: { rate: 1.4, upShare: 0.08 },
  gradual: { rate: 1.0, upShare: 0.12 },
  erratic: { rate: 1.2, upShare: 0.35 },
  methodical: { rate: 0.8, upShare: 0.05 },
});

/** Size of one scroll gesture (fraction of the page) for a pattern. */
function scrollStep(pattern: ScrollPattern, rng: SeededRandom): number {
  switch (pattern) {
    case "rapid":
      return 0.04 + rng.exponential(1 / 0.06);
    case "gradual":
      return 0.012 + rng.exponential(1 / 0.022);
    case "erratic":
      return 0.008 + 0.18 * rng.uniform();
    case "methodical":
      return 0.035 + 0.02 * rng.uniform();
  }
}

function roundDepth(depth: number): number {
  return Math.round(depth * 10000) / 10000;
}

/**
 * One user's constants of the hazards, computed once from the parameters and shared by every
 * tick (and, in the oracle, by every roll-out of a window), plus a tick's scratch. Each constant
 * is the same expression the hazard used inline, so the doubles are bit-identical.
 */
export class PreparedUser {
  readonly params: UserParameters;
  readonly pattern: ScrollPattern;
  /** scroll_down / scroll_up weights per unit of activity, from the scroll pattern. */
  readonly down: number;
  readonly up: number;
  readonly hoverBase: number;
  readonly adHover: number;
  readonly blurBase: number;
  readonly adBase: number;
  readonly actionRate: number;
  readonly clickProbability: number;
  readonly pauseProbability: number;
  /** `actionRate * ENGAGEMENT_TAU_SECONDS`, the engagement of a steadily active user. */
  readonly engagementNorm: number;
  /** Leave hazard: `leaveBase` up to `target`, then rising by `(t - target) / leaveScale2`. */
  readonly target: number;
  readonly leaveBase: number;
  readonly leaveScale2: number;
  readonly maxSessionSeconds: number;
  /** The page's ad slot depths. */
  readonly slots: readonly number[];
  /** The last depth looked up in `slots` and its slot (depth only changes on a scroll). */
  memoDepth = Number.NaN;
  memoSlot = -1;
  /** All hazard constants are >= 0, as for every drawn user: quiet ticks may then be decided by a bound (quietDrawFrom). */
  readonly boundable: boolean;
  /** The current tick's hazards per second, in H_* order (see `hazards`). @internal */
  readonly h = new Float64Array(8);

  /** `quietBound: false` turns the quiet-tick bound off (tests: it must change nothing). */
  constructor(params: UserParameters, options: { quietBound?: boolean } = {}) {
    const style = SCROLL_STYLES[params.scrollPattern];
    if (style === undefined) throw new RangeError(`PreparedUser: unknown scrollPattern ${JSON.stringify(params.scrollPattern)}`);
    this.params = params;
    this.pattern = params.scrollPattern;
    this.down = style.rate * (1 - style.upShare);
    this.up = style.rate * style.upShare;
    this.hoverBase = 0.08 + 0.5 * params.clickProbability;
    this.adHover = 0.12 * Math.sqrt(params.adClickMultiplier);
    this.blurBase = 0.003 + 0.04 * params.pauseProbability;
    this.adBase = AD_CLICK_BASE_RATE * params.adClickMultiplier;
    this.actionRate = params.actionRate;
    this.clickProbability = params.clickProbability;
    this.pauseProbability = params.pauseProbability;
    this.engagementNorm = params.actionRate * ENGAGEMENT_TAU_SECONDS;
    // Baseline hazard of leaving: low before the target session length, then rising linearly,
    // so the overshoot past the target is roughly Rayleigh with scale target / 4.
    this.target = params.targetSessionSeconds;
    this.leaveBase = 0.3 / this.target;
    const scale = 0.25 * this.target;
    this.leaveScale2 = scale * scale;
    this.maxSessionSeconds = params.maxSessionSeconds;
    this.slots = params.adSlotDepths ?? FIXED_AD_SLOT_DEPTHS;
    this.boundable = (options.quietBound ?? true) && [this.down, this.up, this.hoverBase, this.adHover, this.blurBase, this.adBase, this.actionRate, this.clickProbability, this.target].every((c) => c >= 0);
  }

  /** Index of the ad slot on screen at `depth`, or -1 (`adSlotOnScreen`, memoised). */
  slotAt(depth: number): number {
    if (depth !== this.memoDepth) {
      this.memoSlot = adSlotOnScreen(this.slots, depth);
      this.memoDepth = depth;
    }
    return this.memoSlot;
  }
}

const H_DOWN = 0;
const H_UP = 1;
const H_CLICK = 2;
const H_HOVER = 3;
const H_BLUR = 4;
const H_FOCUS = 5;
const H_CLOSE = 6;
const H_AD = 7;

/**
 * Rolls the user forward from `state.t` to `untilT` (whole ticks only: it stops at the last tick
 * end <= untilT) or until the tab closes, mutating `state` and calling `emit` with each observed
 * action (never `wait`; those are derived later by `withWaits`) and `signal`, when given, with
 * each ad signal record (`ads_in_view`, `pointer_on_ad`; docs/generator.md "Ad signals").
 * Every draw comes from `rng`; the signals draw nothing, so the actions are the same with or
 * without `signal`.
 *
 * Hazards per second, evaluated at each tick start (see docs/generator.md for the full table):
 * - blurred: focus_window (slower when the user left for an ad, halves after 60 s away) and
 *   close_tab (rises with time away); nothing else.
 * - focused: scrolls, clicks and hovers at `actionRate` scaled by recent engagement and damped
 *   during a reading pause; scroll_down is impossible at the bottom, scroll_up at the top, a long
 *   idle makes a returning scroll_down likelier; close_tab rises past the target length, near
 *   the bottom and with idle time; blur_window with the pause probability and idle time, and
 *   almost surely right after an ad opened in a new tab; click_ad needs a visible ad slot for most
 *   of its hazard, is boosted while the pointer rests on an ad, by engagement and by past ad
 *   clicks, damped while reading or just after an ad click.
 */
export function advanceUser(
  params: UserParameters,
  state: UserState,
  rng: SeededRandom,
  untilT: number,
  emit: (event: InteractionEvent) => void,
  signal?: AdSignalSink,
): void {
  advancePrepared(new PreparedUser(params), state, rng, untilT, emit, signal);
}

/**
 * {@link advanceUser} with the user's constants computed once (reuse `user` for many
 * roll-outs). `emit` and `signal` may be left out: nothing is emitted then, the state and the
 * draws are the same.
 */
export function advancePrepared(
  user: PreparedUser,
  state: UserState,
  rng: SeededRandom,
  untilT: number,
  emit?: (event: InteractionEvent) => void,
  signal?: AdSignalSink,
): void {
  if (Number.isNaN(untilT)) throw new RangeError(`advanceUser: untilT must be a number, got ${untilT}`);
  const limit = Math.min(untilT, user.maxSessionSeconds);
  // Last tick start covered by `quietFrom` (see quietDrawFrom); -Infinity: none.
  let boundUntil = -Infinity;
  let quietFrom = Infinity;
  // Time and the decayed counts live in locals and are written back before anything reads
  // them from the state: the quiet ticks decided by the bound touch nothing else.
  let t = state.t;
  let engagement = state.engagement;
  let adInterest = state.adInterest;
  while (!state.closed && t + TICK_SECONDS <= limit) {
    const t1 = t + TICK_SECONDS;
    // beginTick's decay.
    engagement *= ENGAGEMENT_DECAY;
    adInterest *= AD_INTEREST_DECAY;
    if (t1 >= user.maxSessionSeconds || t > boundUntil) {
      state.t = t;
      state.engagement = engagement;
      state.adInterest = adInterest;
      if (t1 >= user.maxSessionSeconds) {
        closeAtMax(user, state, rng, emit, signal);
        t = state.t;
        continue;
      }
      boundUntil = t + (BOUND_TICKS - 1) * TICK_SECONDS;
      quietFrom = quietDrawFrom(user, state, boundUntil);
    }
    const u = rng.uniform();
    if (u < quietFrom) {
      state.t = t;
      state.engagement = engagement;
      state.adInterest = adInterest;
      const total = hazards(user, state, t);
      if (fires(u, total)) {
        actionTick(user, state, rng, total, emit, signal);
        t = state.t;
        engagement = state.engagement;
        adInterest = state.adInterest;
        boundUntil = -Infinity; // the action changed the state
        continue;
      }
    }
    settleAdSignals(state, t1, signal);
    t = t1;
  }
  state.t = t;
  state.engagement = engagement;
  state.adInterest = adInterest;
}

/** Ticks one hazard bound covers (see quietDrawFrom): longer spans are looser bounds. */
const BOUND_TICKS = 8;

/**
 * A draw at or above the returned value makes a quiet tick of every tick starting in
 * `[state.t, tLast]` that is reached from `state` (after its decay) through quiet ticks alone,
 * so those ticks need no `hazards`: most ticks are quiet, and this is where a roll-out spends
 * its time. Through quiet ticks only time, the decays and the pointer's rest on an ad (which can
 * only end) change, and every hazard is a product of non-negative factors that can only grow
 * with time (idle time, the leave hazard, the end of a reading pause or of the ad-click damping)
 * or only shrink with the decays and the pointer leaving, except focus_window (at most 1/10 per
 * second). So the hazards of the current state evaluated at `tLast`, plus 1/10 while blurred,
 * bound the hazard sum of each of those ticks, and `fires` is false for any draw at or above
 * half of it (1 - exp(-x) <= x). The margins (relative 1e-9 and 1e-9) dwarf the rounding of
 * both sums (~1e-15 relative). Users with a negative constant (hand-built) get no bound.
 * docs/generator.md ("Sessions and snapshots") has the argument in prose.
 */
function quietDrawFrom(user: PreparedUser, state: UserState, tLast: number): number {
  if (!user.boundable) return Infinity;
  const bound = hazards(user, state, tLast) + (state.focused ? 0 : 0.1);
  return bound * TICK_SECONDS * (1 + 1e-9) + 1e-9;
}

/**
 * The parts of a tick, for the oracle's shared quiet prefix (src/evaluation/oracle.ts): a tick
 * is `beginTick`, then either `closeAtMax` (when it returned true) or `hazards`, one uniform
 * draw `u`, and `endQuietTick` or (when `fires(u, total)`) `actionTick`. @internal
 */
export function beginTick(user: PreparedUser, state: UserState): boolean {
  state.engagement *= ENGAGEMENT_DECAY;
  state.adInterest *= AD_INTEREST_DECAY;
  return state.t + TICK_SECONDS >= user.maxSessionSeconds;
}

/** The tick that reaches maxSessionSeconds closes the tab at its end (no draw). @internal */
export function closeAtMax(user: PreparedUser, state: UserState, rng: SeededRandom, emit: ((event: InteractionEvent) => void) | undefined, signal: AdSignalSink | undefined): void {
  const t0 = state.t;
  const t1 = t0 + TICK_SECONDS;
  settleAdSignals(state, t1, signal);
  act(user, state, rng, "close_tab", t1, t0, emit, signal);
  state.t = t1;
}

/**
 * The hazards per second at the tick start `t0` (`state.t`, after `beginTick`'s decay; a later
 * time only for a bound, see quietDrawFrom) into `user.h`; returns their sum. A pure function of
 * its arguments. @internal
 */
export function hazards(user: PreparedUser, state: UserState, t0: number): number {
  const h = user.h;
  const idle = t0 - state.lastActionTime;
  const leave = t0 <= user.target ? user.leaveBase : user.leaveBase + (t0 - user.target) / user.leaveScale2;
  let rDown = 0;
  let rUp = 0;
  let rClick = 0;
  let rHover = 0;
  let rBlur = 0;
  let rFocus = 0;
  let rClose: number;
  let rAd = 0;

  if (!state.focused) {
    rFocus = (state.awayOnAd ? 1 / 30 : 1 / 10) * (idle > 60 ? 0.5 : 1);
    rClose = 0.7 * leave + 0.002 + 0.006 * Math.min(1, idle / 60);
  } else {
    const depth = state.depth;
    const reading = t0 < state.readingUntil;
    const engagementRatio = state.engagement / user.engagementNorm;
    const activity = user.actionRate * (0.5 + 0.5 * Math.min(engagementRatio, 3)) * (reading ? 0.1 : 1);
    const adVisible = user.slotAt(depth) >= 0;

    // At the bottom, half of the would-be downward gestures go back up instead.
    if (depth < 1) rDown = activity * user.down * (1 + Math.min(idle, 60) / 30);
    else rUp = 0.5 * activity * user.down;
    if (depth > 0) rUp += activity * user.up * (depth > 0.9 ? 2 : 1);
    rClick = activity * user.clickProbability;
    // Ad-affine users hover ads more, and an interested user keeps coming back to them.
    rHover = activity * (user.hoverBase + (adVisible ? user.adHover + 0.3 * Math.min(state.adInterest, 2) : 0));
    rBlur = state.blurPending ? 4 : user.blurBase * (idle > 20 ? 2 : 1);
    rClose = leave * (1 + (3 * Math.max(0, depth - 0.85)) / 0.15) * (1 + Math.min(idle, 120) / 15);
    if (!state.blurPending) {
      const engaged = Math.min(state.engagement / AD_ENGAGEMENT_REFERENCE, 4);
      rAd =
        user.adBase *
        (adVisible ? 1 : 0.3) *
        (state.pointerOnAd ? AD_HOVER_BOOST : 1) *
        (1 + Math.min(state.adInterest, 3)) *
        engaged *
        Math.sqrt(engaged) *
        (reading ? 0.3 : 1) *
        (1 + 0.5 * Math.min(state.adClicks, 4)) *
        (state.lastAdClickTime >= 0 && t0 - state.lastAdClickTime < 20 ? 0.1 : 1);
    }
  }
  h[H_DOWN] = rDown;
  h[H_UP] = rUp;
  h[H_CLICK] = rClick;
  h[H_HOVER] = rHover;
  h[H_BLUR] = rBlur;
  h[H_FOCUS] = rFocus;
  h[H_CLOSE] = rClose;
  h[H_AD] = rAd;
  return rDown + rUp + rClick + rHover + rBlur + rFocus + rClose + rAd;
}

/**
 * Whether a tick with hazard sum `total` has an action, given its uniform draw `u`: exactly
 * `!(u >= 1 - exp(-total TICK))`. Since 1 - exp(-x) <= x and Math.exp is within an ulp, the
 * computed threshold never exceeds x + 3e-16, so a draw at or above x + 1e-9 (most quiet ticks)
 * is decided without the exp. @internal
 */
export function fires(u: number, total: number): boolean {
  const x = total * TICK_SECONDS;
  if (u >= x + 1e-9) return false;
  return !(u >= 1 - Math.exp(-x));
}

/** A tick without an action: the timed ad signal changes up to its end. @internal */
export function endQuietTick(state: UserState, t1: number, signal: AdSignalSink | undefined): void {
  settleAdSignals(state, t1, signal);
  state.t = t1;
}

/** A tick with an action, after `hazards` filled `user.h` and the first draw fired. @internal */
export function actionTick(
  user: PreparedUser,
  state: UserState,
  rng: SeededRandom,
  total: number,
  emit: ((event: InteractionEvent) => void) | undefined,
  signal: AdSignalSink | undefined,
): void {
  const h = user.h;
  const t0 = state.t;
  const t1 = t0 + TICK_SECONDS;
  // Pick the type in proportion to its hazard (ACTION_TYPES order).
  let x = rng.uniform() * total;
  let type: ActionType;
  if ((x -= h[H_DOWN]) < 0) type = "scroll_down";
  else if ((x -= h[H_UP]) < 0) type = "scroll_up";
  else if ((x -= h[H_CLICK]) < 0) type = "click";
  else if ((x -= h[H_HOVER]) < 0) type = "hover";
  else if ((x -= h[H_FOCUS]) < 0) type = "focus_window";
  else if ((x -= h[H_BLUR]) < 0) type = "blur_window";
  else if (x < h[H_CLOSE] || h[H_AD] === 0) type = "close_tab"; // rAd = 0: only rounding gets here
  else type = "click_ad";
  const millis = 1 + Math.floor(rng.uniform() * TICK_MS);
  const t = plusMs(t0, millis);
  // Timed signal changes up to and including the action's time happen before it (a slot that
  // completes its second at the very moment the user scrolls away was viewable).
  settleAdSignals(state, t, signal);
  act(user, state, rng, type, t, t0, emit, signal);
  if (!state.closed) settleAdSignals(state, t1, signal);
  state.t = t1;
}

/**
 * Applies one observed action at time `t` (in the tick starting at `t0`) to the state, emits
 * it and the ad signal records it causes. @internal
 */
function act(
  user: PreparedUser,
  state: UserState,
  rng: SeededRandom,
  type: ActionType,
  t: number,
  t0: number,
  emit: ((event: InteractionEvent) => void) | undefined,
  signal: AdSignalSink | undefined,
): void {
  switch (type) {
    case "scroll_down":
    case "scroll_up": {
      const slotBefore = user.slotAt(state.depth);
      const step = scrollStep(user.pattern, rng);
      state.depth = roundDepth(type === "scroll_down" ? Math.min(1, state.depth + step) : Math.max(0, state.depth - step));
      adSignalsOnScroll(state, slotBefore, user.slotAt(state.depth), t, signal);
      break;
    }
    case "hover":
      if (user.slotAt(state.depth) >= 0 && rng.bernoulli(AD_HOVER_SHARE)) {
        state.adHoverUntil = plusMs(t, AD_HOVER_SECONDS * 1000);
        state.adInterest += 1;
        pointerEntersAd(state, pointerArrival(state, t, t0), signal);
      } else {
        // The dwell on another element began when the pointer left the ad.
        pointerLeavesAd(state, pointerArrival(state, t, t0), signal);
      }
      break;
    case "click":
      pointerLeavesAd(state, t, signal);
      break;
    case "click_ad":
      // The click is inside a slot, so the pointer is on an ad when it happens; the click ends
      // its rest there (the ad opens), as it ends the hazard's hover boost.
      pointerEntersAd(state, pointerArrival(state, t, t0), signal);
      pointerLeavesAd(state, t, signal);
      state.adClicks += 1;
      state.lastAdClickTime = t;
      state.adHoverUntil = 0;
      state.adInterest = 0;
      state.blurPending = rng.bernoulli(AD_OPENS_TAB);
      break;
    case "blur_window":
      adSignalsOnBlur(state, t, signal);
      state.focused = false;
      state.awayOnAd = state.blurPending;
      state.blurPending = false;
      break;
    case "focus_window":
      state.focused = true;
      state.awayOnAd = false;
      adSignalsOnFocus(state, user.slotAt(state.depth), t);
      break;
    case "close_tab":
      state.closed = true;
      break;
    default:
      break;
  }
  if ((type === "scroll_down" || type === "scroll_up" || type === "click") && rng.bernoulli(user.pauseProbability)) {
    state.readingUntil = t + rng.exponential(1 / READING_PAUSE_MEAN);
  }
  state.engagement += 1;
  state.lastActionTime = t;
  emit?.({ type, t, depth: state.depth });
}
