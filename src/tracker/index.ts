// The live browser side: DOM tracker and live click prediction. Nothing here runs on import.
export * from "./interactionTracker.js";
export * from "./liveClickPrediction.js";
export type { TrackerTimers } from "./trackerTimers.js";
export type { PrivAdsLogger } from "./errorReporter.js";
export { LOG_PREFIX } from "./errorReporter.js";
/** @internal shared with the React bindings, which import the SDK bundle rather than a copy. */
export { ErrorReporter } from "./errorReporter.js";
/** @internal shared with the React bindings: options and props are read as own properties only. */
export { ownOptions } from "./ownProperties.js";
