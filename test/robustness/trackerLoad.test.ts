import { build } from "esbuild";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CDPSession, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStaticServer, type StaticServer } from "../../src/node/staticServer.js";
import type * as LoadBundle from "./loadEntry.js";
import type { ManualClock } from "../support/manualClock.js";
import { REPO_ROOT, watchPage } from "../e2e/browserHarness.js";
import { launchChromium, type LaunchedChromium } from "../support/chromium.js";

// The tracker in a real Chromium under floods of events, on an injected clock and injected
// timers (so 10 s of 10,000 scroll events per second run in well under a real second).

let dir: string;
let server: StaticServer;
let browser: LaunchedChromium;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "privads-load-"));
  const result = await build({
    absWorkingDir: REPO_ROOT,
    entryPoints: ["./test/robustness/loadEntry.ts"],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2020",
    write: false,
    external: ["onnxruntime-web", "onnxruntime-web/wasm"],
    logLevel: "silent",
  });
  await writeFile(join(dir, "privads.js"), result.outputFiles[0].contents);
  await writeFile(
    join(dir, "index.html"),
    `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>load</title><div style="height:20000px">tall page</div>
<script type="module">import * as privads from "./privads.js"; window.__privads = privads;</script>`,
  );
  server = await startStaticServer({ root: dir, host: "127.0.0.1" });
  browser = await launchChromium();
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** JS heap in use after a full garbage collection (CDP), bytes. */
async function heapAfterGc(cdp: CDPSession): Promise<number> {
  await cdp.send("HeapProfiler.collectGarbage");
  return (await cdp.send("Runtime.getHeapUsage")).usedSize;
}

async function openPage(): Promise<{ page: Page; cdp: CDPSession; watch: ReturnType<typeof watchPage> }> {
  const page = await browser.context.newPage();
  const watch = watchPage(page, new URL(server.url).origin);
  await page.goto(server.url);
  await page.waitForFunction(() => "__privads" in window);
  // A manual clock and timers shared by the tracker and live prediction (test/support/manualClock.ts).
  await page.evaluate(() => {
    const g = window as unknown as { __privads: Mod };
    Object.assign(window, { __fake: g.__privads.manualClock() });
  });
  return { page, cdp: await page.context().newCDPSession(page), watch };
}

type Mod = typeof LoadBundle;
type Fake = ManualClock;
type PageGlobals = { __privads: Mod; __fake: Fake; __run: Record<string, unknown> };

describe("the tracker under load (Chromium)", () => {
  it("100,000 scroll events at 10,000 per second for 10 s: bounded memory, cheap per event, no errors", async () => {
    const { page, cdp, watch } = await openPage();
    // Start the tracker (plus a live extractor) and warm up before the first heap reading.
    await page.evaluate(() => {
      const g = window as unknown as PageGlobals;
      const { InteractionTracker, SlidingWindowExtractor } = g.__privads;
      const tracker = new InteractionTracker({ now: g.__fake.now, timers: g.__fake.timers });
      tracker.start();
      const extractor = new SlidingWindowExtractor();
      tracker.onEvent((event) => extractor.push(event));
      const scroll = new Event("scroll");
      const fire = () => window.dispatchEvent(scroll);
      for (let i = 0; i < 2000; i++) fire(); // JIT warm-up: part of the first gesture
      g.__run = { tracker, extractor, fire };
    });
    const heapBefore = await heapAfterGc(cdp);
    const measured = await page.evaluate(() => {
      const g = window as unknown as PageGlobals;
      const { tracker, fire } = g.__run as { tracker: InstanceType<Mod["InteractionTracker"]>; fire: () => void };
      const root = document.scrollingElement!;
      const perEvent: number[] = [];
      const baseline: number[] = [];
      const plain = new Event("ping");
      const noop = () => {};
      window.addEventListener("ping", noop, { passive: true }); // the browser's own dispatch cost, same shape
      for (let second = 0; second < 10; second++) {
        root.scrollTop = second % 2 === 0 ? 1000 + second * 500 : 200; // alternate direction per second
        for (let batch = 0; batch < 10; batch++) {
          let t0 = performance.now();
          for (let i = 0; i < 1000; i++) {
            g.__fake.advance(0.1); // 10,000 events per second
            fire();
          }
          perEvent.push(((performance.now() - t0) * 1000) / 1000);
          t0 = performance.now();
          for (let i = 0; i < 1000; i++) window.dispatchEvent(plain);
          baseline.push(((performance.now() - t0) * 1000) / 1000);
        }
        g.__fake.advance(300); // 300 ms of quiet ends the gesture
      }
      window.removeEventListener("ping", noop);
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
      return { median: median(perEvent), baseline: median(baseline), stats: tracker.getStats(), pendingTimers: g.__fake.pending(), events: tracker.getEvents() };
    });
    const heapAfter = await heapAfterGc(cdp);
    console.log(
      `[robustness] scroll flood: 100,000 events (+2,000 warm-up) in 10 s of fake time; per event median ${measured.median.toFixed(3)} us ` +
        `(bare dispatch ${measured.baseline.toFixed(3)} us, tracker ~${(measured.median - measured.baseline).toFixed(3)} us); ` +
        `JS heap after GC ${(heapBefore / 1024).toFixed(0)} KB -> ${(heapAfter / 1024).toFixed(0)} KB; retained ${measured.stats.retained}, logged ${measured.stats.logged}`,
    );
    // One gesture per second (10 s, direction alternating), nothing per raw scroll event.
    const scrolls = measured.events.filter((e) => e.type.startsWith("scroll_"));
    expect(scrolls.map((e) => e.type)).toEqual(["scroll_down", "scroll_up", "scroll_down", "scroll_up", "scroll_down", "scroll_up", "scroll_down", "scroll_up", "scroll_down", "scroll_up"]);
    expect(measured.stats.retained).toBe(measured.events.length);
    expect(measured.stats.retained).toBeLessThanOrEqual(20); // 10 gestures and a few waits, not 100,000
    expect(measured.stats.errors).toBe(0);
    expect(measured.pendingTimers).toBeLessThanOrEqual(2); // the wait wake-up and at most one gesture timer
    expect(heapAfter - heapBefore).toBeLessThan(1024 * 1024); // bounded: far less than 100,000 of anything
    expect(measured.median - measured.baseline).toBeLessThan(10); // generous: a few tenths of a us expected
    expect(watch.consoleErrors).toEqual([]);
    expect(watch.foreignRequests).toEqual([]);
    await page.close();
  }, 30_000);

  it("rapid focus/blur toggling: 60,000 toggles at 100 Hz keep exactly 150 s of events and a 50,000-event log; 1 kHz toggling with live prediction", async () => {
    const { page, cdp, watch } = await openPage();
    await page.evaluate(() => {
      const g = window as unknown as PageGlobals;
      const tracker = new g.__privads.InteractionTracker({ now: g.__fake.now, timers: g.__fake.timers });
      tracker.start();
      g.__run = { tracker };
    });
    const heapBefore = await heapAfterGc(cdp);
    const slow = await page.evaluate(() => {
      const g = window as unknown as PageGlobals;
      const { tracker } = g.__run as { tracker: InstanceType<Mod["InteractionTracker"]> };
      const blur = new FocusEvent("blur");
      const focus = new FocusEvent("focus");
      const perEvent: number[] = [];
      for (let k = 1; k <= 60_000; k += 1000) {
        const t0 = performance.now();
        for (let i = k; i < k + 1000; i++) {
          g.__fake.advance(10); // toggle k at k * 10 ms: t = k / 100 s
          window.dispatchEvent(i % 2 === 1 ? blur : focus);
        }
        perEvent.push(((performance.now() - t0) * 1000) / 1000);
      }
      const events = tracker.getEvents();
      return { stats: tracker.getStats(), first: events[0], second: events[1], count: events.length, last: events[events.length - 1], median: [...perEvent].sort((a, b) => a - b)[perEvent.length >> 1] };
    });
    const heapAfter = await heapAfterGc(cdp);
    // Hand calculation: toggles at t = 0.01 .. 600 s; retained = t in (600 - 150, 600] = 15,000
    // events; the export log keeps the last 50,000 of 60,000; no waits (actions every 10 ms).
    expect(slow.stats.counts.blur_window + slow.stats.counts.focus_window).toBe(60_000);
    expect(slow.stats.counts.wait).toBe(0);
    expect(slow.stats.retained).toBe(15_000);
    expect(slow.stats.logged).toBe(50_000);
    expect(slow.stats.droppedFromLog).toBe(10_000);
    expect(slow.last).toEqual({ type: "focus_window", t: 600 });
    // getEvents: the 15,000 retained plus the evicted focus/blur that carries the state (t = 450).
    expect(slow.count).toBe(15_001);
    expect(slow.first).toEqual({ type: "focus_window", t: 450 });
    expect(slow.second).toEqual({ type: "blur_window", t: 450.01 });
    expect(slow.stats.errors).toBe(0);

    // 1 kHz toggling for 10 s with live prediction attached: one snapshot per (fallback-timer) frame, not per action.
    const fast = await page.evaluate(() => {
      const g = window as unknown as PageGlobals;
      const { InteractionTracker, createLivePrediction } = g.__privads;
      const tracker = new InteractionTracker({ now: g.__fake.now, timers: g.__fake.timers });
      tracker.start();
      const live = createLivePrediction({ tracker, intervalMs: 0, timers: g.__fake.timers as never });
      let snapshots = 0;
      live.subscribe(() => snapshots++);
      const blur = new FocusEvent("blur");
      const focus = new FocusEvent("focus");
      const perEventBySecond: number[] = [];
      for (let second = 0; second < 10; second++) {
        const t0 = performance.now();
        for (let i = 0; i < 1000; i++) {
          g.__fake.advance(1);
          window.dispatchEvent(i % 2 === 0 ? blur : focus);
        }
        perEventBySecond.push(((performance.now() - t0) * 1000) / 1000);
      }
      const snapshot = live.getSnapshot();
      live.dispose();
      tracker.stop();
      return { perEventBySecond, snapshots, eventCount: snapshot?.eventCount, probability: snapshot?.probability, errors: tracker.getStats().errors };
    });
    console.log(
      `[robustness] focus/blur toggling at 100 Hz (60,000): per event median ${slow.median.toFixed(2)} us; JS heap after GC ${(heapBefore / 1024).toFixed(0)} KB -> ${(heapAfter / 1024).toFixed(0)} KB ` +
        `(50,000-event log + 15,000 retained); at 1 kHz with live prediction, us per event by second: ${fast.perEventBySecond.map((x) => x.toFixed(1)).join(", ")}`,
    );
    // One at creation; no animation frame runs inside one evaluate, so the 100 ms fallback timer
    // on the fake clock stands in: requested by the toggle at 1 ms, it fires at 101 ms (before
    // that instant's toggle, which requests the next): fires at 101, 201, ..., 9901 ms (99); the
    // request of 9901 ms is still pending at 10 s and getSnapshot() computes it (1).
    expect(fast.snapshots).toBe(1 + 99 + 1);
    expect(fast.eventCount).toBe(10_000); // all within the 120 s window
    expect(fast.probability! >= 0 && fast.probability! <= 1).toBe(true);
    expect(fast.errors).toBe(0);
    // The log is capped, so memory is bounded by the caps: 50,000 small frozen objects, a few MB at most.
    expect(heapAfter - heapBefore).toBeLessThan(16 * 1024 * 1024);
    expect(watch.consoleErrors).toEqual([]);
    expect(watch.foreignRequests).toEqual([]);
    await page.close();
  }, 60_000);
});
