import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTrackerSite, type TrackerSite } from "./fixtures/trackerSite.js";

// Consent and Global Privacy Control in a real Chromium (docs/privacy.md, "Consent and Global
// Privacy Control"): the listeners and observers the SDK attaches are counted by an init script
// that wraps addEventListener and the observers' observe() before the SDK loads.

let site: TrackerSite;

beforeAll(async () => {
  site = await startTrackerSite();
});

afterAll(async () => {
  await site?.close();
});

/** The browser sends Global Privacy Control (as Firefox, Brave or an extension would). */
const GPC_ON = `Object.defineProperty(Navigator.prototype, "globalPrivacyControl", { configurable: true, get: () => true });`;

type Attached = { listeners: number; observers: number };

describe("consent in Chromium", () => {
  it("pending: nothing attached and nothing recorded through a whole session; granting starts tracking", async () => {
    const { page, pageErrors } = await site.open();
    const result = await page.evaluate(async () => {
      const attached = (window as unknown as { __attached: Attached }).__attached;
      const before = { ...attached };
      const { clock, tracker, live } = window.trackerTest.setUp({ consent: "pending" });
      const started = tracker.start();
      await window.trackerTest.session(clock, 5);
      const whilePending = { started, running: tracker.isRunning, attached: { ...attached }, recording: window.trackerTest.record(tracker, live), timers: clock.pending() };
      tracker.setConsent("granted");
      const afterGrant = { ...attached };
      await window.trackerTest.slotReported(clock);
      clock.advance(1500);
      document.getElementById("text")!.click();
      clock.advance(100);
      return { before, whilePending, afterGrant, running: tracker.isRunning, granted: window.trackerTest.record(tracker, live) };
    });
    expect(result.whilePending.started).toBe(false);
    expect(result.whilePending.running).toBe(false);
    expect(result.whilePending.attached).toEqual(result.before);
    expect(result.whilePending.timers).toBe(0);
    expect(result.whilePending.recording.events).toEqual([]);
    expect(result.whilePending.recording.adSignals).toEqual([]);
    expect(JSON.parse(result.whilePending.recording.exported)).toEqual({ id: "run", events: [] });
    // Granted: the 8 action listeners and the ad observers' own, an IntersectionObserver and a MutationObserver.
    expect(result.running).toBe(true);
    expect(result.afterGrant.listeners - result.before.listeners).toBeGreaterThanOrEqual(8);
    expect(result.afterGrant.observers - result.before.observers).toBeGreaterThanOrEqual(2);
    expect((result.granted.events as Array<{ type: string }>).map((e) => e.type)).toEqual(["click"]);
    expect(result.granted.adSignals).toEqual([{ type: "ads_in_view", t: 25, value: 1 }]); // granted at t = 24, one viewable second later
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it("denied from the start: nothing attached, nothing recorded", async () => {
    const { page, pageErrors } = await site.open();
    const result = await page.evaluate(async () => {
      const attached = (window as unknown as { __attached: Attached }).__attached;
      const before = { ...attached };
      const { clock, tracker, live } = window.trackerTest.setUp({ consent: "denied" });
      tracker.start();
      await window.trackerTest.session(clock, 5);
      return { before, after: { ...attached }, recording: window.trackerTest.record(tracker, live) };
    });
    expect(result.after).toEqual(result.before);
    expect(result.recording.events).toEqual([]);
    expect(result.recording.adSignals).toEqual([]);
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it("revoking mid-session empties every buffer at once and resets the live snapshot; nothing more is recorded", async () => {
    const { page, pageErrors } = await site.open();
    const result = await page.evaluate(async () => {
      const { clock, tracker, live } = window.trackerTest.setUp();
      tracker.start();
      await window.trackerTest.slotReported(clock);
      clock.advance(1200);
      document.getElementById("text")!.click();
      clock.advance(300);
      document.getElementById("ad")!.dispatchEvent(new PointerEvent("pointerover", { bubbles: true, pointerType: "mouse" }));
      clock.advance(300);
      const before = window.trackerTest.record(tracker, live);
      tracker.setConsent("denied");
      const revoked = window.trackerTest.record(tracker, live);
      const timersAfterRevoke = clock.pending();
      // The page goes on: nothing is observed any more.
      document.getElementById("text")!.click();
      document.getElementById("ad-button")!.click();
      clock.advance(20_000);
      return { before, revoked, timersAfterRevoke, later: window.trackerTest.record(tracker, live), consent: tracker.consent };
    });
    expect((result.before.events as unknown[]).length).toBe(1);
    expect((result.before.adSignals as unknown[]).length).toBe(2); // ads_in_view 1, pointer_on_ad 1
    expect(result.before.snapshot).toMatchObject({ eventCount: 1, adState: { adsInView: 1, pointerOnAd: true } });
    expect(result.consent).toBe("denied");
    for (const state of [result.revoked, result.later]) {
      expect(state.events).toEqual([]);
      expect(state.adSignals).toEqual([]);
      expect(JSON.parse(state.exported)).toEqual({ id: "run", events: [] });
      expect(state.stats).toMatchObject({ retained: 0, logged: 0, retainedAdSignals: 0, loggedAdSignals: 0 });
      expect(state.snapshot).toMatchObject({ eventCount: 0, adState: { adsInView: 0, pointerOnAd: false } });
      const features = (state.snapshot as { features: Record<string, number> }).features;
      expect([features.click_count, features.ads_in_view, features.pointer_on_ad, features.ad_views_started]).toEqual([0, 0, 0, 0]);
    }
    expect(result.timersAfterRevoke).toBe(0);
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it("Global Privacy Control is honoured by default (nothing attached), and a site can override it", async () => {
    const { page, pageErrors } = await site.open(GPC_ON);
    const result = await page.evaluate(async () => {
      const attached = (window as unknown as { __attached: Attached }).__attached;
      const before = { ...attached };
      const honoured = window.trackerTest.setUp({ consent: "granted" });
      honoured.tracker.start();
      honoured.tracker.setConsent("granted");
      await window.trackerTest.session(honoured.clock, 5);
      const withGpc = { consent: honoured.tracker.consent, attached: { ...attached }, recording: window.trackerTest.record(honoured.tracker, honoured.live) };
      const overridden = await window.trackerTest.run({ honorGlobalPrivacyControl: false });
      return { before, withGpc, overridden };
    });
    expect(result.withGpc.consent).toBe("denied");
    expect(result.withGpc.attached).toEqual(result.before);
    expect(result.withGpc.recording.events).toEqual([]);
    expect(result.overridden.events.length).toBeGreaterThan(5);
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
