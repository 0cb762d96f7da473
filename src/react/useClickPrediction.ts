import { useContext, useSyncExternalStore } from "react";
import { PrivAdsContext } from "./privAdsContext.js";
import { DETACHED_STORE, type ClickPredictionState } from "./privAdsStore.js";

/**
 * The live click prediction of the nearest `<PrivAdsProvider>`: `{ probability, features,
 * featureSet, adsInView, pointerOnAd, source, ready, error, t, eventCount }`, updated on each
 * action, on each ad signal (an ad becoming viewable, the pointer entering or leaving one) and
 * every `intervalMs`.
 * `probability` is null before the first snapshot, during server rendering and outside a
 * provider (the hook never throws).
 */
export function useClickPrediction(): ClickPredictionState {
  const store = useContext(PrivAdsContext) ?? DETACHED_STORE;
  return useSyncExternalStore(
    store.subscribe,
    () => store.getState().prediction,
    () => store.getServerState().prediction,
  );
}
