// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createLivePrediction } from "../../src/tracker/liveClickPrediction.js";
import { InteractionTracker, type ConsentState, type InteractionTrackerOptions } from "../../src/tracker/interactionTracker.js";
import { brief, buildPage, click, makeScrollable, scrollTo } from "./trackerHarness.js";

// The consent state machine (docs/privacy.md, "Consent and Global Privacy Control") on happy-dom
// with fake timers; the real-browser checks (listeners counted, GPC) are in
// consent.chromium.test.ts.

let trackers: InteractionTracker[] = [];

/** A tracker on the fake clock (t = fake ms / 1000), counting the listeners it adds to the window and document. */
function setUp(options: InteractionTrackerOptions = {}) {
  vi.useFakeTimers();
  const origin = Date.now();
  const added = { count: 0 };
  for (const target of [window, document] as EventTarget[]) {
    const original = target.addEventListener.bind(target);
    vi.spyOn(target, "addEventListener").mockImplementation((...args: Parameters<EventTarget["addEventListener"]>) => {
      added.count++;
      original(...args);
    });
  }
  const tracker = new InteractionTracker({ now: () => Date.now() - origin, window, adSignals: false, ...options });
  trackers.push(tracker);
  return { tracker, added, advance: (ms: number) => vi.advanceTimersByTime(ms) };
}

/** Some activity: a scroll gesture and a click, 1 s apart. */
function act(advance: (ms: number) => void): void {
  scrollTo(300);
  advance(300);
  click(buildPage().paragraph);
  advance(700);
}

const setGpc = (value: unknown) => Object.defineProperty(navigator, "globalPrivacyControl", { configurable: true, get: () => value });

beforeEach(() => {
  makeScrollable();
});

afterEach(() => {
  for (const tracker of trackers) tracker.stop();
  trackers = [];
  vi.useRealTimers();
  vi.restoreAllMocks();
  delete (navigator as unknown as Record<string, unknown>).globalPrivacyControl;
  document.body.innerHTML = "";
  document.documentElement.scrollTop = 0;
});

describe("consent state machine", () => {
  it('defaults to "granted": start() observes at once (unchanged behaviour)', () => {
    const { tracker, added, advance } = setUp();
    expect(tracker.consent).toBe("granted");
    expect(tracker.start()).toBe(true);
    expect(added.count).toBeGreaterThan(0);
    act(advance);
    expect(brief(tracker.getEvents()).map(([type]) => type)).toEqual(["scroll_down", "click"]);
  });

  it.each<ConsentState>(["pending", "denied"])('"%s": start() attaches nothing and records nothing, and returns false', (state) => {
    const { tracker, added, advance } = setUp({ consent: state });
    expect(tracker.start()).toBe(false);
    expect(tracker.isRunning).toBe(false);
    act(advance);
    advance(20_000);
    expect(added.count).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    expect(tracker.getEvents()).toEqual([]);
    expect(JSON.parse(tracker.exportSession("s"))).toEqual({ id: "s", events: [] });
  });

  it("pending, then granted: starts observing (t keeps counting from the first start()); granting before start() only allows it", () => {
    const { tracker, added, advance } = setUp({ consent: "pending" });
    tracker.setConsent("granted"); // not started: nothing attached yet
    expect(added.count).toBe(0);
    tracker.setConsent("pending");
    tracker.start();
    advance(5000);
    tracker.setConsent("granted");
    expect(tracker.isRunning).toBe(true);
    expect(added.count).toBeGreaterThan(0);
    act(advance);
    expect(brief(tracker.getEvents())).toEqual([
      ["scroll_down", 5, 0.3],
      ["click", 5.3],
    ]);
  });

  it.each<ConsentState>(["denied", "pending"])('revoking ("%s") removes every listener and timer and drops everything at once', (state) => {
    const { tracker, advance } = setUp();
    const removed = vi.spyOn(window, "removeEventListener");
    tracker.start();
    act(advance);
    advance(6000); // a wait
    expect(tracker.getEvents().length).toBe(3);
    tracker.setConsent(state);
    expect(tracker.consent).toBe(state);
    expect(tracker.isRunning).toBe(false);
    expect(removed).toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
    expect(tracker.getEvents()).toEqual([]);
    expect(tracker.getAdSignals()).toEqual([]);
    expect(JSON.parse(tracker.exportSession("s"))).toEqual({ id: "s", events: [] });
    expect(tracker.getStats()).toMatchObject({ retained: 0, logged: 0, droppedFromLog: 0 });
    expect(Object.values(tracker.getStats().counts).every((n) => n === 0)).toBe(true);
    // Nothing more is recorded while revoked.
    act(advance);
    advance(20_000);
    expect(tracker.getEvents()).toEqual([]);
  });

  it("granted again after a revocation: a new recording from an empty log (no wait from before), subscribers kept", () => {
    const { tracker, advance } = setUp();
    const seen: string[] = [];
    tracker.onEvent((event) => seen.push(event.type));
    tracker.start();
    act(advance);
    tracker.setConsent("denied");
    advance(10_000);
    tracker.setConsent("granted");
    expect(tracker.isRunning).toBe(true);
    advance(10_000); // no action yet since the grant: no wait
    expect(tracker.getEvents()).toEqual([]);
    click(buildPage().paragraph);
    expect(brief(tracker.getEvents())).toEqual([["click", 21]]);
    expect(seen).toEqual(["scroll_down", "click", "click"]);
  });

  it("stop() then granted: stays stopped (consent allows, start() starts)", () => {
    const { tracker, advance } = setUp({ consent: "pending" });
    tracker.start();
    tracker.stop();
    tracker.setConsent("granted");
    expect(tracker.isRunning).toBe(false);
    act(advance);
    expect(tracker.getEvents()).toEqual([]);
    expect(tracker.start()).toBe(true);
  });

  it('an unknown consent value counts as "denied" (fail closed), never throws', () => {
    const { tracker } = setUp({ consent: "yes" as unknown as ConsentState });
    expect(tracker.consent).toBe("denied");
    expect(tracker.start()).toBe(false);
    expect(() => tracker.setConsent(undefined as unknown as ConsentState)).not.toThrow();
    expect(tracker.consent).toBe("denied");
  });

  it("live prediction starts over when consent is withdrawn: the snapshot resets", () => {
    const { tracker, advance } = setUp();
    tracker.start();
    const live = createLivePrediction({ tracker, intervalMs: 0 });
    act(advance);
    expect(live.getSnapshot()?.eventCount).toBe(2);
    expect(live.getSnapshot()?.features.click_count).toBe(1);
    tracker.setConsent("denied");
    const snapshot = live.getSnapshot()!;
    expect(snapshot.eventCount).toBe(0);
    expect(snapshot.features.click_count).toBe(0);
    expect(snapshot.features.scroll_depth_max).toBe(0);
    expect(snapshot.adState).toEqual({ adsInView: 0, pointerOnAd: false });
    live.dispose();
  });
});

describe("Global Privacy Control", () => {
  it('navigator.globalPrivacyControl === true counts as "denied", even over an explicit "granted"', () => {
    setGpc(true);
    const { tracker, added, advance } = setUp({ consent: "granted" });
    expect(tracker.consent).toBe("denied");
    expect(tracker.start()).toBe(false);
    tracker.setConsent("granted");
    act(advance);
    expect(added.count).toBe(0);
    expect(tracker.getEvents()).toEqual([]);
  });

  it("honorGlobalPrivacyControl: false lets the site decide", () => {
    setGpc(true);
    const { tracker, advance } = setUp({ honorGlobalPrivacyControl: false });
    expect(tracker.consent).toBe("granted");
    expect(tracker.start()).toBe(true);
    act(advance);
    expect(tracker.getEvents().length).toBe(2);
  });

  it.each([false, undefined, "true", 1])("globalPrivacyControl %s is not a signal", (value) => {
    setGpc(value);
    const { tracker } = setUp();
    expect(tracker.consent).toBe("granted");
  });
});
