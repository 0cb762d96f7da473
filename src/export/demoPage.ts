/** Options for {@link renderDemoPage}. */
export interface DemoPageOptions {
  /** Whether `ort/` (onnxruntime-web) sits next to the page; enables `?runtime=onnxruntime-web`. */
  onnxRuntimeWeb?: boolean;
  /** The run the exported files belong to, shown as `<meta name="privads-run">`. */
  run?: { runId: string; seed: number | null };
}

const PARAGRAPH =
  "Reading behaviour tells a lot without telling anything about the reader: how fast the page moves, " +
  "where the pointer rests, whether the tab keeps its focus. PrivAds turns such signals, and whether an ad is on screen, into a few dozen numbers " +
  "per two-minute window and scores them right here in the page. Nothing is sent anywhere.";

/**
 * `demo.html`: a standalone article with ad slots (`data-privads-ad`) that records the
 * contract's browser events with a deliberately small recorder, feeds them to a
 * `SlidingWindowExtractor` and shows the live click probability and the model's features (its set).
 * Everything loads from the same folder (`./interaction_predictor.js`, `./interaction_predictor.onnx`,
 * optionally `./ort/`). Tests read `window.__privads`.
 */
export function renderDemoPage(options: DemoPageOptions = {}): string {
  const sections = [1, 2, 3, 4, 5, 6]
    .map(
      (k) => `    <h2>Section ${k}</h2>
    <p>${PARAGRAPH}</p>
    <p><a href="#section-${k}" id="section-${k}">A link worth hovering</a> and <button type="button">a button</button>.</p>
    <p>${PARAGRAPH}</p>
${k % 2 === 0 ? `    <aside class="ad" data-privads-ad id="ad-${k / 2}"><strong>Advertisement ${k / 2}</strong><br><button type="button">Learn more</button></aside>\n` : ""}`,
    )
    .join("");
  const importMap = options.onnxRuntimeWeb
    ? `  <script type="importmap">{ "imports": { "onnxruntime-web/wasm": "./ort/ort.wasm.bundle.min.mjs" } }</script>\n`
    : "";
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <link rel="icon" href="data:,">
${options.run ? `  <meta name="privads-run" content="${options.run.runId}" data-seed="${options.run.seed ?? ""}">\n` : ""}  <title>PrivAds demo: on-device ad-click prediction</title>
${importMap}  <style>
    body { font: 16px/1.6 system-ui, sans-serif; margin: 0; display: grid; grid-template-columns: minmax(0, 1fr) 22rem; }
    main { padding: 1rem 2rem; max-width: 44rem; }
    .ad { border: 2px dashed #c60; background: #fff6ec; padding: 1.5rem; margin: 1.5rem 0; }
    #panel { position: sticky; top: 0; height: 100vh; overflow: auto; background: #f4f6f8; padding: 1rem; font-size: 13px; box-sizing: border-box; }
    #probability { font-size: 2.4rem; font-weight: 700; display: block; }
    table { border-collapse: collapse; width: 100%; } td { padding: 1px 4px; border-bottom: 1px solid #dde; } td:last-child { text-align: right; font-variant-numeric: tabular-nums; }
    #status.error { color: #b00; }
  </style>
</head>
<body>
  <main>
    <h1>PrivAds demo</h1>
    <p>Scroll, hover links and ads, click around, switch tabs: the panel shows the model's probability that you click an ad in the next seconds, computed in this page only.</p>
${sections}  </main>
  <div id="panel" aria-live="polite">
    <div>click probability (<span id="source">loading</span>)</div>
    <output id="probability">-</output>
    <div id="status">loading model...</div>
    <table id="features"></table>
    <div>events: <span id="event-count">0</span></div>
  </div>
  <script type="module">
    import { InteractionPredictor, InteractionTracker, createLivePrediction } from "./interaction_predictor.js";

    const params = new URLSearchParams(location.search);
    const runtime = params.get("runtime") || "builtin";
    const predictor = new InteractionPredictor({ modelUrl: "./interaction_predictor.onnx", runtime, wasmPaths: new URL("./ort/", location.href).href });
    // Everything the page shows, for people and for tests.
    const state = { events: [], probability: null, source: "heuristic", features: null, ready: false, error: null, runtime };
    window.__privads = state;

    // The SDK's own tracker (docs/features.md event rules) feeding live prediction.
    const tracker = new InteractionTracker();
    tracker.onEvent((event) => state.events.push(event));
    tracker.start();
    const live = createLivePrediction({ tracker, predictor, intervalMs: 1000 });

    const table = document.getElementById("features");
    // Rows appear as the snapshot names them: the model's feature set decides which (26 or 20).
    const cells = new Map();
    const status = document.getElementById("status");
    live.subscribe((snapshot) => {
      state.probability = snapshot.probability;
      state.source = snapshot.source;
      state.features = snapshot.features;
      state.ready = live.modelReady;
      if (live.modelError && state.error === null) {
        state.error = String(live.modelError);
        status.textContent = "model unavailable, showing the heuristic: " + live.modelError.message;
        status.className = "error";
      } else if (live.modelReady) {
        status.textContent = "model ready (" + runtime + ")";
      }
      document.getElementById("probability").textContent = (100 * snapshot.probability).toFixed(2) + " %";
      document.getElementById("source").textContent = snapshot.source;
      document.getElementById("event-count").textContent = String(state.events.length);
      for (const [name, v] of Object.entries(snapshot.features)) {
        let cell = cells.get(name);
        if (!cell) {
          const row = table.insertRow();
          row.insertCell().textContent = name;
          cells.set(name, (cell = row.insertCell()));
        }
        cell.textContent = Number.isInteger(v) ? String(v) : v.toFixed(4);
      }
    });
  </script>
</body>
</html>
`;
}
