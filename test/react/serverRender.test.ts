// Runs in plain Node (no DOM): server rendering must not touch window or document.
import { createElement, type ReactNode } from "react";
import { renderToString } from "react-dom/server";
import { afterEach, describe, expect, it } from "vitest";

const touched: string[] = [];
const globals = ["window", "document", "navigator", "localStorage"] as const;

afterEach(() => {
  for (const name of globals) delete (globalThis as Record<string, unknown>)[name];
});

describe("server rendering", () => {
  it("imports and renders <PrivAdsProvider> with its hooks without touching window or document", async () => {
    for (const name of globals) {
      Object.defineProperty(globalThis, name, {
        configurable: true,
        get() {
          touched.push(name);
          return undefined;
        },
      });
    }
    const { PrivAdsProvider, useClickPrediction, usePrivAds } = await import("../../src/react/index.js");
    function Panel(): ReactNode {
      const { probability, source, ready, adsInView, pointerOnAd } = useClickPrediction();
      const { tracker } = usePrivAds();
      return createElement("p", null, `p=${String(probability)} source=${String(source)} ready=${ready} ads=${adsInView} pointer=${pointerOnAd} tracker=${tracker === null ? "none" : "some"}`);
    }
    const html = renderToString(createElement(PrivAdsProvider, { modelUrl: "/models/interaction_predictor.onnx" }, createElement(Panel)));
    expect(html).toBe("<p>p=null source=null ready=false ads=0 pointer=false tracker=none</p>");
    expect(touched).toEqual([]);
  });
});
