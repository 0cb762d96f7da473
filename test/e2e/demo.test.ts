import { mkdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FEATURE_NAMES } from "../../src/core/featureNames.js";
import type { InteractionEvent } from "../../src/core/interactionEvent.js";
import { scoreModel } from "../../src/core/scoreModel.js";
import { extractSlidingWindowFeatures } from "../../src/core/slidingWindowExtractor.js";
import { withWaits } from "../../src/core/waitRule.js";
import { InteractionPredictor } from "../../src/browser/interactionPredictor.js";
import { buildOnnxModel } from "../../src/export/onnxExporter.js";
import { parseSession } from "../../src/io/parseSession.js";
import { startStaticServer, type StaticServer } from "../../src/node/staticServer.js";
import { buildDemo, demoModel, REPO_ROOT, until, watchPage, writeModelFiles } from "./browserHarness.js";
import { launchChromium, type LaunchedChromium } from "../support/chromium.js";

const model = demoModel();
const GUTTER = { x: 40, y: 450 }; // the empty left column: nothing interactive under the pointer

let site: string;
let server: StaticServer;
let browser: LaunchedChromium;

beforeAll(async () => {
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
}

async function readPanel(page: Page): Promise<PanelReading> {
  const data = await page.locator("[data-testid=probability]").evaluate((el) => ({ ...(el as HTMLElement).dataset }));
  return { probability: Number(data.probability), t: Number(data.t), source: data.source ?? "", ready: data.ready ?? "", eventCount: Number(data.eventCount) };
}

/** Opens the demo on a paused fake clock and waits (real time) until the model is loaded. */
async function openDemo(query = ""): Promise<{ page: Page; watch: ReturnType<typeof watchPage> }> {
  const page = await browser.context.newPage();
  const watch = watchPage(page, new URL(server.url).origin);
  await page.clock.install({ time: new Date("2025-01-01T00:00:00Z") });
  await page.clock.pauseAt(new Date("2025-01-01T00:00:01Z"));
  // Test instrumentation only: counts scroll events so the test knows when a wheel has landed.
  await page.addInitScript(() => {
    const w = window as unknown as { __scrolls: number };
    w.__scrolls = 0;
    addEventListener("scroll", () => w.__scrolls++, { passive: true });
  });
  await page.goto(new URL(query, server.url).href);
  await until(async () => (await readPanel(page)).ready === "true", "the model to load");
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

async function downloadSession(page: Page): Promise<InteractionEvent[]> {
  const button = page.locator("[data-testid=download]");
  const { x, y } = await center(button);
  const [download] = await Promise.all([page.waitForEvent("download"), page.mouse.click(x, y)]);
  expect(download.suggestedFilename()).toBe("privads-session.jsonl");
  const text = await readFile((await download.path())!, "utf8");
  expect(text.endsWith("\n")).toBe(true);
  expect(text.trimEnd().split("\n")).toHaveLength(1);
  return parseSession(JSON.parse(text)).events;
}

const row = (events: readonly InteractionEvent[], t: number) => {
  const features = extractSlidingWindowFeatures(events, t);
  return FEATURE_NAMES.map((name) => features[name]);
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
    const events = await downloadSession(page);

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
    const reference = scoreModel(model, row(events, shown.t)); // float64 reference on the JSON model
    expect(Math.abs(shown.probability - reference)).toBeLessThanOrEqual(1e-5);
    const onnxInNode = await new InteractionPredictor({ model: buildOnnxModel(model) }).predictClickProbability(extractSlidingWindowFeatures(events, shown.t));
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
    const events = await downloadSession(page);
    expect(events.map((e) => e.type)).toEqual(["click", "click", "click_ad", "click", "click", "click", "click"]);
    const reference = scoreModel(model, row(events, shown.t));
    expect(Math.abs(shown.probability - reference)).toBeLessThanOrEqual(1e-5);
    expect(watch.foreignRequests).toEqual([]);
    expect(watch.consoleErrors).toEqual([]);
    await page.close();
  });
});
