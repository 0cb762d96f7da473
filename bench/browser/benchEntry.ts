// Bundle entries for the size and per-event benchmarks (trackerBench.test.ts).
// "minimal": what a page needs to track, extract features and score with the builtin runtime.
export { InteractionTracker } from "../../src/tracker/interactionTracker.js";
export { SlidingWindowExtractor } from "../../src/core/slidingWindowExtractor.js";
export { heuristicFromFeatures } from "../../src/core/heuristicPrediction.js";
export { createBuiltinRuntime } from "../../src/browser/runtimes/builtinRuntime.js";
export { decodeOnnxModel } from "../../src/browser/decodeOnnxModel.js";
