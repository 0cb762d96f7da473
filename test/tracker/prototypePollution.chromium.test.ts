import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTrackerSite, type TrackerSite } from "./fixtures/trackerSite.js";
import type { Recording } from "./fixtures/trackerPage.js";

// A host page may add properties to Object.prototype (a bad polyfill, a prototype-pollution
// bug). The SDK reads only its own properties of the objects it makes and is given
// (docs/privacy.md, "A hostile or broken host page"): with any of these set, the same scripted
// session records exactly what it records on a clean page.

let site: TrackerSite;
let clean: Recording;

beforeAll(async () => {
  site = await startTrackerSite();
  const { page, pageErrors } = await site.open();
  clean = await page.evaluate(() => window.trackerTest.run());
  expect(pageErrors).toEqual([]);
  await page.close();
});

afterAll(async () => {
  await site?.close();
});

/** `Object.prototype[key] = value` for each entry, as page script before the SDK loads. */
const pollute = (assignments: string): string => `(() => { const p = Object.prototype; ${assignments} })();`;

const CASES: Array<[string, string]> = [
  ["listener options: once", "p.once = true;"],
  ["listener options: an aborted signal", "p.signal = AbortSignal.abort();"],
  ["listener options: capture, not passive", "p.capture = true; p.passive = false;"],
  ["records: depth and value", "p.depth = 0.5; p.value = 7;"],
  ["observer options: rootMargin, threshold, subtree", 'p.rootMargin = "-40%"; p.threshold = [1]; p.characterData = true;'],
  ["a slot's state: an inherited accessor for timer", 'Object.defineProperty(p, "timer", { __proto__: null, configurable: true, get: () => 1, set() {} });'],
  [
    "tracker options",
    'p.adSignals = false; p.scrollQuietMs = 5000; p.hoverDwellMs = 0; p.retainSeconds = 1; p.maxLogEvents = 1; p.timeOrigin = 1e6; p.intervalMs = 50; p.consent = "denied"; p.logger = {};',
  ],
];

describe("prototype pollution by the host page does not change what the tracker records (Chromium)", () => {
  it("the clean run records every action type and both ad signals", () => {
    const types = new Set((clean.events as Array<{ type: string }>).map((e) => e.type));
    expect([...types].sort()).toEqual(["blur_window", "click", "click_ad", "close_tab", "focus_window", "hover", "scroll_down", "scroll_up", "wait"]);
    const signals = new Set((clean.adSignals as Array<{ type: string; value: number }>).map((s) => `${s.type}=${s.value}`));
    expect([...signals].sort()).toEqual(["ads_in_view=0", "ads_in_view=1", "pointer_on_ad=0", "pointer_on_ad=1"]);
    expect((clean.snapshot as { features: Record<string, number> }).features.scroll_depth_max).toBeGreaterThan(0);
  });

  it.each([...CASES, ["all at once", CASES.map(([, code]) => code).join(" ")]])("%s", async (_, code) => {
    const { page, pageErrors } = await site.open(pollute(code));
    const polluted = await page.evaluate(() => window.trackerTest.run());
    expect(polluted).toEqual(clean);
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
