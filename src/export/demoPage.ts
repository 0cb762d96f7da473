/** Options for {@link renderDemoPage}. */
export interface DemoPageOptions {
  /** Whether `ort/` (onnxruntime-web) sits next to the page; enables `?runtime=onnxruntime-web`. */
  onnxRuntimeWeb?: boolean;
}

const PARAGRAPH =
  "Reading behaviour tells a lot without telling anything about the reader: how fast the page moves, " +
  "where the pointer rests, whether the tab keeps its focus. PrivAds turns such signals into twenty numbers " +
  "per two-minute window and scores them right here in the page. Nothing is sent anywhere.";

/**
 * `demo.html`: a standalone article with ad slots (`data-privads-ad`) that records the
 * contract's browser events with a deliberately small recorder, feeds them to a
 * `SlidingWindowExtractor` and shows the live click probability and the 20 features.
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
  <title>PrivAds demo: on-device ad-click prediction</title>
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
    import { InteractionPredictor, SlidingWindowExtractor, FEATURE_NAMES, heuristicFromFeatures, toFeatureVector, waitTimes } from "./interaction_predictor.js";

    const params = new URLSearchParams(location.search);
    const runtime = params.get("runtime") || "builtin";
    const predictor = new InteractionPredictor({ modelUrl: "./interaction_predictor.onnx", runtime, wasmPaths: new URL("./ort/", location.href).href });
    const start = performance.now();
    const now = () => (performance.now() - start) / 1000;
    const state = { events: [], probability: null, source: "heuristic", features: null, ready: false, error: null, runtime };
    window.__privads = state;
    let extractor = new SlidingWindowExtractor();
    let lastAction = null; // time of the latest observed (non-wait) action
    let lastWait = null;
    let closed = false;

    const depthNow = () => {
      const max = document.documentElement.scrollHeight - innerHeight;
      return max > 0 ? Math.min(1, Math.max(0, scrollY / max)) : 0;
    };
    // The shared wait rule: waits at lastAction + 5k strictly before \`before\`, each once.
    function emitWaits(before) {
      if (lastAction === null) return;
      for (const t of waitTimes(lastAction, before, lastWait ?? lastAction)) {
        push({ type: "wait", t });
        lastWait = t;
      }
    }
    function push(event) {
      state.events.push(event);
      extractor.push(event);
    }
    function record(type, depth) {
      if (closed) return;
      const t = Math.max(now(), lastAction ?? 0);
      emitWaits(t);
      push(depth === undefined ? { type, t } : { type, t, depth });
      lastAction = t;
      lastWait = null;
      if (type === "close_tab") closed = true;
      void update();
    }

    // Scroll: one event per gesture, ended by ~200 ms of quiet; direction from net movement.
    let gestureStart = null, gestureTimer = 0;
    addEventListener("scroll", () => {
      if (gestureStart === null) gestureStart = lastDepth;
      clearTimeout(gestureTimer);
      gestureTimer = setTimeout(() => {
        const depth = depthNow();
        if (depth !== gestureStart) record(depth > gestureStart ? "scroll_down" : "scroll_up", depth);
        lastDepth = depth;
        gestureStart = null;
      }, 200);
    }, { passive: true });
    let lastDepth = depthNow();

    // Clicks: inside [data-privads-ad] is click_ad, anything else click.
    addEventListener("click", (e) => {
      const inAd = e.target instanceof Element && e.target.closest("[data-privads-ad]");
      record(inAd ? "click_ad" : "click", depthNow());
    }, true);

    // Hover: the pointer stays >= 500 ms on an interactive element; one event per entry.
    const INTERACTIVE = "a, button, img, [data-privads-ad]";
    let hovered = null, hoverTimer = 0;
    addEventListener("pointerover", (e) => {
      const el = e.target instanceof Element ? e.target.closest(INTERACTIVE) : null;
      if (el === hovered) return;
      clearTimeout(hoverTimer);
      hovered = el;
      if (el) hoverTimer = setTimeout(() => { if (hovered === el) record("hover", depthNow()); }, 500);
    });

    // Focus / blur / visibility, de-duplicated so the stream alternates.
    let focused = true;
    const setFocus = (f) => { if (f !== focused) { focused = f; record(f ? "focus_window" : "blur_window"); } };
    addEventListener("focus", () => setFocus(true));
    addEventListener("blur", () => setFocus(false));
    document.addEventListener("visibilitychange", () => setFocus(document.visibilityState === "visible"));
    addEventListener("pagehide", () => record("close_tab"));

    // Display.
    const table = document.getElementById("features");
    const cells = FEATURE_NAMES.map((name) => {
      const row = table.insertRow();
      row.insertCell().textContent = name;
      return row.insertCell();
    });
    async function update() {
      try {
        const t = now();
        emitWaits(t);
        const x = extractor.featuresAt(Math.max(t, lastAction ?? 0));
        const minActions = state.ready ? predictor.windowConfig.minActions : 5;
        const useModel = state.ready && extractor.eventCount >= minActions;
        const p = useModel ? await predictor.predictClickProbability(toFeatureVector(x)) : heuristicFromFeatures(x);
        state.features = toFeatureVector(x);
        state.probability = p;
        state.source = useModel ? "model" : "heuristic";
        document.getElementById("probability").textContent = (100 * p).toFixed(2) + " %";
        document.getElementById("source").textContent = state.source;
        document.getElementById("event-count").textContent = String(state.events.length);
        FEATURE_NAMES.forEach((name, i) => { cells[i].textContent = Number.isInteger(x[i]) ? String(x[i]) : x[i].toFixed(4); });
      } catch (error) {
        state.error = String(error);
        console.warn("[privads]", error);
      }
    }
    setInterval(update, 1000);
    predictor.initialize().then(() => {
      state.ready = true;
      extractor = new SlidingWindowExtractor(predictor.windowConfig);
      for (const e of state.events) extractor.push(e);
      document.getElementById("status").textContent = "model ready (" + runtime + ")";
      return update();
    }, (error) => {
      state.error = String(error);
      const status = document.getElementById("status");
      status.textContent = "model unavailable, showing the heuristic: " + error.message;
      status.className = "error";
    });
    void update();
  </script>
</body>
</html>
`;
}
