// Browser bundle entry for trackerLoad.test.ts and privacy.test.ts: the tracker and live prediction.
export { InteractionTracker } from "../../src/tracker/interactionTracker.js";
export { createLivePrediction } from "../../src/tracker/liveClickPrediction.js";
export { SlidingWindowExtractor } from "../../src/core/slidingWindowExtractor.js";
export { manualClock } from "../support/manualClock.js";
