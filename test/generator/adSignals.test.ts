import { describe, expect, it } from "vitest";
import type { AdSignal } from "../../src/core/adSignal.js";
import type { InteractionEvent } from "../../src/core/interactionEvent.js";
import {
  adSignalsOnBlur,
  adSignalsOnFocus,
  adSignalsOnScroll,
  pointerArrival,
  pointerEntersAd,
  pointerLeavesAd,
  settleAdSignals,
} from "../../src/generator/adSignalState.js";
import { SeededRandom } from "../../src/random/seededRandom.js";
import { SyntheticGenerator } from "../../src/generator/sessionGenerator.js";
import type { UserParameters } from "../../src/generator/userParameters.js";
import { advanceUser } from "../../src/generator/userProcess.js";
import { initialUserState, type UserState } from "../../src/generator/userState.js";
import { labelledWindows } from "./windowLabels.js";

/** A recorder for the signal sink. */
function recorder(): { records: AdSignal[]; sink: (r: AdSignal) => void } {
  const records: AdSignal[] = [];
  return { records, sink: (r) => records.push(r) };
}

/** Focused at t = 3 on a page with one slot at 0.3, scrolled to 0.15 (slot off screen). */
function offScreenState(): UserState {
  return { ...initialUserState([0.3]), t: 3, depth: 0.15, lastActionTime: 2.5 };
}

describe("ad signal transitions (hand-checked)", () => {
  it("a scroll at 3.217 brings the slot into view: ads_in_view 1 at 4.217, not earlier", () => {
    const state = offScreenState();
    const { records, sink } = recorder();
    adSignalsOnScroll(state, -1, 0, 3.217, sink);
    expect(state.adViewSince).toBe(3.217);
    for (const tickEnd of [3.5, 4]) settleAdSignals(state, tickEnd, sink);
    expect(records).toEqual([]);
    settleAdSignals(state, 4.5, sink);
    expect(records).toEqual([{ type: "ads_in_view", t: 4.217, value: 1 }]);
    settleAdSignals(state, 5, sink); // already viewable: nothing more
    expect(records).toHaveLength(1);
  });

  it("a blur at 3.8 prevents it; the focus at 7.25 restarts the second: viewable at 8.25", () => {
    const state = offScreenState();
    const { records, sink } = recorder();
    adSignalsOnScroll(state, -1, 0, 3.217, sink);
    settleAdSignals(state, 3.8, sink);
    adSignalsOnBlur(state, 3.8, sink);
    state.focused = false;
    for (let t = 4; t <= 7; t += 0.5) settleAdSignals(state, t, sink);
    expect(records).toEqual([]);
    state.focused = true;
    adSignalsOnFocus(state, 0, 7.25);
    settleAdSignals(state, 8, sink);
    expect(records).toEqual([]);
    settleAdSignals(state, 8.5, sink);
    expect(records).toEqual([{ type: "ads_in_view", t: 8.25, value: 1 }]);
  });

  it("scrolling away drops it to 0 at the scroll time; scrolling within the slot keeps it", () => {
    const state = offScreenState();
    const { records, sink } = recorder();
    adSignalsOnScroll(state, -1, 0, 3.217, sink);
    settleAdSignals(state, 4.5, sink);
    adSignalsOnScroll(state, 0, 0, 5.1, sink); // still the same slot on screen
    settleAdSignals(state, 6.3, sink);
    adSignalsOnScroll(state, 0, -1, 6.3, sink);
    expect(records).toEqual([
      { type: "ads_in_view", t: 4.217, value: 1 },
      { type: "ads_in_view", t: 6.3, value: 0 },
    ]);
    expect(state.adViewSince).toBe(-1);
  });

  it("a scroll at the very moment the second completes: viewable, then 0 at the same time", () => {
    const state = offScreenState();
    const { records, sink } = recorder();
    adSignalsOnScroll(state, -1, 0, 3.217, sink);
    settleAdSignals(state, 4.217, sink); // the process settles up to the action's time first
    adSignalsOnScroll(state, 0, -1, 4.217, sink);
    expect(records).toEqual([
      { type: "ads_in_view", t: 4.217, value: 1 },
      { type: "ads_in_view", t: 4.217, value: 0 },
    ]);
  });

  it("pointer: arrives 1 ms after the tick start (never before the previous record), leaves at adHoverUntil", () => {
    const state: UserState = { ...offScreenState(), t: 10, lastSignalTime: 4.217 };
    const { records, sink } = recorder();
    // A hover at 10.3 in the tick (10, 10.5]: 10.3 - 0.5 = 9.8 is before the tick start.
    expect(pointerArrival(state, 10.3, 10)).toBe(10.001);
    state.adHoverUntil = 16.3;
    pointerEntersAd(state, pointerArrival(state, 10.3, 10), sink);
    pointerEntersAd(state, 12.2, sink); // already on: no record
    for (let t = 10.5; t <= 16; t += 0.5) settleAdSignals(state, t, sink);
    expect(records).toEqual([{ type: "pointer_on_ad", t: 10.001, value: 1 }]);
    settleAdSignals(state, 16.5, sink);
    expect(records.at(-1)).toEqual({ type: "pointer_on_ad", t: 16.3, value: 0 });
    expect(state.pointerOnAd).toBe(false);
    // A record later in the tick holds the arrival back to it.
    expect(pointerArrival({ ...state, lastSignalTime: 20.2 }, 20.4, 20)).toBe(20.2);
  });

  it("pointer: leaves on blur and when its slot scrolls away, both at the action's time", () => {
    const { records, sink } = recorder();
    const state: UserState = { ...offScreenState(), depth: 0.3, pointerOnAd: true, adHoverUntil: 20, adViewSince: 3, adsInView: 1 };
    adSignalsOnBlur(state, 5.5, sink);
    expect(records).toEqual([
      { type: "ads_in_view", t: 5.5, value: 0 },
      { type: "pointer_on_ad", t: 5.5, value: 0 },
    ]);
    const other: UserState = { ...offScreenState(), depth: 0.3, pointerOnAd: true, adHoverUntil: 20, adViewSince: 3, adsInView: 1 };
    const second = recorder();
    adSignalsOnScroll(other, 0, -1, 7.01, second.sink);
    expect(second.records.map((r) => [r.type, r.t, r.value])).toEqual([
      ["ads_in_view", 7.01, 0],
      ["pointer_on_ad", 7.01, 0],
    ]);
    pointerLeavesAd(other, 8, second.sink); // already off: no record
    expect(second.records).toHaveLength(2);
  });

  it("a timeout before a completion in the same settle comes out first (time order)", () => {
    const { records, sink } = recorder();
    const state: UserState = { ...offScreenState(), depth: 0.3, pointerOnAd: true, adHoverUntil: 4.1, adViewSince: 3.217 };
    settleAdSignals(state, 4.5, sink);
    expect(records).toEqual([
      { type: "pointer_on_ad", t: 4.1, value: 0 },
      { type: "ads_in_view", t: 4.217, value: 1 },
    ]);
  });

  it("a slot on screen at page load is viewable at 1 s", () => {
    expect(initialUserState([0.05]).adViewSince).toBe(0);
    expect(initialUserState([0.3]).adViewSince).toBe(-1);
  });
});

// ---------------------------------------------------------------------------------------------
// The process: records against an independent reading of the rules, on thousands of sessions.

const ms = (t: number): number => Math.round(t * 1000);

/**
 * ads_in_view records by the tracker's rule, from the observed actions and the layout alone:
 * the slot within 0.08 of the scroll depth is on screen; it becomes viewable 1 s after it came
 * on screen (or focus returned), if neither a blur nor a scroll to another slot came first, a
 * change at the completion moment itself coming after it.
 */
function expectedAdsInView(events: readonly InteractionEvent[], slots: readonly number[]): [number, number][] {
  const slotAt = (d: number): number => slots.findIndex((s) => Math.abs(d - s) <= 0.08);
  const out: [number, number][] = [];
  let slot = slotAt(0);
  let since = slot >= 0 ? 0 : -1; // ms
  let viewable = false;
  for (const e of events) {
    if (e.type === "wait") continue;
    if (since >= 0 && !viewable && since + 1000 <= ms(e.t)) {
      out.push([since + 1000, 1]);
      viewable = true;
    }
    if (e.type === "close_tab") break;
    if (e.type === "scroll_down" || e.type === "scroll_up") {
      const next = slotAt(e.depth ?? 0);
      if (next !== slot) {
        if (viewable) out.push([ms(e.t), 0]);
        viewable = false;
        since = next >= 0 ? ms(e.t) : -1;
      }
      slot = next;
    } else if (e.type === "blur_window") {
      if (viewable) out.push([ms(e.t), 0]);
      viewable = false;
      since = -1;
    } else if (e.type === "focus_window") {
      since = slot >= 0 ? ms(e.t) : -1;
    }
  }
  return out;
}

/** Value of `type` just before `t` (left limit) and at `t` (records at t applied in order). */
function valuesAround(signals: readonly AdSignal[], type: AdSignal["type"], t: number): [number, number] {
  let before = 0;
  let at = 0;
  for (const r of signals) {
    if (r.type !== type || r.t > t) continue;
    if (r.t < t) before = r.value;
    at = r.value;
  }
  return [before, at];
}

const tickStartOf = (t: number): number => Math.ceil(t * 2) / 2 - 0.5;

describe("ad signals of generated sessions (2,000 sessions)", () => {
  const generated = Array.from({ length: 2000 }, (() => {
    const generator = new SyntheticGenerator(31);
    return () => generator.next();
  })());

  it("are non-decreasing in time, valid, and each record changes its signal's value", () => {
    for (const { session } of generated) {
      const signals = session.adSignals ?? [];
      expect(Array.isArray(session.adSignals)).toBe(true);
      const end = session.events[session.events.length - 1].t;
      const current = { ads_in_view: 0, pointer_on_ad: 0 };
      let last = 0;
      for (const r of signals) {
        if (!(r.t >= last && r.t <= end && (r.value === 0 || r.value === 1) && r.value !== current[r.type] && ms(r.t) / 1000 === r.t)) {
          expect.fail(`${session.id}: bad record ${JSON.stringify(r)} after t = ${last} (end ${end})`);
        }
        current[r.type] = r.value;
        last = r.t;
      }
    }
  });

  it("ads_in_view follows the viewability rule exactly (independent reconstruction from events and layout)", () => {
    let records = 0;
    for (const { session, params } of generated) {
      const actual = (session.adSignals ?? []).filter((r) => r.type === "ads_in_view").map((r): [number, number] => [ms(r.t), r.value]);
      const expected = expectedAdsInView(session.events, params.adSlotDepths ?? []);
      if (JSON.stringify(actual) !== JSON.stringify(expected)) expect(actual, session.id).toEqual(expected);
      records += actual.length;
    }
    expect(records).toBeGreaterThan(10_000); // the rule was exercised, not vacuous
  });

  it("pointer_on_ad: enters in the tick of a hover or click_ad, is on the ad right before every click_ad, off at every blur, rests at most 6 s past a hover", () => {
    let entries = 0;
    for (const { session } of generated) {
      const signals = session.adSignals ?? [];
      const observed = session.events.filter((e) => e.type !== "wait");
      for (const [i, r] of signals.entries()) {
        if (r.type !== "pointer_on_ad" || r.value !== 1) continue;
        entries++;
        const cause = observed.find((e) => e.t >= r.t);
        const ok = cause !== undefined && (cause.type === "hover" || cause.type === "click_ad") && tickStartOf(cause.t) < r.t;
        if (!ok) expect.fail(`${session.id}: pointer entry at ${r.t} not followed in its tick by a hover or click_ad (${JSON.stringify(cause)})`);
        const leave = signals.slice(i + 1).find((s) => s.type === "pointer_on_ad");
        const leftAt = leave?.t ?? session.events[session.events.length - 1].t;
        // Each ad hover keeps it there for at most 6 s more; a click_ad ends the rest at once.
        const lastHover = observed.filter((e) => (e.type === "hover" || e.type === "click_ad") && e.t <= leftAt).at(-1);
        if (lastHover === undefined || ms(leftAt) - ms(lastHover.t) > 6000) {
          expect.fail(`${session.id}: pointer rested on an ad from ${r.t} to ${leftAt}, last hover ${JSON.stringify(lastHover)}`);
        }
      }
      for (const e of observed) {
        if (e.type === "click_ad") {
          const [before, at] = valuesAround(signals, "pointer_on_ad", e.t);
          if (before !== 1 && !signals.some((r) => r.type === "pointer_on_ad" && r.t === e.t && r.value === 1)) {
            expect.fail(`${session.id}: click_ad at ${e.t} without the pointer on the ad`);
          }
          expect(at).toBe(0);
        } else if (e.type === "blur_window") {
          expect(valuesAround(signals, "pointer_on_ad", e.t)[1]).toBe(0);
          expect(valuesAround(signals, "ads_in_view", e.t)[1]).toBe(0);
        }
      }
    }
    expect(entries).toBeGreaterThan(3000);
  });

  it("keeps the positive rate within 4-8 % of eligible windows", () => {
    let windows = 0;
    let positives = 0;
    for (const { session } of generated) {
      const labelled = labelledWindows(session);
      windows += labelled.length;
      positives += labelled.filter((w) => w.label === 1).length;
    }
    expect(windows).toBeGreaterThan(30_000);
    expect(positives / windows).toBeGreaterThan(0.04);
    expect(positives / windows).toBeLessThan(0.08);
  });

  it("are byte-identical for the same seed", () => {
    const again = new SyntheticGenerator(31);
    for (let i = 0; i < 200; i++) expect(JSON.stringify(again.next())).toBe(JSON.stringify(generated[i]));
    const other = new SyntheticGenerator(32).next();
    expect(JSON.stringify(other.session.adSignals)).not.toBe(JSON.stringify(generated[0].session.adSignals));
  });
});

describe("snapshots carry the ad signal state", () => {
  /** Runs `state` to `until` with `rng`, collecting actions and signals. */
  function roll(params: UserParameters, state: UserState, rng: SeededRandom, until: number): { events: InteractionEvent[]; signals: AdSignal[] } {
    const events: InteractionEvent[] = [];
    const signals: AdSignal[] = [];
    advanceUser(params, state, rng, until, (e) => events.push(e), (r) => signals.push(r));
    return { events, signals };
  }

  it("a snapshot taken mid-view or mid-rest continues exactly like the original run, for the same stream", () => {
    let midView = 0;
    let midRest = 0;
    const generator = new SyntheticGenerator(8, { snapshotEvery: 10 });
    for (let i = 0; i < 400 && (midView < 20 || midRest < 20); i++) {
      const { params, snapshots, session } = generator.next();
      for (const { t, state } of snapshots ?? []) {
        const pendingView = state.adViewSince >= 0 && state.adsInView === 0;
        if (!pendingView && !state.pointerOnAd) continue;
        if (pendingView) midView++;
        if (state.pointerOnAd) midRest++;
        // The snapshot agrees with the session's records up to t ...
        expect(valuesAround(session.adSignals ?? [], "ads_in_view", t)[1]).toBe(state.adsInView);
        expect(valuesAround(session.adSignals ?? [], "pointer_on_ad", t)[1]).toBe(state.pointerOnAd ? 1 : 0);
        // ... and a spread copy (as the oracle takes it) or a JSON copy continues like the original.
        const frozen = JSON.stringify(state);
        const original = roll(params, structuredClone(state), new SeededRandom(77).fork(i), t + 30);
        const spread = roll(params, { ...state }, new SeededRandom(77).fork(i), t + 30);
        const json = roll(params, JSON.parse(frozen) as UserState, new SeededRandom(77).fork(i), t + 30);
        expect(spread).toEqual(original);
        expect(json).toEqual(original);
        expect(JSON.stringify(state)).toBe(frozen);
        if (pendingView) {
          // Unless an action ends the view first, it completes at adViewSince + 1 s.
          const completion = ms(state.adViewSince) + 1000;
          const first = original.signals.find((r) => r.type === "ads_in_view");
          const ender = original.events.find((e) => ms(e.t) < completion && (e.type === "blur_window" || e.type === "scroll_down" || e.type === "scroll_up"));
          if (ender === undefined) expect(first).toEqual({ type: "ads_in_view", t: completion / 1000, value: 1 });
        }
      }
    }
    expect(midView).toBeGreaterThanOrEqual(20);
    expect(midRest).toBeGreaterThanOrEqual(20);
  });
});
