import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ActionType } from "../../src/core/actionTypes.js";
import type { InteractionEvent } from "../../src/core/interactionEvent.js";
import { PROFILE_NAMES } from "../../src/core/session.js";
import { BEHAVIOUR_PROFILES } from "../../src/generator/behaviourProfiles.js";
import { SeededRandom } from "../../src/random/seededRandom.js";
import { drawUserParameters } from "../../src/generator/userParameters.js";
import type { UserParameters } from "../../src/generator/userParameters.js";
import { advancePrepared, advanceUser, PreparedUser, TICK_SECONDS } from "../../src/generator/userProcess.js";
import { drawAdSlotDepths } from "../../src/generator/pageLayout.js";
import type { AdSignal } from "../../src/core/adSignal.js";
import { initialUserState } from "../../src/generator/userState.js";
import type { UserState } from "../../src/generator/userState.js";

/** A mid-range user; steady-state engagement is actionRate * 20 s = 6. */
const PARAMS: UserParameters = Object.freeze({
  profile: "careful_reader",
  targetSessionSeconds: 300,
  actionRate: 0.3,
  pauseProbability: 0.2,
  clickProbability: 0.1,
  adClickMultiplier: 1.5,
  scrollPattern: "gradual",
  maxSessionSeconds: 1800,
});

/** Focused at t = 100, depth 0.3 (no ad slot on screen), last action 1 s ago, average engagement. */
function baseState(overrides: Partial<UserState> = {}): UserState {
  return { ...initialUserState(), t: 100, depth: 0.3, lastActionTime: 99, engagement: 6, ...overrides };
}

const ROLL_OUTS = 3000;

interface FirstActions {
  share: (type: ActionType) => number;
  count: (type: ActionType) => number;
  /** Mean seconds to the first action, among roll-outs that had one. */
  meanDelay: number;
}

/** The first observed action of ROLL_OUTS roll-outs of at most `horizon` s from copies of `state`. */
function firstActions(state: UserState, horizon = 120, params: UserParameters = PARAMS, seed = 1): FirstActions {
  const root = new SeededRandom(seed);
  const counts = new Map<ActionType, number>();
  let delays = 0;
  let acted = 0;
  for (let i = 0; i < ROLL_OUTS; i++) {
    const s = structuredClone(state);
    const rng = root.fork(i);
    let first: InteractionEvent | undefined;
    const emit = (e: InteractionEvent): void => {
      first ??= e;
    };
    while (first === undefined && !s.closed && s.t < state.t + horizon) advanceUser(params, s, rng, s.t + TICK_SECONDS, emit);
    if (first !== undefined) {
      counts.set(first.type, (counts.get(first.type) ?? 0) + 1);
      delays += first.t - state.t;
      acted++;
    }
  }
  return {
    count: (type) => counts.get(type) ?? 0,
    share: (type) => (counts.get(type) ?? 0) / ROLL_OUTS,
    meanDelay: delays / Math.max(1, acted),
  };
}

/** Share of ROLL_OUTS roll-outs from copies of `state` with a `type` action within `horizon` s. */
function probabilityWithin(state: UserState, type: ActionType, horizon: number, params: UserParameters = PARAMS, seed = 2): number {
  const root = new SeededRandom(seed);
  let hits = 0;
  for (let i = 0; i < ROLL_OUTS; i++) {
    let hit = false;
    advanceUser(params, structuredClone(state), root.fork(i), state.t + horizon, (e) => {
      if (e.type === type) hit = true;
    });
    if (hit) hits++;
  }
  return hits / ROLL_OUTS;
}

/** Asserts p1 > p0 by more than 4 standard errors of the difference of two proportions. */
function expectHigher(p1: number, p0: number): void {
  const p = (p1 + p0) / 2;
  const se = Math.sqrt((2 * Math.max(p * (1 - p), 1 / ROLL_OUTS)) / ROLL_OUTS);
  expect(p1 - p0).toBeGreaterThan(4 * se);
}

function run(params: UserParameters, state: UserState, seed: number, cuts: number[]): InteractionEvent[] {
  const rng = new SeededRandom(seed);
  const events: InteractionEvent[] = [];
  for (const cut of cuts) advanceUser(params, state, rng, cut, (e) => events.push(e));
  return events;
}

describe("advanceUser", () => {
  it("gives the same events and final state whether advanced in chunks at multiples of 10 s or straight", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.constantFrom(...PROFILE_NAMES),
        fc.array(fc.integer({ min: 1, max: 90 }), { maxLength: 8 }),
        (seed, profile, cutTens) => {
          const params = drawUserParameters(BEHAVIOUR_PROFILES[profile], new SeededRandom(seed));
          const end = 900;
          const cuts = [...new Set(cutTens.map((k) => k * 10))].sort((a, b) => a - b);
          const straightState = initialUserState();
          const chunkedState = initialUserState();
          const straight = run(params, straightState, seed, [end]);
          const chunked = run(params, chunkedState, seed, [...cuts, end]);
          expect(chunked).toEqual(straight);
          expect(chunkedState).toEqual(straightState);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("stops at the last tick end before a non-tick untilT, so odd cuts are harmless too", () => {
    const params = drawUserParameters(BEHAVIOUR_PROFILES.click_happy, new SeededRandom(3));
    const a = initialUserState();
    const b = initialUserState();
    const straight = run(params, a, 77, [400]);
    const chunked = run(params, b, 77, [10.3, 10.3, 33.7, 250.25, 400]);
    expect(chunked).toEqual(straight);
    expect(b).toEqual(a);
    const c = initialUserState();
    run(params, c, 77, [10.3]);
    expect(c.t).toBe(10);
  });

  it("is Markov in (params, state): a JSON copy of the state continues exactly like the original", () => {
    const params = { ...PARAMS, scrollPattern: "erratic" as const };
    const state = initialUserState();
    run(params, state, 5, [120]);
    expect(state.closed).toBe(false);
    const copy = JSON.parse(JSON.stringify(state)) as UserState;
    expect(copy).toEqual(state);
    const a = run(params, state, 6, [600]);
    const b = run(params, copy, 6, [600]);
    expect(b).toEqual(a);
    expect(a.length).toBeGreaterThan(0);
  });

  it("emits observed actions only, inside (start, untilT], non-decreasing, with depth in [0, 1]", () => {
    for (let seed = 0; seed < 40; seed++) {
      const params = drawUserParameters(BEHAVIOUR_PROFILES[PROFILE_NAMES[seed % 6]], new SeededRandom(seed));
      const state = initialUserState();
      const events = run(params, state, seed, [200]);
      let last = 0;
      for (const e of events) {
        expect(e.type).not.toBe("wait");
        expect(e.t).toBeGreaterThan(0);
        expect(e.t).toBeLessThanOrEqual(200);
        expect(e.t).toBeGreaterThanOrEqual(last);
        expect(e.depth).toBeGreaterThanOrEqual(0);
        expect(e.depth).toBeLessThanOrEqual(1);
        last = e.t;
      }
    }
  });

  it("decides quiet ticks by its hazard bound without changing anything: same actions, signals, state and draws", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.constantFrom(...PROFILE_NAMES), (seed, profile) => {
        const params = { ...drawUserParameters(BEHAVIOUR_PROFILES[profile], new SeededRandom(seed)), adSlotDepths: drawAdSlotDepths(new SeededRandom((seed ^ 1) >>> 0)) };
        const session = (quietBound: boolean) => {
          const state = initialUserState(params.adSlotDepths);
          const rng = new SeededRandom(seed);
          const events: InteractionEvent[] = [];
          const signals: AdSignal[] = [];
          advancePrepared(new PreparedUser(params, { quietBound }), state, rng, Infinity, (e) => events.push(e), (r) => signals.push(r));
          return { state, events, signals, next: rng.uniform() };
        };
        expect(session(true)).toEqual(session(false));
      }),
      { numRuns: 150 },
    );
  });

  it("never goes past maxSessionSeconds", () => {
    const params = { ...PARAMS, targetSessionSeconds: 10_000, maxSessionSeconds: 50 };
    const state = initialUserState();
    const events = run(params, state, 1, [10_000]);
    expect(state.closed).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: "close_tab", t: 50 });
  });
});

describe("state dependence of the next action", () => {
  it("focus: a blurred user only comes back or leaves; a focused one scrolls, clicks, hovers", () => {
    const focused = firstActions(baseState());
    const blurred = firstActions(baseState({ focused: false }));
    for (const type of ["scroll_down", "scroll_up", "click", "hover", "click_ad", "blur_window"] as const) {
      expect(blurred.count(type)).toBe(0);
    }
    expect(blurred.share("focus_window")).toBeGreaterThan(0.8);
    expect(focused.count("focus_window")).toBe(0);
    expect(focused.share("scroll_down") + focused.share("scroll_up")).toBeGreaterThan(0.5);
  });

  it("focus: a user who left for an ad stays away longer", () => {
    const away = baseState({ focused: false });
    expectHigher(probabilityWithin(away, "focus_window", 10), probabilityWithin({ ...away, awayOnAd: true }, "focus_window", 10));
  });

  it("depth: no scroll_down at the bottom, no scroll_up at the top, leaving likelier at the bottom", () => {
    const late = { t: 400, lastActionTime: 399 }; // past the 300 s target, so leaving matters
    const top = firstActions(baseState({ ...late, depth: 0 }));
    const middle = firstActions(baseState({ ...late, depth: 0.3 }));
    const bottom = firstActions(baseState({ ...late, depth: 1 }));
    expect(top.count("scroll_up")).toBe(0);
    expect(bottom.count("scroll_down")).toBe(0);
    expect(top.share("scroll_down")).toBeGreaterThan(0.5);
    expect(bottom.share("scroll_up")).toBeGreaterThan(0.3);
    expectHigher(bottom.share("close_tab"), middle.share("close_tab"));
  });

  it("idle time: after a long idle the user returns with a scroll_down or leaves, more than after 1 s", () => {
    // Past the 300 s target, so that leaving is a real option.
    const fresh = firstActions(baseState({ t: 400, lastActionTime: 399 }));
    const idle = firstActions(baseState({ t: 400, lastActionTime: 340 }));
    expectHigher(idle.share("scroll_down"), fresh.share("scroll_down"));
    expectHigher(idle.share("close_tab"), fresh.share("close_tab"));
    expect(idle.meanDelay).toBeLessThan(fresh.meanDelay);
  });

  it("session length: the close hazard rises past the target length", () => {
    expectHigher(
      probabilityWithin(baseState({ t: 500, lastActionTime: 499 }), "close_tab", 30),
      probabilityWithin(baseState({ t: 100, lastActionTime: 99 }), "close_tab", 30),
    );
  });

  it("recent engagement: more recent actions mean faster next actions and more ad clicks", () => {
    const calm = baseState({ engagement: 0.5 });
    const busy = baseState({ engagement: 15 });
    expect(firstActions(busy).meanDelay).toBeLessThan(0.8 * firstActions(calm).meanDelay);
    const atAd = { depth: 0.45 };
    expectHigher(probabilityWithin({ ...busy, ...atAd }, "click_ad", 10), probabilityWithin({ ...calm, ...atAd }, "click_ad", 10));
  });

  it("reading pause: few actions while reading", () => {
    expect(firstActions(baseState({ readingUntil: 160 })).meanDelay).toBeGreaterThan(1.5 * firstActions(baseState()).meanDelay);
  });

  it("ad visibility: click_ad is likelier with an ad slot on screen", () => {
    expectHigher(probabilityWithin(baseState({ depth: 0.45 }), "click_ad", 30), probabilityWithin(baseState({ depth: 0.3 }), "click_ad", 30));
  });

  it("ad visibility follows the user's own layout (params.adSlotDepths), not the old fixed slots", () => {
    const params = { ...PARAMS, adSlotDepths: [0.3] };
    expectHigher(
      probabilityWithin(baseState({ depth: 0.3 }), "click_ad", 30, params),
      probabilityWithin(baseState({ depth: 0.45 }), "click_ad", 30, params),
    );
  });

  it("ad hover: the pointer resting on an ad raises the click_ad hazard for a few seconds", () => {
    const atAd = baseState({ depth: 0.45 });
    const hovering = probabilityWithin({ ...atAd, pointerOnAd: true, adHoverUntil: 106 }, "click_ad", 6);
    const notHovering = probabilityWithin(atAd, "click_ad", 6);
    expectHigher(hovering, notHovering);
    expect(hovering).toBeGreaterThan(3 * notHovering);
  });

  it("ad interest: recent ad hovers keep the click_ad hazard raised after the hover itself", () => {
    const atAd = baseState({ depth: 0.45 });
    expectHigher(probabilityWithin({ ...atAd, adInterest: 2 }, "click_ad", 30), probabilityWithin(atAd, "click_ad", 30));
  });

  it("ad history: past ad clicks raise the click_ad hazard", () => {
    const atAd = baseState({ depth: 0.45 });
    expectHigher(probabilityWithin({ ...atAd, adClicks: 3, lastAdClickTime: 50 }, "click_ad", 30), probabilityWithin(atAd, "click_ad", 30));
  });

  it("after a click_ad that opened a tab, the user blurs almost at once", () => {
    const pending = firstActions(baseState({ blurPending: true, adClicks: 1, lastAdClickTime: 99.5 }), 5);
    const normal = firstActions(baseState(), 5);
    expect(pending.share("blur_window")).toBeGreaterThan(0.85);
    expect(normal.share("blur_window")).toBeLessThan(0.1);
  });
});
