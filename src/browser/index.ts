// Package entry: dist/browser/interaction_predictor.js, and dist/node/ for Node (with the
// onnxruntime-node adapter; scripts/buildOptions.mjs). Nothing here may import node:*.
export * from "./interactionPredictor.js";
export type { RuntimeName } from "../onnx/inferenceRuntime.js";
export { decodeOnnxModel } from "./decodeOnnxModel.js";
export { extractSlidingWindowFeatures, SlidingWindowExtractor } from "../core/slidingWindowExtractor.js";
export { calculateHeuristicPrediction, heuristicFromFeatures } from "../core/heuristicPrediction.js";
export { FEATURE_NAMES, FEATURE_COUNT, toFeatureVector } from "../core/featureNames.js";
export type { FeatureName, FeatureVector } from "../core/featureNames.js";
export { ACTION_TYPES } from "../core/actionTypes.js";
export type { ActionType } from "../core/actionTypes.js";
export type { InteractionEvent } from "../core/interactionEvent.js";
export { waitTimes, withWaits, WAIT_INTERVAL } from "../core/waitRule.js";
export { ModelFormatError } from "../core/interactionModel.js";
export * from "../tracker/index.js";
