import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";

// `npm test` builds dist/ first. The goal (docs/inference.md) is 15 KB gzipped without
// onnxruntime-web; contract v2 (ad observers, ad features, feature sets) took it to 16.3 KB
// after two rounds of trimming (18.5 -> 16.3 KB). This guard holds that line so it cannot grow
// unnoticed; the goal is not met and stays open. The model-size bounds (1 MiB checked on
// Content-Length and while streaming, the decoder's field budget: docs/robustness.md) and
// consent with Global Privacy Control plus the prototype-pollution defence (docs/privacy.md)
// took it to 16.7 KB, and the finite-probability bounds of the model contract to 17.1 KB. The
// model's domain (the clamp in the contract, the decoder's two graph shapes, the runtime) added
// 0.4 KB and per-frame live snapshots with wait catch-up (bounded work per event) 0.5 KB: 18.0 KB.
const GOAL_KB = 15;
const GUARD_KB = 18.1;

describe("browser bundle", () => {
  it(`interaction_predictor.js (predictor, extractor, tracker, live prediction) stays <= ${GUARD_KB} KB gzipped (goal ${GOAL_KB} KB)`, () => {
    const bundle = readFileSync(new URL("../../dist/browser/interaction_predictor.js", import.meta.url));
    const kb = gzipSync(bundle, { level: 9 }).length / 1024;
    expect(kb).toBeGreaterThan(1); // a real bundle, not an empty file
    expect(kb).toBeLessThanOrEqual(GUARD_KB);
    if (kb > GOAL_KB) console.log(`[bundle] ${kb.toFixed(2)} KB gzipped: over the ${GOAL_KB} KB goal`);
    // Node built-ins never reach the browser bundle (onnxruntime-node is loaded by a name held in a variable).
    expect(/["']node:[a-z]/.test(bundle.toString()), "the bundle imports a node: module").toBe(false);
  });
});
