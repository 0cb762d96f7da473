import type { AdSignal } from "../core/adSignal.js";
import type { UserState } from "./userState.js";

/**
 * The ad signal side of the user process (docs/generator.md, "Ad signals"): how the explicit
 * state's `adViewSince`, `adsInView`, `pointerOnAd`, `adHoverUntil` and `lastSignalTime` change,
 * and the `ads_in_view` / `pointer_on_ad` records each change produces. Nothing here draws
 * randomness: the records are a function of the actions and the state, so a roll-out from a
 * snapshot reproduces them exactly. Times are seconds on the events' whole-millisecond grid.
 */

/** Receives each ad signal record, in time order (left out: the state changes alone, no record is built). */
export type AdSignalSink = (record: AdSignal) => void;

/** A slot is viewable after this long on screen in a focused window (IAB/MRC display ads), seconds. */
export const AD_VIEWABLE_SECONDS = 1;
/** The tracker's hover dwell: the pointer entered its element up to this long before the hover, seconds. */
export const HOVER_DWELL_SECONDS = 0.5;

/** `t` plus `ms` milliseconds, on the whole-millisecond grid of event times. */
export function plusMs(t: number, ms: number): number {
  return (Math.round(t * 1000) + ms) / 1000;
}

function setAdsInView(state: UserState, t: number, value: number, signal?: AdSignalSink): void {
  state.adsInView = value;
  state.lastSignalTime = t;
  signal?.({ type: "ads_in_view", t, value });
}

function setPointerOnAd(state: UserState, t: number, on: boolean, signal?: AdSignalSink): void {
  state.pointerOnAd = on;
  state.lastSignalTime = t;
  signal?.({ type: "pointer_on_ad", t, value: on ? 1 : 0 });
}

/**
 * Applies the changes due by time `upTo` that need no action: the on-screen slot completing its
 * viewable second (`adViewSince + 1`) and the pointer's rest on an ad running out
 * (`adHoverUntil`), in time order. The process calls it before each action with the action's
 * time (a change due at that very time comes first) and at each tick end.
 */
export function settleAdSignals(state: UserState, upTo: number, signal?: AdSignalSink): void {
  // Fast exit for the common case (runs twice per tick in every oracle roll-out).
  if (!state.pointerOnAd && (state.adViewSince < 0 || state.adsInView !== 0)) return;
  const viewableAt = state.adViewSince >= 0 && state.adsInView === 0 ? plusMs(state.adViewSince, AD_VIEWABLE_SECONDS * 1000) : Infinity;
  const pointerLeavesAt = state.pointerOnAd ? state.adHoverUntil : Infinity;
  if (viewableAt <= upTo && viewableAt <= pointerLeavesAt) setAdsInView(state, viewableAt, 1, signal);
  if (pointerLeavesAt <= upTo) setPointerOnAd(state, pointerLeavesAt, false, signal);
  if (viewableAt <= upTo && viewableAt > pointerLeavesAt) setAdsInView(state, viewableAt, 1, signal);
}

/**
 * The moment the pointer reached the element of an action at `t`, inside the process tick that
 * starts at `tickStart`: the tracker's hover dwell before `t`, but never at or before the tick
 * start (a snapshot taken there must already hold every record up to it, and this record is
 * caused by an action after it) nor before the previous record. With 0.5 s ticks the tick start
 * always wins: 1 ms after it, or the previous record if that is later.
 */
export function pointerArrival(state: UserState, t: number, tickStart: number): number {
  return Math.max(plusMs(t, -HOVER_DWELL_SECONDS * 1000), plusMs(tickStart, 1), state.lastSignalTime);
}

/** The pointer leaves the ad at `t`, if it is on one. */
export function pointerLeavesAd(state: UserState, t: number, signal?: AdSignalSink): void {
  if (state.pointerOnAd) setPointerOnAd(state, t, false, signal);
}

/** The pointer enters an ad at `t`, if it is not on one already. */
export function pointerEntersAd(state: UserState, t: number, signal?: AdSignalSink): void {
  if (!state.pointerOnAd) setPointerOnAd(state, t, true, signal);
}

/**
 * A scroll at `t` moved the on-screen slot from `slotBefore` to `slotAfter` (indices, -1 for
 * none). Unchanged: nothing happens (the slot stays in view, its timer runs on). Changed: the
 * slot in view stops being viewable and the pointer's ad leaves with it, at `t`; a newly shown
 * slot starts its timer at `t` if the window is focused.
 */
export function adSignalsOnScroll(state: UserState, slotBefore: number, slotAfter: number, t: number, signal?: AdSignalSink): void {
  if (slotAfter === slotBefore) return;
  if (state.adsInView !== 0) setAdsInView(state, t, 0, signal);
  pointerLeavesAd(state, t, signal);
  state.adViewSince = slotAfter >= 0 && state.focused ? t : -1;
}

/** The window loses focus at `t`: nothing is viewable and the pointer is off the ads until focus returns. */
export function adSignalsOnBlur(state: UserState, t: number, signal?: AdSignalSink): void {
  if (state.adsInView !== 0) setAdsInView(state, t, 0, signal);
  pointerLeavesAd(state, t, signal);
  state.adViewSince = -1;
}

/** The window regains focus at `t`: a slot on screen (`slot >= 0`) starts its viewable second again. */
export function adSignalsOnFocus(state: UserState, slot: number, t: number): void {
  state.adViewSince = slot >= 0 ? t : -1;
}
