// React bindings: <PrivAdsProvider> and its hooks. Safe to import during server rendering.
export * from "./privAdsProvider.js";
export * from "./useClickPrediction.js";
export * from "./usePrivAds.js";
export type { ClickPredictionState } from "./privAdsStore.js";
