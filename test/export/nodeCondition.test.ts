import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../scripts/buildOptions.mjs";
import type * as Sdk from "../../src/browser/index.js";
import { buildOnnxModel } from "../../src/export/onnxExporter.js";
import { randomModel } from "./testModel.js";

// `npm test` builds dist/ first. The browser bundle leaves the onnxruntime-node adapter out
// (it is native); Node resolves the package ("exports", condition "node") to dist/node/, which has it.
describe("the package's Node and browser builds", () => {
  const bytes = buildOnnxModel(randomModel(7, "seed"));
  const load = async (file: string): Promise<typeof Sdk> => (await import(pathToFileURL(`${ROOT}${file}`).href)) as typeof Sdk;

  it("the browser bundle rejects runtime onnxruntime-node with a clear error", async () => {
    const { InteractionPredictor } = await load("dist/browser/interaction_predictor.js");
    await expect(new InteractionPredictor({ model: bytes, runtime: "onnxruntime-node" }).initialize()).rejects.toThrow(
      /runtime "onnxruntime-node" runs in Node only; in a browser use "builtin" or "onnxruntime-web"/,
    );
  });

  it("import('privads') in Node loads dist/node/, which runs onnxruntime-node", async () => {
    // A variable specifier: type-checking must not depend on dist/types being built.
    const specifier = "privads";
    const { InteractionPredictor } = (await import(specifier)) as typeof Sdk;
    const predictor = new InteractionPredictor({ model: bytes, runtime: "onnxruntime-node" });
    await predictor.initialize();
    expect(predictor.runtimeInUse).toBe("onnxruntime-node");
    expect(await predictor.predictClickProbability({})).toBeGreaterThan(0);
    predictor.dispose();
  });
});
