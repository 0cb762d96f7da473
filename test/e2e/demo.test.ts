import { mkdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FEATURE_SETS } from "../../src/core/featureNames.js";
import { heuristicFromFeatures } from "../../src/core/heuristicPrediction.js";
import type { InteractionEvent } from "../../src/core/interactionEvent.js";
import { scoreModel } from "../../src/core/scoreModel.js";
import { extractSlidingWindowFeatures } from "../../src/core/slidingWindowExtractor.js";
import { withWaits } from "../../src/core/waitRule.js";
import { InteractionPredictor } from "../../src/browser/interactionPredictor.js";
import { buildOnnxModel } from "../../src/export/onnxExporter.js";
import { parseSession } from "../../src/io/parseSession.js";
import { startStaticServer, type StaticServer } from "../../src/node/staticServer.js";
import { modelFeatureSet, type InteractionModel } from "../../src/core/interactionModel.js";
import type { AdSignal } from "../../src/core/adSignal.js";
import { buildDemo, loadModel, REPO_ROOT, until, watchPage, writeModelFiles } from "./browserHarness.js";
import { launchChromium, type LaunchedChromium } from "../support/chromium.js";

/** The site's model: one the pipeline trained (ads set, 50,000 windows, seed 42), as a user's would be. */
const TRAINED_MODEL = join(REPO_ROOT, "test/fixtures/ads-model-50k-seed42.json");
let model: InteractionModel;
const GUTTER = { x: 40, y: 450 }; // the empty left column: nothing interactive under the pointer

let site: string;
let server: StaticServer;
let browser: LaunchedChromium;

beforeAll(async () => {
  model = await loadModel(TRAINED_MODEL);
  site = await buildDemo();
  await writeModelFiles(site, model, true);
  server = await startStaticServer({ root: site, host: "127.0.0.1" });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (site) await rm(site, { recursive: true, force: true });
});

interface PanelReading {
  probability: number;
  t: number;
  source: string;
  ready: string;
  eventCount: number;
  featureSet: string;
  adsInView: number;
  pointerOnAd: boolean;
  /** The probability as the panel prints it. */
  text: string;
}

async function readPanel(page: Page): Promise<PanelReading> {
  const output = page.locator("[data-testid=probability]");
  const [data, text] = await output.evaluate((el) => [{ ...(el as HTMLElement).dataset }, el.textContent ?? ""] as const);
  return {
    probability: Number(data.probability),
    t: Number(data.t),
    source: data.source ?? "",
    ready: data.ready ?? "",
    eventCount: Number(data.eventCount),
    featureSet: data.featureSet ?? "",
    adsInView: Number(data.adsInView),
    pointerOnAd: data.pointerOnAd === "true",
    text,
  };
}

/** What the demo is served instead of the model the site holds: another model, or a 404 (the heuristic answers). */
type ServedModel = InteractionModel | "missing";

/**
 * Opens the demo on a paused fake clock and waits (real time) until the model is loaded (or,
 * when it is not expected to load, until the panel reports the fallback).
 */
async function openDemo(query = "", served?: ServedModel, loads = served !== "missing"): Promise<{ page: Page; watch: ReturnType<typeof watchPage> }> {
  const page = await browser.context.newPage();
  const watch = watchPage(page, new URL(server.url).origin);
  if (served !== undefined) {
    const body = served === "missing" ? undefined : Buffer.from(buildOnnxModel(served));
    await page.route("**/models/interaction_predictor.onnx", (route) => (body ? route.fulfill({ status: 200, body }) : route.fulfill({ status: 404, body: "no model" })));
  }
  await page.clock.install({ time: new Date("2025-01-01T00:00:00Z") });
  await page.clock.pauseAt(new Date("2025-01-01T00:00:01Z"));
  // Test instrumentation only: counts scroll events so the test knows when a wheel has landed.
  await page.addInitScript(() => {
    const w = window as unknown as { __scrolls: number };
    w.__scrolls = 0;
    addEventListener("scroll", () => w.__scrolls++, { passive: true });
  });
  await page.goto(new URL(query, server.url).href);
  if (!loads) await page.locator(".status.error").waitFor();
  else await until(async () => (await readPanel(page)).ready === "true", "the model to load");
  return { page, watch };
}

async function center(locator: Locator): Promise<{ x: number; y: number }> {
  const box = await locator.boundingBox();
  if (!box) throw new Error("element has no box");
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** The first element matching `selector` whose centre is inside the viewport. */
async function visible(page: Page, selector: string): Promise<Locator> {
  const all = page.locator(selector);
  const count = await all.count();
  for (let i = 0; i < count; i++) {
    const box = await all.nth(i).boundingBox();
    if (box && box.y + box.height / 2 > 40 && box.y + box.height / 2 < 860) return all.nth(i);
  }
  throw new Error(`nothing matching ${selector} is in view`);
}

async function wheel(page: Page, dy: number): Promise<void> {
  const before = await page.evaluate(() => (window as unknown as { __scrolls: number }).__scrolls);
  await page.mouse.wheel(0, dy);
  await until(async () => (await page.evaluate(() => (window as unknown as { __scrolls: number }).__scrolls)) > before, "the scroll event");
}

async function setTabVisible(page: Page, visible: boolean): Promise<void> {
  await page.evaluate((show) => {
    Object.defineProperty(document, "visibilityState", { configurable: true, get: () => (show ? "visible" : "hidden") });
    Object.defineProperty(document, "hidden", { configurable: true, get: () => !show });
    document.dispatchEvent(new Event("visibilitychange"));
    window.dispatchEvent(new Event(show ? "focus" : "blur"));
  }, visible);
}

/** The downloaded session's events, and all its records (events and ad signals) in time order. */
async function downloadSession(page: Page): Promise<{ events: InteractionEvent[]; records: Array<InteractionEvent | AdSignal> }> {
  const button = page.locator("[data-testid=download]");
  const { x, y } = await center(button);
  const [download] = await Promise.all([page.waitForEvent("download"), page.mouse.click(x, y)]);
  expect(download.suggestedFilename()).toBe("privads-session.jsonl");
  const text = await readFile((await download.path())!, "utf8");
  expect(text.endsWith("\n")).toBe(true);
  expect(text.trimEnd().split("\n")).toHaveLength(1);
  const session = parseSession(JSON.parse(text));
  const records = [...session.events, ...(session.adSignals ?? [])].sort((a, b) => a.t - b.t);
  return { events: session.events, records };
}

/** The model's features of the window ending at `t`, computed in Node by the batch path. */
const row = (records: Array<InteractionEvent | AdSignal>, t: number) => {
  const set = modelFeatureSet(model);
  const features = extractSlidingWindowFeatures(records, t, {}, set);
  return FEATURE_SETS[set].map((name) => features[name]!);
};

describe("the demo in Chromium", () => {
  it("records the scripted session exactly and shows the model probability the Node reference computes", async () => {
    const { page, watch } = await openDemo();
    const { clock, mouse } = page;
    await mouse.move(GUTTER.x, GUTTER.y);
    await clock.runFor(1000);

    await wheel(page, 400); // one gesture of two wheel turns
    await clock.runFor(50);
    await wheel(page, 300);
    await clock.runFor(300);

    await mouse.move(...Object.values(await center(await visible(page, "main section a"))) as [number, number]);
    await clock.runFor(600); // dwell on a link: hover
    await mouse.move(GUTTER.x, GUTTER.y);

    await mouse.move(...Object.values(await center(await visible(page, "main section p button"))) as [number, number]);
    await clock.runFor(200); // too short: no hover
    await mouse.move(GUTTER.x, GUTTER.y);
    await clock.runFor(400);

    const paragraph = await center(await visible(page, "main section p[data-testid^=text-]"));
    await mouse.click(paragraph.x, paragraph.y);
    await mouse.move(GUTTER.x, GUTTER.y);
    await clock.runFor(1000);

    await wheel(page, -600);
    await clock.runFor(300);

    await setTabVisible(page, false); // switch away for 17 s
    await clock.runFor(17_000);
    await setTabVisible(page, true);
    await clock.runFor(500);

    const ad = await center(await visible(page, "[data-privads-ad]"));
    await mouse.move(ad.x, ad.y);
    await clock.runFor(100);
    await mouse.click(ad.x, ad.y);
    await mouse.move(GUTTER.x, GUTTER.y);
    await clock.runFor(1500);

    const shown = await readPanel(page);
    // `npm run screenshots` refreshes the README's picture; plain test runs leave docs/ alone.
    const screenshots = process.env.UPDATE_SCREENSHOTS ? join(REPO_ROOT, "docs/images") : join(tmpdir(), "privads-screenshots");
    await mkdir(screenshots, { recursive: true });
    await page.screenshot({ path: join(screenshots, "demo.png") });
    await clock.runFor(1000);
    const { events, records } = await downloadSession(page);

    expect(events.map((e) => e.type)).toEqual([
      "scroll_down",
      "hover",
      "click",
      "scroll_up",
      "blur_window",
      "wait",
      "wait",
      "wait",
      "focus_window",
      "click_ad",
      "click", // the download button
    ]);
    expect(events).toEqual(withWaits(events.filter((e) => e.type !== "wait")));
    const blur = events[4].t;
    expect(events.slice(5, 8).map((e) => e.t)).toEqual([blur + 5, blur + 10, blur + 15]);
    expect(events[0].depth).toBeGreaterThan(0);
    expect(events[3].depth).toBeLessThan(events[0].depth!);

    expect(shown.source).toBe("model");
    expect(shown.probability).toBeGreaterThan(0.01); // not saturated: the comparison below means something
    expect(shown.probability).toBeLessThan(0.99);
    expect(shown.eventCount).toBe(events.filter((e) => e.t <= shown.t).length);
    const reference = scoreModel(model, row(records, shown.t)); // float64 reference on the JSON model
    expect(Math.abs(shown.probability - reference)).toBeLessThanOrEqual(1e-5);
    const onnxInNode = await new InteractionPredictor({ model: buildOnnxModel(model) }).predictClickProbability(extractSlidingWindowFeatures(records, shown.t, {}, modelFeatureSet(model)));
    expect(Math.abs(shown.probability - onnxInNode)).toBeLessThanOrEqual(1e-12); // same builtin runtime, same ONNX file

    expect(watch.foreignRequests).toEqual([]);
    expect(watch.consoleErrors).toEqual([]);
    await page.close();
  });

  it("gives the same probability with onnxruntime-web (wasm served from the page's origin)", async () => {
    const { page, watch } = await openDemo("?runtime=onnxruntime-web");
    await page.mouse.move(GUTTER.x, GUTTER.y);
    const paragraph = await center(await visible(page, "main section p[data-testid^=text-]"));
    const ad = await center(await visible(page, "[data-privads-ad]"));
    for (const target of [paragraph, paragraph, ad, paragraph, paragraph, paragraph]) {
      await page.clock.runFor(700);
      await page.mouse.click(target.x, target.y);
      await page.mouse.move(GUTTER.x, GUTTER.y);
    }
    await page.clock.runFor(1200);
    await until(async () => (await readPanel(page)).source === "model", "a model snapshot");
    const shown = await readPanel(page);
    await page.clock.runFor(1000);
    const { events, records } = await downloadSession(page);
    expect(events.map((e) => e.type)).toEqual(["click", "click", "click_ad", "click", "click", "click", "click"]);
    const reference = scoreModel(model, row(records, shown.t));
    expect(Math.abs(shown.probability - reference)).toBeLessThanOrEqual(1e-5);
    expect(watch.foreignRequests).toEqual([]);
    expect(watch.consoleErrors).toEqual([]);
    await page.close();
  });
});

/**
 * The model for the ad acceptance test: `PRIVADS_ADS_MODEL=<model.json>`, else a real one the
 * pipeline trained (`privads pipeline`, 50,000 windows, seed 42, ads set, stored in
 * test/fixtures/ads-model-50k-seed42.json), so the 3x is the trained model's, not set by hand.
 */
async function adsModel(): Promise<InteractionModel> {
  return loadModel(process.env.PRIVADS_ADS_MODEL ?? join(REPO_ROOT, "test/fixtures/ads-model-50k-seed42.json"));
}

/** Waits (polling the DOM in the page, no sleeps) until the panel satisfies `predicate`'s fields. */
async function panelUntil(page: Page, want: { minT?: number; adsInView?: "some" | "none"; pointerOnAd?: boolean; source?: string }): Promise<PanelReading> {
  await page.waitForFunction(
    (w) => {
      const el = document.querySelector<HTMLElement>("[data-testid=probability]");
      if (!el || el.dataset.probability === "") return false;
      const d = el.dataset;
      if (w.minT !== undefined && !(Number(d.t) >= w.minT)) return false;
      if (w.adsInView === "some" && !(Number(d.adsInView) > 0)) return false;
      if (w.adsInView === "none" && Number(d.adsInView) !== 0) return false;
      if (w.pointerOnAd !== undefined && d.pointerOnAd !== String(w.pointerOnAd)) return false;
      if (w.source !== undefined && d.source !== w.source) return false;
      return true;
    },
    want,
    { polling: 20, timeout: 15_000 },
  );
  return readPanel(page);
}

/** Wheels down in gesture-sized steps until no ad slot overlaps the viewport. */
async function scrollToNoAd(page: Page): Promise<void> {
  const anyAdOnScreen = () =>
    page.evaluate(() => Array.from(document.querySelectorAll("[data-privads-ad]")).some((el) => {
      const r = el.getBoundingClientRect();
      return r.bottom > 0 && r.top < innerHeight;
    }));
  for (let i = 0; i < 40 && (await anyAdOnScreen()); i++) {
    await wheel(page, 200);
    await page.clock.runFor(300); // ends the gesture: one scroll_down each
  }
  expect(await anyAdOnScreen()).toBe(false);
}

/** Wheels until some ad slot is entirely inside the viewport; returns it. */
async function scrollToAd(page: Page): Promise<Locator> {
  const fullyInView = () =>
    page.evaluate(() => Array.from(document.querySelectorAll("[data-privads-ad]")).findIndex((el) => {
      const r = el.getBoundingClientRect();
      return r.top >= 0 && r.bottom <= innerHeight;
    }));
  let index = await fullyInView();
  for (let i = 0; i < 40 && index < 0; i++) {
    await wheel(page, 150);
    await page.clock.runFor(300);
    index = await fullyInView();
  }
  expect(index).toBeGreaterThanOrEqual(0);
  return page.locator("[data-privads-ad]").nth(index);
}

describe("the demo's ad state in Chromium", () => {
  for (const variant of ["an ads-set model", "the heuristic (no model)"] as const) {
    it(`with ${variant}: resting on a viewable ad for 3 s shows at least 3x the probability of scrolling with no ad in view`, async () => {
      const useModel = variant === "an ads-set model";
      const served: ServedModel = useModel ? await adsModel() : "missing";
      const expectModel = useModel;
      const { page, watch } = await openDemo("", served, expectModel);
      const { clock, mouse } = page;
      await mouse.move(GUTTER.x, GUTTER.y);
      // A reader who has done a few things: the model scores windows of >= minActions (5) events.
      for (let i = 0; i < 4; i++) {
        await mouse.click(GUTTER.x, GUTTER.y);
        await clock.runFor(400);
      }

      // 1. Scroll down until no ad is on screen, then read on for 3 s: "no ad in view".
      await scrollToNoAd(page);
      const scrolled = await readPanel(page);
      await clock.runFor(4000); // the panel ticks each second: a snapshot >= 3 s later is due within 4 s
      const noAd = await panelUntil(page, { minT: scrolled.t + 3, adsInView: "none", pointerOnAd: false });
      expect(noAd.source).toBe(expectModel ? "model" : "heuristic");
      expect(noAd.featureSet).toBe("ads");

      // 2. Scroll an ad fully into view; after 1 s it is viewable (IAB/MRC), and the panel says so at once.
      const ad = await scrollToAd(page);
      const arrived = await readPanel(page);
      await clock.runFor(1100);
      // Half of the slot may have been in view a little before all of it was: viewable within 1 s of arriving.
      const viewable = await panelUntil(page, { adsInView: "some" });
      expect(viewable.t).toBeLessThanOrEqual(arrived.t + 1.1);
      await expect(page.locator("[data-testid=ad-in-view]").textContent()).resolves.toMatch(/ad in view: yes/);

      // 3. The pointer rests on the ad for 3 s.
      const { x, y } = await center(ad);
      await mouse.move(x, y);
      await clock.runFor(16); // one frame (the page's clock is Playwright's): the snapshot after a signal comes with it
      const entered = await panelUntil(page, { pointerOnAd: true });
      expect(entered.t).toBeLessThan(viewable.t + 0.5); // published on the signal's frame, not on the next tick
      await expect(page.locator("[data-testid=pointer-on-ad]").textContent()).resolves.toBe("pointer on ad: yes");
      await clock.runFor(4000);
      const onAd = await panelUntil(page, { minT: entered.t + 3, pointerOnAd: true, adsInView: "some" });
      expect(onAd.source).toBe(expectModel ? "model" : "heuristic");

      console.log(
        `[demo ads] ${variant}${expectModel || !useModel ? "" : " (predictor not yet generic: heuristic fallback)"}: ` +
          `no ad in view ${noAd.probability.toExponential(3)} (${noAd.text}), pointer on a viewable ad for 3 s ${onAd.probability.toExponential(3)} (${onAd.text}), ` +
          `ratio ${(onAd.probability / noAd.probability).toFixed(1)}`,
      );
      expect(onAd.probability).toBeGreaterThanOrEqual(3 * noAd.probability);
      for (const reading of [noAd, onAd]) {
        expect(reading.text).toBe(reading.probability < 0.001 ? "< 0.1%" : `${(reading.probability * 100).toFixed(1)}%`);
      }

      // The recorded session holds the ad signals the panel showed, and the panel's features are the batch extractor's on it.
      const line = await downloadLine(page);
      const exported = parseSession(JSON.parse(line));
      const signals = exported.adSignals ?? [];
      expect(signals.some((s) => s.type === "ads_in_view" && s.value > 0)).toBe(true);
      expect(signals.some((s) => s.type === "pointer_on_ad" && s.value === 1)).toBe(true);
      const merged = [...exported.events, ...signals].sort((a, b) => a.t - b.t);
      const adsRow = (t: number) => {
        const features = extractSlidingWindowFeatures(merged, t, {}, "ads");
        return FEATURE_SETS.ads.map((name) => features[name]!);
      };
      expect(extractSlidingWindowFeatures(merged, onAd.t, {}, "ads")).toMatchObject({ ads_in_view: onAd.adsInView, pointer_on_ad: 1 });
      if (served !== "missing") {
        // The model's own answer on these windows (float64 reference, Node): the ad terms carry the ratio.
        const [noAdRef, onAdRef] = [scoreModel(served, adsRow(noAd.t)), scoreModel(served, adsRow(onAd.t))];
        console.log(`[demo ads] model reference: ${noAdRef.toExponential(3)} -> ${onAdRef.toExponential(3)}, ratio ${(onAdRef / noAdRef).toFixed(1)}`);
        expect(onAdRef).toBeGreaterThanOrEqual(3 * noAdRef);
        if (expectModel) {
          expect(Math.abs(noAd.probability - noAdRef)).toBeLessThanOrEqual(1e-5);
          expect(Math.abs(onAd.probability - onAdRef)).toBeLessThanOrEqual(1e-5);
        }
      } else {
        expect(onAd.probability).toBe(heuristicFromFeatures(adsRow(onAd.t), 0, "ads"));
      }
      expect(watch.foreignRequests).toEqual([]);
      expect(watch.consoleErrors.filter((e) => !/404|interaction_predictor/.test(e))).toEqual([]);
      await page.close();
    });
  }
});

async function downloadLine(page: Page): Promise<string> {
  const button = page.locator("[data-testid=download]");
  await button.scrollIntoViewIfNeeded();
  const { x, y } = await center(button);
  const [download] = await Promise.all([page.waitForEvent("download"), page.mouse.click(x, y)]);
  return (await readFile((await download.path())!, "utf8")).trimEnd();
}
