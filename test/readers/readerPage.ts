// Runs in the page (bundled by esbuild in readerSite.ts): the tracker and live prediction as a
// site wires them (the demo's provider: default tracker options, a snapshot every second),
// the builtin predictor on the served model, and probes of the real layout for the test.
import { InteractionPredictor } from "../../src/browser/interactionPredictor.js";
import { InteractionTracker } from "../../src/tracker/interactionTracker.js";
import { createLivePrediction, type ClickPredictionSnapshot } from "../../src/tracker/liveClickPrediction.js";

/** Share of a slot's area inside the viewport that counts as "half visible" (the IAB/MRC area rule). */
const HALF = 0.5;

const tracker = new InteractionTracker();
tracker.start();
const predictor = new InteractionPredictor({ modelUrl: "model.onnx" });
const live = createLivePrediction({ tracker, predictor, intervalMs: 1000 });
const warnings: string[] = [];

function slots(): HTMLElement[] {
  return Array.from(document.querySelectorAll<HTMLElement>("[data-privads-ad]"));
}

/** Slots with at least half their area inside the viewport, from the layout now. */
function slotsHalfVisible(): number {
  return slots().filter((slot) => {
    const box = slot.getBoundingClientRect();
    const visible = Math.max(0, Math.min(box.bottom, innerHeight) - Math.max(box.top, 0)) * Math.max(0, Math.min(box.right, innerWidth) - Math.max(box.left, 0));
    return box.width * box.height > 0 && visible >= HALF * box.width * box.height;
  }).length;
}

const api = {
  /** Resolves once the model is loaded (it loads in real time; the clock may be paused). */
  ready: (): Promise<boolean> => predictor.initialize().then(() => live.modelReady),

  /** A snapshot computed now (the probability the panel would show if it ticked now). */
  reading(): Promise<ClickPredictionSnapshot> {
    return new Promise((resolve) => {
      let armed = false;
      const stop = live.subscribe((snapshot) => {
        if (!armed) return; // the latest snapshot, delivered at once on subscribing
        stop();
        resolve(snapshot);
      });
      armed = true;
      live.refresh();
    });
  },

  slotsHalfVisible,

  /**
   * Resolves after the next rendering update has delivered IntersectionObserver entries: a
   * fresh observer's first entries come after those of the tracker's (older) observer for the
   * same update, so the tracker has then seen the current layout.
   */
  layoutSeen(): Promise<void> {
    return new Promise((resolve) => {
      const probe = new IntersectionObserver(() => {
        probe.disconnect();
        resolve();
      });
      probe.observe(document.body);
    });
  },

  /**
   * Switches the tab away or back as the browser reports it: visibility, `hasFocus()` and the
   * window's blur/focus (real tab switches reach a headless page late or not at all).
   */
  setAttention(attentive: boolean): void {
    Object.defineProperty(document, "visibilityState", { configurable: true, get: () => (attentive ? "visible" : "hidden") });
    Object.defineProperty(document, "hidden", { configurable: true, get: () => !attentive });
    Object.defineProperty(document, "hasFocus", { configurable: true, value: () => attentive });
    document.dispatchEvent(new Event("visibilitychange"));
    window.dispatchEvent(new FocusEvent(attentive ? "focus" : "blur"));
  },

  exportSession: (): string => tracker.exportSession("reader"),
  warnings,
};

declare global {
  interface Window {
    readerPage: typeof api;
  }
}

window.readerPage = api;
