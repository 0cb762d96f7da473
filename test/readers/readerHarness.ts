import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { FEATURE_SETS, type FeatureName } from "../../src/core/featureNames.js";
import { parseInteractionModel, type InteractionModel } from "../../src/core/interactionModel.js";
import { READER_TRACE_FORMAT, type ReaderReading, type ReaderTrace } from "../../src/evaluation/readerTraces.js";
import { buildOnnxModel } from "../../src/export/onnxExporter.js";
import type { ClickPredictionSnapshot } from "../../src/tracker/liveClickPrediction.js";
import { startBundledPageSite, type BundledPageSite } from "../support/bundledPageSite.js";
import { READING_INTERVAL, type ReaderAction, type ReaderScript } from "./readerScripts.js";

export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/**
 * The model the readers are scored with: `PRIVADS_ADS_MODEL=<model.json>` (e.g. a retrained
 * model with a domain), else the pipeline's 50k seed-42 model stored as a fixture. Returned
 * repository-relative when inside the repository (the trace records it).
 */
export function readerModelPath(): string {
  return process.env.PRIVADS_ADS_MODEL ?? "test/fixtures/ads-model-50k-seed42.json";
}

export async function loadReaderModel(path = readerModelPath()): Promise<InteractionModel> {
  return parseInteractionModel(JSON.parse(await readFile(join(REPO_ROOT, path), "utf8")), path);
}

/** Where the pointer parks: the empty left margin (nothing interactive, no slot). */
export const MARGIN = { x: 40, y: 450 };

/**
 * The article: 8000 px tall in a 900 px viewport, a left margin, and three 250 px ad slots at
 * 1600, 4200 and 6800 px, so the top screen and long stretches between slots show no ad.
 */
const SLOT_TOPS = [1600, 4200, 6800];
const STYLE = `html,body{margin:0;padding:0;font:16px/1.6 sans-serif}
main{position:relative;margin-left:150px;width:640px;height:8000px}
main p{margin:0 0 1em}
[data-privads-ad]{position:absolute;left:0;width:640px;height:250px;background:#fff5ea;border:2px dashed #c46a1b;box-sizing:border-box}`;
const TEXT = "Reading without being read: this page watches how it is used and keeps that to itself. ".repeat(6);
const BODY = `<main>${Array.from({ length: 60 }, () => `<p>${TEXT}</p>`).join("")}${SLOT_TOPS.map((top, i) => `<aside data-privads-ad="slot-${i}" style="top:${top}px">Advertisement</aside>`).join("")}</main>`;

export interface ReaderSite {
  /** Runs `script` on a fresh page with a paused fake clock and returns its trace. */
  run(script: ReaderScript): Promise<ReaderTrace>;
  close(): Promise<void>;
}

/** Bundles the reader page, serves it with `model` (as ONNX, the builtin runtime reads it) and starts Chromium. */
export async function startReaderSite(model: InteractionModel, modelLabel: string): Promise<ReaderSite> {
  const site = await startBundledPageSite({
    entry: fileURLToPath(new URL("./readerPage.ts", import.meta.url)),
    script: "readers.js",
    html: `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>readers</title><style>${STYLE}</style><body>${BODY}<script type="module" src="readers.js"></script></body>`,
  });
  const onnx = Buffer.from(buildOnnxModel(model));
  return {
    run: (script) => runReader(site, onnx, modelLabel, script),
    close: () => site.close(),
  };
}

type Snapshot = Pick<ClickPredictionSnapshot, "t" | "probability" | "source" | "eventCount" | "adState" | "featureSet"> & { features: Record<string, number> };

async function runReader(site: BundledPageSite, onnx: Buffer, model: string, script: ReaderScript): Promise<ReaderTrace> {
  const page = await site.context.newPage();
  const pageErrors: string[] = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") pageErrors.push(`console: ${message.text()}`);
  });
  try {
    await page.route("**/model.onnx", (route) => route.fulfill({ status: 200, body: onnx }));
    // Time is the page's fake clock: paused from load, moved only by runFor, so 40 s of reading
    // take as long as the input takes, and every run sees the same times.
    await page.clock.install({ time: new Date("2025-01-01T00:00:00Z") });
    await page.clock.pauseAt(new Date("2025-01-01T00:00:01Z"));
    // A headless page may not report focus: the tab is in front until the script says otherwise.
    await page.addInitScript(() => Object.defineProperty(document, "hasFocus", { configurable: true, value: () => true }));
    await page.goto(site.url);
    if (!(await page.evaluate(() => window.readerPage.ready()))) throw new Error("the model did not load");

    const readings: ReaderReading[] = [];
    let elapsedMs = 0;
    let lastHalfVisible: number | undefined;
    let halfVisible = 0;
    const look = async (at: number) => {
      halfVisible = await page.evaluate(() => window.readerPage.slotsHalfVisible());
      if (halfVisible > 0) lastHalfVisible = at;
    };
    await look(0);
    for (const at of instants(script)) {
      const ms = Math.round(at * 1000);
      if (ms > elapsedMs) await page.clock.runFor(ms - elapsedMs);
      elapsedMs = Math.max(ms, elapsedMs);
      for (const step of script.steps) {
        if (step.at !== at) continue;
        await act(page, step.action);
        await look(at);
      }
      if (isReading(at)) {
        const snapshot = (await page.evaluate(() => window.readerPage.reading())) as Snapshot;
        if (Math.abs(snapshot.t - at) > 1e-3) throw new Error(`${script.name}: the reading at ${at} s has t = ${snapshot.t}`);
        await look(at);
        readings.push(toReading(snapshot, at, halfVisible, lastHalfVisible));
      }
    }
    if (pageErrors.length > 0) throw new Error(`${script.name}: the page reported ${pageErrors.join("; ")}`);
    return { format: READER_TRACE_FORMAT, reader: script.name, description: script.description, model, readings };
  } finally {
    await page.close();
  }
}

/** Step and reading times, in order. */
function instants(script: ReaderScript): number[] {
  const times = new Set(script.steps.map((step) => step.at));
  for (let k = 1; k * READING_INTERVAL <= script.seconds + 1e-9; k++) times.add(Math.round(k * READING_INTERVAL * 1000) / 1000);
  return [...times].sort((a, b) => a - b);
}

const isReading = (at: number) => at > 0 && Math.abs(at / READING_INTERVAL - Math.round(at / READING_INTERVAL)) < 1e-9;

async function act(page: Page, action: ReaderAction): Promise<void> {
  if ("wheel" in action) {
    // Wait for the scroll event (it comes with the next rendering update), then for that
    // update's intersection entries, so the tracker has seen the new layout before time moves on.
    // (Boxed: a handle to a bare promise would be awaited before the wheel.)
    const scrolled = await page.evaluateHandle(() => ({ landed: new Promise<void>((resolve) => addEventListener("scroll", () => resolve(), { once: true, passive: true })) }));
    await page.mouse.wheel(0, action.wheel);
    await scrolled.evaluate((box) => box.landed);
    await scrolled.dispose();
    await page.evaluate(() => window.readerPage.layoutSeen());
  } else if ("pointer" in action) {
    const target = action.pointer === "margin" ? MARGIN : await adInView(page);
    await page.mouse.move(target.x, target.y);
  } else {
    await page.evaluate((attentive) => window.readerPage.setAttention(attentive), action.attention);
  }
}

/** The centre of the first slot entirely inside the viewport. */
async function adInView(page: Page): Promise<{ x: number; y: number }> {
  const centre = await page.evaluate(() => {
    for (const slot of Array.from(document.querySelectorAll("[data-privads-ad]"))) {
      const box = slot.getBoundingClientRect();
      if (box.top >= 0 && box.bottom <= innerHeight) return { x: box.left + box.width / 2, y: box.top + box.height / 2 };
    }
    return null;
  });
  if (!centre) throw new Error("no ad slot is entirely in view");
  return centre;
}

function toReading(snapshot: Snapshot, at: number, slotsHalfVisible: number, lastHalfVisible: number | undefined): ReaderReading {
  if (snapshot.featureSet !== "ads") throw new Error(`the readers need an ads-set model; the live snapshot holds the ${snapshot.featureSet} set`);
  const features = {} as Record<FeatureName, number>;
  for (const name of FEATURE_SETS.ads) features[name] = snapshot.features[name];
  return {
    t: snapshot.t,
    probability: snapshot.probability,
    source: snapshot.source,
    eventCount: snapshot.eventCount,
    features,
    adState: { adsInView: snapshot.adState.adsInView, pointerOnAd: snapshot.adState.pointerOnAd },
    slotsHalfVisible,
    sinceSlotHalfVisible: lastHalfVisible === undefined ? null : Math.round((at - lastHalfVisible) * 1000) / 1000,
  };
}
