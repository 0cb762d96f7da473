import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";

// `npm test` builds dist/ first; the budget (docs/inference.md) is 15 KB gzipped without onnxruntime-web.
describe("browser bundle", () => {
  it("interaction_predictor.js (predictor, extractor, tracker, live prediction) is <= 15 KB gzipped", () => {
    const bundle = readFileSync(new URL("../../dist/browser/interaction_predictor.js", import.meta.url));
    const kb = gzipSync(bundle, { level: 9 }).length / 1024;
    expect(kb).toBeGreaterThan(1); // a real bundle, not an empty file
    expect(kb).toBeLessThanOrEqual(15);
    // Node built-ins never reach the browser bundle (onnxruntime-node is loaded by a name held in a variable).
    expect(/["']node:[a-z]/.test(bundle.toString()), "the bundle imports a node: module").toBe(false);
  });
});
