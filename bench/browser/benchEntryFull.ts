// "full": the tracker with live prediction and InteractionPredictor (builtin runtime; onnxruntime-web stays external, loaded on demand).
export { InteractionTracker } from "../../src/tracker/interactionTracker.js";
export { createLivePrediction } from "../../src/tracker/liveClickPrediction.js";
export { SlidingWindowExtractor } from "../../src/core/slidingWindowExtractor.js";
export { InteractionPredictor } from "../../src/browser/interactionPredictor.js";
