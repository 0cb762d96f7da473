import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FeatureSetName } from "../../src/core/featureNames.js";
import { scoreModel } from "../../src/core/scoreModel.js";
import { exportBrowserArtifacts } from "../../src/export/exportArtifacts.js";
import { buildOnnxModel } from "../../src/export/onnxExporter.js";
import { startStaticServer, type StaticServer } from "../../src/node/staticServer.js";
import { BROWSER_BUNDLE, esbuildOptions } from "../../scripts/buildOptions.mjs";
import { outOfDomainRows, randomModel, randomWindows, realisticWindows, withDomain } from "../export/testModel.js";
import { launchChromium, type LaunchedChromium } from "../support/chromium.js";

const TOLERANCE = 1e-5;
// The site serves the `ads` model (the default set) as interaction_predictor.onnx, and a `seed` one beside it.
const models = { ads: randomModel(7, "ads"), seed: randomModel(7, "seed") };
const model = models.ads;
// A model with a domain (served as domain.onnx): every runtime clamps raw features to it first.
const domainModel = withDomain(models.ads);
const tmp = mkdtempSync(join(tmpdir(), "privads-chromium-"));
const site = join(tmp, "site");
let server: StaticServer;
let browser: LaunchedChromium;
const foreignRequests: string[] = [];
const consoleErrors: string[] = [];

beforeAll(async () => {
  // The browser bundle, built from source with scripts/build.mjs's own options.
  const bundlePath = join(tmp, "interaction_predictor.js");
  await build(esbuildOptions(BROWSER_BUNDLE, bundlePath));
  await exportBrowserArtifacts(model, site, { bundlePath, includeOnnxRuntimeWeb: true });
  writeFileSync(join(site, "seed.onnx"), buildOnnxModel(models.seed));
  writeFileSync(join(site, "domain.onnx"), buildOnnxModel(domainModel));
  writeFileSync(
    join(site, "parity.html"),
    `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>parity</title>
<script type="importmap">{"imports":{"onnxruntime-web/wasm":"./ort/ort.wasm.bundle.min.mjs"}}</script>
<script type="module">
  import * as lib from "./interaction_predictor.js";
  window.runParity = async (modelUrl, rows) => {
    const builtin = new lib.InteractionPredictor({ modelUrl });
    const web = new lib.InteractionPredictor({ modelUrl, runtime: "onnxruntime-web", wasmPaths: "/ort/" });
    await Promise.all([builtin.initialize(), web.initialize()]);
    const flat = Float64Array.from(rows);
    const single = await builtin.predictClickProbability(Object.fromEntries(builtin.featureNames.map((n, i) => [n, rows[i]])));
    const sets = [builtin.featureSet, web.featureSet];
    return { builtin: [...(await builtin.predictBatch(flat))], web: [...(await web.predictBatch(flat))], single, sets };
  };
</script>`,
  );
  server = await startStaticServer({ root: site });
  browser = await launchChromium();
  browser.context.on("request", (request) => {
    if (!request.url().startsWith(server.url)) foreignRequests.push(request.url());
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(tmp, { recursive: true, force: true });
});

async function openPage(path: string): Promise<Page> {
  const page = await browser.context.newPage();
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(`${path}: ${message.text()}`);
  });
  page.on("pageerror", (error) => consoleErrors.push(`${path}: ${error.message}`));
  await page.goto(server.url + path);
  await page.waitForLoadState("load");
  return page;
}

describe("in headless Chromium", () => {
  it.each([
    ["ads", "/interaction_predictor.onnx"],
    ["seed", "/seed.onnx"],
  ] as Array<[FeatureSetName, string]>)("%s model: builtin and onnxruntime-web match scoreModel within 1e-5 on 1,000 random + 1,000 realistic windows", async (set, url) => {
    const m = models[set];
    const F = m.featureNames.length;
    const x = new Float64Array(2000 * F);
    x.set(randomWindows(1000, 11, set));
    x.set(realisticWindows(1000, 23, set), 1000 * F);
    const page = await openPage("parity.html");
    type Parity = { builtin: number[]; web: number[]; single: number; sets: string[] };
    const result = await page.evaluate(
      ([modelUrl, rows]) => (window as unknown as { runParity: (u: string, r: number[]) => Promise<Parity> }).runParity(modelUrl, rows),
      [url, [...x]] as [string, number[]],
    );
    expect(result.sets).toEqual([set, set]);
    const expected = Array.from({ length: 2000 }, (_, r) => scoreModel(m, x, r * F));
    const maxDiff = (a: number[]) => Math.max(...a.map((v, k) => Math.abs(v - expected[k])));
    expect(result.builtin).toHaveLength(2000);
    expect(result.web).toHaveLength(2000);
    expect(maxDiff(result.builtin)).toBeLessThanOrEqual(TOLERANCE);
    expect(maxDiff(result.web)).toBeLessThanOrEqual(TOLERANCE);
    expect(Math.abs(result.single - expected[0])).toBeLessThanOrEqual(TOLERANCE);
    await page.close();
  });

  it("a model with a domain: builtin and onnxruntime-web clamp as scoreModel does, within 1e-5, on rows far outside it and on its bounds", async () => {
    const F = domainModel.featureNames.length;
    const x = outOfDomainRows("ads");
    const { low, high } = domainModel.domain!;
    const page = await openPage("parity.html");
    type Parity = { builtin: number[]; web: number[]; single: number };
    const result = await page.evaluate(
      ([modelUrl, rows]) => (window as unknown as { runParity: (u: string, r: number[]) => Promise<Parity> }).runParity(modelUrl, rows),
      ["/domain.onnx", [...x]] as [string, number[]],
    );
    const count = x.length / F;
    const expected = Array.from({ length: count }, (_, r) => scoreModel(domainModel, x, r * F));
    // Independent: clamped by hand, scored by the model without a domain.
    const clamped = Float64Array.from(x, (v, k) => Math.min(Math.max(v, low[k % F]), high[k % F]));
    const handClamped = Array.from({ length: count }, (_, r) => scoreModel(models.ads, clamped, r * F));
    for (const got of [result.builtin, result.web, handClamped]) {
      expect(got).toHaveLength(count);
      expect(Math.max(...got.map((v, k) => Math.abs(v - expected[k])))).toBeLessThanOrEqual(TOLERANCE);
    }
    expect(Math.abs(result.single - expected[0])).toBeLessThanOrEqual(TOLERANCE);
    await page.close();
  });

  it("demo.html records scrolls, hovers and clicks and the probability moves", async () => {
    const page = await openPage("demo.html");
    await page.waitForFunction(() => (window as unknown as { __privads: { ready: boolean } }).__privads.ready);
    const state = () =>
      page.evaluate(() => {
        const s = (window as unknown as { __privads: { events: Array<{ type: string }>; probability: number; source: string; error: string | null; features: Record<string, number> } }).__privads;
        return { types: s.events.map((e) => e.type), probability: s.probability, source: s.source, error: s.error, features: s.features };
      });
    const waitForEvent = (type: string, count = 1) =>
      page.waitForFunction(
        ([t, n]) => (window as unknown as { __privads: { events: Array<{ type: string }> } }).__privads.events.filter((e) => e.type === t).length >= (n as number),
        [type, count] as const,
      );
    const before = await state();
    expect(typeof before.probability).toBe("number");
    await page.mouse.move(100, 100);
    for (let k = 1; k <= 3; k++) {
      await page.mouse.wheel(0, 500);
      await waitForEvent("scroll_down", k);
    }
    await page.mouse.wheel(0, -300);
    await waitForEvent("scroll_up");
    const link = page.locator("a").first();
    await link.scrollIntoViewIfNeeded();
    const box = (await link.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await waitForEvent("hover");
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await waitForEvent("click");
    const ad = page.locator("[data-privads-ad]").first();
    await ad.scrollIntoViewIfNeeded();
    const adBox = (await ad.boundingBox())!;
    await page.mouse.click(adBox.x + 10, adBox.y + 10);
    await waitForEvent("click_ad");
    await page.waitForFunction(() => (window as unknown as { __privads: { source: string } }).__privads.source === "model");
    const after = await state();
    expect(after.error).toBeNull();
    expect(after.types).toEqual(expect.arrayContaining(["scroll_down", "scroll_up", "hover", "click", "click_ad"]));
    expect(typeof after.probability).toBe("number");
    // A closed interval: the random test model's squares saturate on this 2-second session's
    // off-range features (e.g. scroll_velocity 0.8 against a 0-0.1 training range), up to
    // exactly 1 in float64. The checks that matter follow: it moved, and it is the model's value.
    expect(after.probability).toBeGreaterThanOrEqual(0);
    expect(after.probability).toBeLessThanOrEqual(1);
    expect(Math.abs(after.probability - before.probability)).toBeGreaterThan(1e-6);
    // The shown probability is the model's for the shown features (independent scorer, Node side).
    // Names the live snapshot lacks take the training mean, as the predictor imputes them.
    const row = model.featureNames.map((name, i) => after.features[name] ?? model.scaler.mean[i]);
    expect(Math.abs(after.probability - scoreModel(model, row))).toBeLessThanOrEqual(TOLERANCE);
    expect(after.features.hover_count).toBeGreaterThanOrEqual(1);
    expect(after.features.ad_click_count).toBeGreaterThanOrEqual(1);
    expect(await page.locator("#probability").textContent()).toMatch(/^\d+\.\d\d %$/);
    await page.close();
  });

  it("demo.html also runs on onnxruntime-web from the local ort/ folder", async () => {
    const page = await openPage("demo.html?runtime=onnxruntime-web");
    await page.waitForFunction(() => {
      const s = (window as unknown as { __privads: { ready: boolean; error: string | null } }).__privads;
      return s.ready || s.error !== null;
    });
    expect(await page.evaluate(() => (window as unknown as { __privads: { error: string | null } }).__privads.error)).toBeNull();
    await page.close();
  });

  it("sent no request beyond 127.0.0.1 and logged no console errors", () => {
    expect(foreignRequests).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
