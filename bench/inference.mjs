// Inference benchmarks: single-prediction latency (warm median) and initialise time for the
// builtin runtime and onnxruntime-node in Node, builtin and onnxruntime-web in headless Chromium,
// plus model and bundle sizes. Usage: npm run build && node bench/inference.mjs [--no-browser] [--features ads|seed]
// Uses models/interaction_predictor.json when present, else a random plausible model of the
// feature set given by --features (default ads: 26 features, 377 terms; seed: 20, 230).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { BROWSER_BUNDLE, esbuildOptions } from "../scripts/buildOptions.mjs";

const root = new URL("..", import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), "privads-bench-"));
const withBrowser = !process.argv.includes("--no-browser");
const setFlag = process.argv.indexOf("--features");
const featureSet = setFlag >= 0 ? process.argv[setFlag + 1] : "ads";
if (featureSet !== "ads" && featureSet !== "seed") throw new Error(`--features must be ads or seed, got ${featureSet}`);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (x, digits = 2) => x.toFixed(digits);

try {
  // Node-side helpers bundled from source, so the bench does not depend on the CLI build.
  // Written inside the project (node_modules/.cache) so `import("onnxruntime-node")` resolves.
  const cacheDir = join(root, "node_modules/.cache/privads-bench");
  const helpers = join(cacheDir, "helpers.mjs");
  await build({
    stdin: {
      contents: `
        export { InteractionPredictor } from "./src/browser/interactionPredictor.ts";
        export { buildOnnxModel } from "./src/export/onnxExporter.ts";
        export { exportBrowserArtifacts } from "./src/export/exportArtifacts.ts";
        export { startStaticServer } from "./src/node/staticServer.ts";
        export { parseInteractionModel } from "./src/core/interactionModel.ts";
        export { randomModel, realisticWindows, withDomain } from "./test/export/testModel.ts";
        export { launchChromium } from "./test/support/chromium.ts";`,
      resolveDir: root,
      loader: "ts",
    },
    outfile: helpers,
    bundle: true,
    format: "esm",
    platform: "node",
    external: ["onnxruntime-node", "onnxruntime-web", "playwright-core"],
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: "warning",
  });
  const lib = await import(helpers);
  const trained = join(root, "models/interaction_predictor.json");
  const model = existsSync(trained) ? lib.parseInteractionModel(JSON.parse(readFileSync(trained, "utf8")), trained) : lib.randomModel(7, featureSet);
  // The headline figures are for the model without a domain; the clamp's cost is measured beside
  // them on the same model with one (the plausible test ranges when the model has none).
  const { domain, ...plain } = model;
  const bytes = lib.buildOnnxModel(plain);
  const domainBytes = lib.buildOnnxModel(domain ? model : lib.withDomain(plain));
  const F = model.featureNames.length;
  const set = F === 26 ? "ads" : "seed";
  const rows = lib.realisticWindows(256, 23, set);
  const named = Array.from({ length: 256 }, (_, r) => Object.fromEntries(model.featureNames.map((n, i) => [n, rows[r * F + i]])));

  const results = [];
  const report = (name, value, unit, target) => {
    results.push({ name, value, unit, target });
    console.log(`${name.padEnd(48)} ${typeof value === "number" ? fmt(value, value < 10 ? 3 : 1) : value} ${unit}${target ? `   (target ${target})` : ""}`);
  };
  console.log(`model: ${existsSync(trained) ? trained : "random test model (no models/interaction_predictor.json)"}, feature set ${set} (${F} features)`);
  report("model file size (.onnx)", bytes.length / 1024, "KB", "< 50 KB");

  // Browser bundle: dist if built, and a fresh build with scripts/build.mjs's options.
  const bundlePath = join(tmp, "interaction_predictor.js");
  await build(esbuildOptions(BROWSER_BUNDLE, bundlePath));
  const dist = join(root, "dist/browser/interaction_predictor.js");
  const bundleFile = existsSync(dist) ? dist : bundlePath;
  report(`bundle gzipped (${existsSync(dist) ? "dist" : "fresh build"}, without onnxruntime-web)`, gzipSync(readFileSync(bundleFile), { level: 9 }).length / 1024, "KB", "<= 15 KB");

  // Node.
  async function nodeRuntime(runtime, batches, perBatch, bytes) {
    const inits = [];
    for (let k = 0; k < (runtime === "builtin" ? 200 : 10); k++) {
      const t0 = performance.now();
      const p = new lib.InteractionPredictor({ model: bytes, runtime });
      await p.initialize();
      inits.push(performance.now() - t0);
      p.dispose();
    }
    const p = new lib.InteractionPredictor({ model: bytes, runtime });
    await p.initialize();
    for (let k = 0; k < perBatch; k++) await p.predictClickProbability(named[k & 255]); // warm-up
    const per = [];
    for (let b = 0; b < batches; b++) {
      const t0 = performance.now();
      for (let k = 0; k < perBatch; k++) await p.predictClickProbability(named[k & 255]);
      per.push(((performance.now() - t0) * 1000) / perBatch);
    }
    p.dispose();
    return { init: median(inits), latency: median(per) };
  }
  const nb = await nodeRuntime("builtin", 21, 20000, bytes);
  report("Node builtin: predictClickProbability", nb.latency, "us", "<= 5 us");
  report("Node builtin: initialise (decode + check)", nb.init, "ms", "<= 5 ms");
  // The clamp's cost: both models in alternating batches, so neither runs on JIT state the
  // other left behind (measured one after the other, the second looked 2x slower either way).
  async function alternating(bytesA, bytesB, batches, perBatch) {
    const [a, b] = [new lib.InteractionPredictor({ model: bytesA, runtime: "builtin" }), new lib.InteractionPredictor({ model: bytesB, runtime: "builtin" })];
    await a.initialize();
    await b.initialize();
    const times = [[], []];
    for (let round = 0; round < batches + 2; round++) {
      for (const [i, p] of [[0, a], [1, b]]) {
        const t0 = performance.now();
        for (let k = 0; k < perBatch; k++) await p.predictClickProbability(named[k & 255]);
        if (round >= 2) times[i].push(((performance.now() - t0) * 1000) / perBatch);
      }
    }
    a.dispose();
    b.dispose();
    return times.map(median);
  }
  const [without, withDomain] = await alternating(bytes, domainBytes, 21, 20000);
  report("Node builtin, alternating batches: without / with a domain", `${fmt(without, 3)} / ${fmt(withDomain, 3)}`, "us", "with = without");
  const no = await nodeRuntime("onnxruntime-node", 11, 2000, bytes);
  report("Node onnxruntime-node: predictClickProbability", no.latency, "us");
  report("Node onnxruntime-node: initialise", no.init, "ms");

  if (withBrowser) {
    const site = join(tmp, "site");
    await lib.exportBrowserArtifacts(plain, site, { bundlePath, includeOnnxRuntimeWeb: true });
    writeFileSync(join(site, "domain.onnx"), domainBytes);
    writeFileSync(
      join(site, "bench.html"),
      `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,">
<script type="importmap">{"imports":{"onnxruntime-web/wasm":"./ort/ort.wasm.bundle.min.mjs"}}</script>
<script type="module">
  import { InteractionPredictor } from "./interaction_predictor.js";
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  window.bench = async (named, runtime, batches, perBatch, url = "./interaction_predictor.onnx") => {
    const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
    const inits = [];
    for (let k = 0; k < (runtime === "builtin" ? 200 : 5); k++) {
      const t0 = performance.now();
      const p = new InteractionPredictor({ model: bytes, runtime, wasmPaths: "./ort/" });
      await p.initialize();
      inits.push(performance.now() - t0);
      p.dispose();
    }
    const p = new InteractionPredictor({ model: bytes, runtime, wasmPaths: "./ort/" });
    await p.initialize();
    for (let k = 0; k < perBatch; k++) await p.predictClickProbability(named[k & 255]);
    const per = [];
    for (let b = 0; b < batches; b++) {
      const t0 = performance.now();
      for (let k = 0; k < perBatch; k++) await p.predictClickProbability(named[k & 255]);
      per.push(((performance.now() - t0) * 1000) / perBatch);
    }
    return { init: median(inits), latency: median(per), firstInit: inits[0] };
  };
</script>`,
    );
    const server = await lib.startStaticServer({ root: site });
    const browser = await lib.launchChromium();
    try {
      const page = await browser.context.newPage();
      await page.goto(server.url + "bench.html");
      await page.waitForFunction(() => typeof globalThis.bench === "function");
      const cb = await page.evaluate(([n]) => globalThis.bench(n, "builtin", 21, 20000), [named]);
      report("Chromium builtin: predictClickProbability", cb.latency, "us", "<= 20 us");
      report("Chromium builtin: initialise (decode + check)", cb.init, "ms", "<= 5 ms");
      // With a domain on a fresh page (its own JIT state), as the first model was measured.
      const domainPage = await browser.context.newPage();
      await domainPage.goto(server.url + "bench.html");
      await domainPage.waitForFunction(() => typeof globalThis.bench === "function");
      const cd = await domainPage.evaluate(([n]) => globalThis.bench(n, "builtin", 21, 20000, "./domain.onnx"), [named]);
      report("Chromium builtin, model with a domain (fresh page): predictClickProbability", cd.latency, "us", "= without");
      await domainPage.close();
      const cw = await page.evaluate(([n]) => globalThis.bench(n, "onnxruntime-web", 11, 1000), [named]);
      report("Chromium onnxruntime-web: predictClickProbability", cw.latency, "us");
      report("Chromium onnxruntime-web: initialise (warm cache)", cw.init, "ms");
      report("Chromium onnxruntime-web: first initialise", cw.firstInit, "ms");
    } finally {
      await browser.close();
      await server.close();
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
