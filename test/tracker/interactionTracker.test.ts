// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ACTION_TYPES } from "../../src/core/actionTypes.js";
import { withWaits } from "../../src/core/waitRule.js";
import { parseSession } from "../../src/io/parseSession.js";
import { InteractionTracker } from "../../src/tracker/interactionTracker.js";
import { brief, buildPage, click, makeScrollable, pointerMove, scrollTo, setVisibility, startTracker, type Harness } from "./trackerHarness.js";

let harness: Harness | undefined;

/** Records every listener added to and removed from the window and the document, as `[target, type, handler, options]`. */
function spyOnListeners(): { added: unknown[][]; removed: unknown[][] } {
  const added: unknown[][] = [];
  const removed: unknown[][] = [];
  for (const target of [window, document] as EventTarget[]) {
    const add = target.addEventListener.bind(target);
    const remove = target.removeEventListener.bind(target);
    vi.spyOn(target, "addEventListener").mockImplementation((...args: Parameters<EventTarget["addEventListener"]>) => {
      added.push([target, ...args]);
      add(...args);
    });
    vi.spyOn(target, "removeEventListener").mockImplementation((...args: Parameters<EventTarget["removeEventListener"]>) => {
      removed.push([target, ...args]);
      remove(...args);
    });
  }
  return { added, removed };
}

function start(options: Parameters<typeof startTracker>[0] = {}): Harness {
  harness = startTracker(options);
  return harness;
}

beforeEach(() => {
  makeScrollable();
});

afterEach(() => {
  harness?.tracker.stop();
  harness = undefined;
  vi.useRealTimers();
  vi.restoreAllMocks();
  delete (document as unknown as Record<string, unknown>).visibilityState;
  document.body.innerHTML = "";
});

describe("scroll gestures", () => {
  it("coalesces a gesture until 200 ms of quiet: one event, direction from net movement, depth at the end", () => {
    const { events, advance } = start();
    advance(1000);
    scrollTo(100);
    advance(50);
    scrollTo(250);
    advance(150); // 150 ms of quiet: still the same gesture
    scrollTo(400);
    advance(199);
    expect(events).toEqual([]);
    advance(1);
    // t is the gesture's last scroll (1.2 s), depth = 400 / (1500 - 500)
    expect(brief(events)).toEqual([["scroll_down", 1.2, 0.4]]);

    scrollTo(500); // down a little, then back up past the start: net up
    advance(20);
    scrollTo(300);
    advance(200);
    expect(brief(events.slice(1))).toEqual([["scroll_up", 1.42, 0.3]]);
  });

  it("emits nothing for a gesture with zero net movement", () => {
    const { events, advance } = start();
    scrollTo(300);
    advance(50);
    scrollTo(0);
    advance(1000);
    expect(events).toEqual([]);
  });

  it.each([
    [400, 1000, 0.4],
    [1000, 1000, 1],
    [1300, 1000, 1], // overscroll is clamped
    [123, 999, 0.1231], // four decimals
  ])("depth of scrollTop %d with %d px of travel is %d", (top, max, depth) => {
    makeScrollable(max);
    const { events, advance } = start();
    scrollTo(top);
    advance(200);
    expect(events.map((e) => e.depth)).toEqual([depth]);
  });

  it("a non-scrolling action ends the pending gesture first, so times never go back", () => {
    const { page, events, advance } = { page: buildPage(), ...start() };
    advance(2000);
    scrollTo(200);
    advance(100);
    click(page.paragraph);
    advance(1000);
    expect(brief(events)).toEqual([
      ["scroll_down", 2, 0.2],
      ["click", 2.1],
    ]);
  });

  it("a burst of 10,000 scroll events is one gesture, and memory stays bounded", () => {
    const { tracker, events, advance } = start();
    for (let i = 1; i <= 10_000; i++) scrollTo(i % 2 === 0 ? 600 : 601);
    advance(200);
    expect(brief(events)).toEqual([["scroll_down", 0, 0.6]]);
    expect(vi.getTimerCount()).toBeLessThanOrEqual(2); // the wait timer (and no per-event timer)
    expect(tracker.getStats()).toMatchObject({ retained: 1, logged: 1 });
  });
});

describe("clicks", () => {
  it("is click_ad inside an element marked data-privads-ad, click anywhere else", () => {
    const page = buildPage();
    const { events, advance } = start();
    for (const target of [page.paragraph, page.span, page.link, page.button, page.ad, page.adText, page.adButton, document.body]) {
      advance(100);
      click(target);
    }
    expect(events.map((e) => e.type)).toEqual(["click", "click", "click", "click", "click_ad", "click_ad", "click_ad", "click"]);
    expect(events.map((e) => e.t)).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]);
  });
});

describe("hover", () => {
  it("fires after 500 ms of dwell on an interactive element, once per entry", () => {
    const page = buildPage();
    const { events, advance } = start();
    pointerMove(null, page.linkText); // onto the link (through its child)
    advance(499);
    expect(events).toEqual([]);
    advance(1);
    expect(brief(events)).toEqual([["hover", 0.5]]);
    pointerMove(page.linkText, page.link); // moving inside the same link is not a new entry
    advance(2000);
    expect(events).toHaveLength(1);
    pointerMove(page.link, page.paragraph); // leave, then come back: a new entry
    advance(100);
    pointerMove(page.paragraph, page.link);
    advance(500);
    expect(brief(events)).toEqual([
      ["hover", 0.5],
      ["hover", 3.1],
    ]);
  });

  it("leaving before 500 ms cancels; plain text never counts", () => {
    const page = buildPage();
    const { events, advance } = start();
    pointerMove(null, page.button);
    advance(300);
    pointerMove(page.button, page.paragraph);
    advance(5000);
    pointerMove(page.paragraph, null); // leaves the page
    expect(events.filter((e) => e.type === "hover")).toEqual([]);
  });

  it.each(["link", "button", "image", "roleButton", "input", "ad", "adText"] as const)("counts dwell on %s", (name) => {
    const page = buildPage();
    const { events, advance } = start();
    pointerMove(null, page[name]);
    advance(500);
    expect(events.map((e) => e.type)).toEqual(["hover"]);
  });

  it("moving from an ad onto the button inside it is a new entry (the innermost interactive element)", () => {
    const page = buildPage();
    const { events, advance } = start();
    pointerMove(null, page.adText);
    advance(400);
    pointerMove(page.adText, page.adButton);
    advance(400);
    expect(events).toEqual([]);
    advance(100);
    expect(brief(events)).toEqual([["hover", 0.9]]);
  });
});

describe("focus and visibility", () => {
  it("de-duplicates window blur/focus and visibilitychange so the stream alternates, starting focused", () => {
    const { events, advance } = start();
    window.dispatchEvent(new Event("focus")); // already focused: nothing
    advance(1000);
    window.dispatchEvent(new Event("blur"));
    setVisibility("hidden");
    advance(1000);
    window.dispatchEvent(new Event("blur"));
    setVisibility("visible");
    window.dispatchEvent(new Event("focus"));
    advance(500);
    setVisibility("hidden");
    advance(500);
    window.dispatchEvent(new Event("focus"));
    expect(brief(events)).toEqual([
      ["blur_window", 1],
      ["focus_window", 2],
      ["blur_window", 2.5],
      ["focus_window", 3],
    ]);
  });

  it("ignores focus events of elements (they do not target the window)", () => {
    const page = buildPage();
    const { events } = start();
    page.input.dispatchEvent(new FocusEvent("blur", { bubbles: false }));
    page.input.dispatchEvent(new FocusEvent("focusout", { bubbles: true }));
    expect(events).toEqual([]);
  });

  it("a page that starts hidden records blur_window at once", () => {
    Object.defineProperty(document, "visibilityState", { configurable: true, get: () => "hidden" });
    const { events } = start();
    expect(brief(events)).toEqual([["blur_window", 0]]);
  });
});

describe("wait (the shared rule)", () => {
  it("a 17 s pause yields waits at +5, +10, +15, emitted as time passes", () => {
    const page = buildPage();
    const { events, advance } = start();
    advance(1000);
    click(page.paragraph);
    advance(5000);
    expect(brief(events)).toEqual([["click", 1]]); // +5 s exactly: not yet (an action now would pre-empt it)
    advance(1);
    expect(brief(events)).toEqual([
      ["click", 1],
      ["wait", 6],
    ]);
    advance(11_999);
    click(page.paragraph);
    expect(brief(events)).toEqual([
      ["click", 1],
      ["wait", 6],
      ["wait", 11],
      ["wait", 16],
      ["click", 18],
    ]);
  });

  it("a pause of exactly 10 s yields exactly one wait, never one at the next action", () => {
    const page = buildPage();
    const { events, advance } = start();
    advance(500);
    click(page.paragraph);
    advance(10_000);
    click(page.button);
    expect(brief(events)).toEqual([
      ["click", 0.5],
      ["wait", 5.5],
      ["click", 10.5],
    ]);
  });

  it("catches up missed waits when timers were throttled, and matches withWaits on the observed actions", () => {
    const page = buildPage();
    const setTimeoutSpy = vi.fn(() => 0); // timers that never fire (a throttled background tab)
    const { events, advance } = start({ timers: { setTimeout: setTimeoutSpy, clearTimeout: () => {} } });
    click(page.paragraph);
    advance(23_400);
    scrollTo(500);
    advance(50); // the gesture's quiet timer never fires either; the next click ends it
    click(page.ad);
    const observed = events.filter((e) => e.type !== "wait");
    expect(events).toEqual(withWaits(observed));
    expect(brief(events)).toEqual([
      ["click", 0],
      ["wait", 5],
      ["wait", 10],
      ["wait", 15],
      ["wait", 20],
      ["scroll_down", 23.4, 0.5],
      ["click_ad", 23.45],
    ]);
  });

  it("has no waits before the first action", () => {
    const { events, advance } = start();
    advance(60_000);
    expect(events).toEqual([]);
  });
});

describe("close_tab", () => {
  it("pagehide records close_tab, which ends the session: no waits or actions after it", () => {
    const page = buildPage();
    const { tracker, events, advance } = start();
    advance(2000);
    click(page.paragraph);
    advance(3000);
    scrollTo(100); // a pending gesture is flushed before close_tab
    advance(10);
    window.dispatchEvent(new Event("pagehide"));
    advance(60_000);
    click(page.paragraph);
    window.dispatchEvent(new Event("blur"));
    expect(brief(events)).toEqual([
      ["click", 2],
      ["scroll_down", 5, 0.1],
      ["close_tab", 5.01],
    ]);
    expect(tracker.isClosed).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    expect(() => parseSession(JSON.parse(tracker.exportSession("s1")))).not.toThrow();
  });

  it("close_tab removes every listener at once; a later stop/start adds none", () => {
    vi.useFakeTimers();
    const { added, removed } = spyOnListeners();
    const tracker = new InteractionTracker({ window, now: () => Date.now() });
    tracker.start();
    window.dispatchEvent(new Event("pagehide"));
    expect(tracker.isClosed).toBe(true);
    expect(removed.map(([target, type, handler]) => [target, type, handler])).toEqual(added.map(([target, type, handler]) => [target, type, handler]));
    // 8 for the actions (scroll, focus, blur, visibilitychange, pagehide, click, mouseover, mouseout),
    // 3 for ads_in_view (visibilitychange, focus, blur), 5 for pointer_on_ad (those and pointerover/out)
    expect(removed).toHaveLength(16);
    tracker.stop();
    expect(tracker.start()).toBe(true);
    expect(added).toHaveLength(16);
    expect(vi.getTimerCount()).toBe(0);
    tracker.stop();
  });
});

describe("privacy", () => {
  it("records only type, t and depth: no text, element identity, coordinates or URL", () => {
    const page = buildPage();
    const { tracker, events, advance } = start();
    pointerMove(null, page.link);
    advance(600);
    page.link.dispatchEvent(new MouseEvent("click", { bubbles: true, clientX: 123, clientY: 456, screenX: 789, detail: 1 }));
    scrollTo(321);
    advance(300);
    page.input.dispatchEvent(new InputEvent("input", { bubbles: true, data: "typed secret" }));
    window.dispatchEvent(new Event("blur"));
    advance(6000);
    window.dispatchEvent(new Event("pagehide"));
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(["hover", "click", "scroll_down", "blur_window", "wait", "close_tab"]));
    for (const event of [...events, ...tracker.getEvents()]) {
      expect(Object.keys(event).every((key) => key === "type" || key === "t" || key === "depth")).toBe(true);
      expect(ACTION_TYPES).toContain(event.type);
    }
    const line = tracker.exportSession("session-1");
    for (const secret of ["secret", "example.com", "123", "456", "789", "link", "slot-1", "user=42"]) expect(line).not.toContain(secret);
    const exported = JSON.parse(line) as { adSignals: object[] };
    expect(Object.keys(exported)).toEqual(["id", "events", "adSignals"]);
    for (const signal of exported.adSignals) expect(Object.keys(signal)).toEqual(["type", "t", "value"]);
  });
});

describe("robustness", () => {
  it("catches a handler exception and logs it once with the [privads] prefix; the page never sees it", () => {
    const page = buildPage();
    const logger = { warn: vi.fn() };
    let broken = false;
    const { tracker } = start({
      logger,
      now: () => {
        if (broken) throw new Error("clock exploded");
        return Date.now();
      },
    });
    broken = true;
    expect(() => {
      click(page.paragraph);
      click(page.ad);
      scrollTo(10);
      window.dispatchEvent(new Event("blur"));
    }).not.toThrow();
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(String(logger.warn.mock.calls[0][0])).toMatch(/^\[privads\] /);
    expect(tracker.getStats().errors).toBeGreaterThanOrEqual(2);
  });

  it("a throwing subscriber is caught, logged once, and the others still receive events", () => {
    const page = buildPage();
    const logger = { warn: vi.fn() };
    const { tracker, events } = start({ logger });
    tracker.onEvent(() => {
      throw new Error("subscriber bug");
    });
    click(page.paragraph);
    click(page.paragraph);
    expect(events).toHaveLength(2);
    expect(logger.warn).toHaveBeenCalledTimes(1);
  });

  it("stop() removes every listener it added and every timer; start() twice adds nothing", () => {
    vi.useFakeTimers();
    const page = buildPage();
    const { added, removed } = spyOnListeners();
    const tracker = new InteractionTracker({ window, now: () => Date.now() });
    const seen: string[] = [];
    tracker.onEvent((e) => seen.push(e.type));
    expect(tracker.start()).toBe(true);
    expect(tracker.start()).toBe(true);
    expect(added).toHaveLength(16); // 8 for the actions, 8 for the two ad observers (as in close_tab above)
    for (const [, , , options] of added) expect(options).toMatchObject({ passive: true });
    click(page.paragraph); // arms the wait timer
    pointerMove(null, page.link); // arms the hover timer
    scrollTo(50); // arms the gesture timer
    expect(vi.getTimerCount()).toBe(3);
    tracker.stop();
    expect(removed).toHaveLength(16);
    expect(removed.map(([target, type, handler]) => [target, type, handler])).toEqual(added.map(([target, type, handler]) => [target, type, handler]));
    expect(vi.getTimerCount()).toBe(0);
    const count = seen.length;
    click(page.paragraph);
    window.dispatchEvent(new Event("blur"));
    vi.advanceTimersByTime(60_000);
    expect(seen).toHaveLength(count);
  });

  it("does nothing without a window (server rendering) and never throws", () => {
    const tracker = new InteractionTracker({ window: undefined, now: () => 0 });
    const saved = (globalThis as Record<string, unknown>).window;
    try {
      (globalThis as Record<string, unknown>).window = undefined;
      expect(tracker.start()).toBe(false);
      expect(tracker.isRunning).toBe(false);
      expect(tracker.downloadSession()).toBe(false);
      tracker.stop();
    } finally {
      (globalThis as Record<string, unknown>).window = saved;
    }
  });

  it("clamps bad options instead of throwing", () => {
    expect(() => new InteractionTracker({ scrollQuietMs: -5, hoverDwellMs: Number.NaN, maxLogEvents: 0, retainSeconds: Infinity })).not.toThrow();
    expect(() => new InteractionTracker(null as never)).not.toThrow();
  });
});

describe("memory and export", () => {
  it("keeps only the retained span for getEvents(), plus the state-carrying older events", () => {
    const page = buildPage();
    const { tracker, events, advance } = start({ retainSeconds: 150 });
    scrollTo(700);
    advance(300);
    window.dispatchEvent(new Event("blur"));
    for (let i = 0; i < 600; i++) {
      advance(1000);
      click(page.paragraph);
    }
    const kept = tracker.getEvents();
    expect(events.length).toBeGreaterThan(600);
    // the latest depth and focus events, then the last 150 s
    expect(brief(kept.slice(0, 2))).toEqual([
      ["scroll_down", 0, 0.7],
      ["blur_window", 0.3],
    ]);
    const tail = kept.slice(2);
    const last = events[events.length - 1].t;
    expect(tail[0].t).toBeGreaterThan(last - 150);
    expect(tail).toEqual(events.filter((e) => e.t > last - 150));
    expect(tracker.getStats().retained).toBe(tail.length);
  });

  it("exportSession is one Session line (docs/events.md); the log is capped with the oldest dropped and a flag", () => {
    const page = buildPage();
    const { tracker, events, advance } = start({ maxLogEvents: 5 });
    for (let i = 0; i < 8; i++) {
      advance(1000);
      click(i % 2 ? page.ad : page.paragraph);
    }
    const line = tracker.exportSession("abc");
    expect(line).not.toContain("\n");
    const parsed = JSON.parse(line);
    expect(parsed).toMatchObject({ id: "abc", truncated: true, droppedEvents: 3 });
    expect(parsed.events).toEqual(events.slice(3));
    expect(parseSession(parsed).events).toEqual(events.slice(3));
    expect(JSON.parse(tracker.exportSession()).id).toMatch(/^privads-/);
  });

  it("downloadSession offers the JSONL as a Blob without recording a click", async () => {
    const page = buildPage();
    const { tracker, events } = start();
    click(page.paragraph);
    const blobs: Blob[] = [];
    const create = vi.spyOn(URL, "createObjectURL").mockImplementation((blob) => {
      blobs.push(blob as Blob);
      return "blob:privads-test";
    });
    vi.spyOn(URL, "revokeObjectURL").mockImplementation(() => {});
    const clickSpy = vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      this.dispatchEvent(new MouseEvent("click", { bubbles: true }));
    });
    expect(tracker.downloadSession("mine.jsonl", "s-9")).toBe(true);
    expect(create).toHaveBeenCalledTimes(1);
    expect(clickSpy).toHaveBeenCalledTimes(1);
    expect(events.map((e) => e.type)).toEqual(["click"]);
    const text = await blobs[0].text();
    expect(text.endsWith("\n")).toBe(true);
    expect(JSON.parse(text)).toEqual({ id: "s-9", events: [{ type: "click", t: 0 }], adSignals: [] });
  });
});

describe("ad signals", () => {
  const pointerTo = (from: Element | null, to: Element | null) => {
    from?.dispatchEvent(new PointerEvent("pointerout", { bubbles: true, relatedTarget: to, pointerType: "mouse" }));
    to?.dispatchEvent(new PointerEvent("pointerover", { bubbles: true, relatedTarget: from, pointerType: "mouse" }));
  };

  it("records pointer_on_ad with the events' clock, drops it on blur, and exports the records", () => {
    const page = buildPage();
    const { tracker, advance } = start();
    const signals: Array<[string, number, number]> = [];
    tracker.onAdSignal((s) => signals.push([s.type, s.t, s.value]));
    advance(1200);
    pointerTo(page.paragraph, page.adText); // into the ad (a child of the slot)
    advance(800);
    pointerTo(page.adText, page.adButton); // still inside the same slot: no record
    advance(1000);
    pointerTo(page.adButton, page.link); // out
    advance(500);
    pointerTo(page.link, page.ad);
    advance(500);
    window.dispatchEvent(new Event("blur"));
    expect(signals).toEqual([
      ["pointer_on_ad", 1.2, 1],
      ["pointer_on_ad", 3, 0],
      ["pointer_on_ad", 3.5, 1],
      ["pointer_on_ad", 4, 0],
    ]);
    expect(tracker.getAdSignals().map((s) => [s.type, s.t, s.value])).toEqual(signals);
    const exported = JSON.parse(tracker.exportSession("s")) as { adSignals: unknown[] };
    expect(exported.adSignals).toEqual(signals.map(([type, t, value]) => ({ type, t, value })));
    expect(parseSession(exported).adSignals).toHaveLength(4);
  });

  it("touch pointers never set pointer_on_ad; adSignals: false observes no ads and exports none", () => {
    const page = buildPage();
    const { tracker } = startTracker();
    page.ad.dispatchEvent(new PointerEvent("pointerover", { bubbles: true, pointerType: "touch" }));
    expect(tracker.getAdSignals()).toEqual([]);
    tracker.stop();
    const off = startTracker({ adSignals: false }).tracker;
    pointerTo(page.paragraph, page.ad);
    expect(off.getAdSignals()).toEqual([]);
    expect(Object.keys(JSON.parse(off.exportSession("s")))).toEqual(["id", "events"]);
    off.stop();
  });
});
