import type { FeatureSetName, FeatureVector } from "../core/featureNames.js";
import type { InteractionTracker } from "../tracker/interactionTracker.js";
import type { PredictionSource } from "../tracker/liveClickPrediction.js";

/** What `useClickPrediction()` returns. */
export interface ClickPredictionState {
  /** Latest click probability; null until the first snapshot (and during server rendering). */
  probability: number | null;
  /** The named features behind it (the 20, plus the six ad features under the `ads` set); null until the first snapshot. */
  features: FeatureVector | null;
  /** Which set `features` holds: the model's once ready, `ads` before that and for the fallback; null until the first snapshot. */
  featureSet: FeatureSetName | null;
  /** Ad slots viewable now (docs/ad-signals.md: >= 50 % in view for 1 s of a visible, focused tab); 0 until the first snapshot. */
  adsInView: number;
  /** True while the pointer is inside an ad slot; false until the first snapshot. */
  pointerOnAd: boolean;
  /** "model" or "heuristic" (the fallback); null until the first snapshot. */
  source: PredictionSource | null;
  /** True once the model has loaded. */
  ready: boolean;
  /** Why the model is not used (load or scoring failure); the heuristic answers meanwhile. */
  error: Error | null;
  /** Window end of the snapshot, seconds since the tracker started. */
  t: number;
  /** Events in the window. */
  eventCount: number;
}

/** @internal */
export interface PrivAdsState {
  prediction: ClickPredictionState;
  tracker: InteractionTracker | null;
}

export const INITIAL_PREDICTION: ClickPredictionState = Object.freeze({
  probability: null,
  features: null,
  featureSet: null,
  adsInView: 0,
  pointerOnAd: false,
  source: null,
  ready: false,
  error: null,
  t: 0,
  eventCount: 0,
});

const INITIAL_STATE: PrivAdsState = Object.freeze({ prediction: INITIAL_PREDICTION, tracker: null });

/**
 * A tiny external store for `useSyncExternalStore`: immutable state, replaced on change.
 * @internal
 */
export interface PrivAdsStore {
  getState(): PrivAdsState;
  /** The state used for server rendering and hydration: always the initial one. */
  getServerState(): PrivAdsState;
  subscribe(listener: () => void): () => void;
  update(change: Partial<PrivAdsState>): void;
}

/** @internal */
export function createPrivAdsStore(): PrivAdsStore {
  let state = INITIAL_STATE;
  const listeners = new Set<() => void>();
  return {
    getState: () => state,
    getServerState: () => INITIAL_STATE,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    update(change) {
      state = { ...state, ...change };
      for (const listener of listeners) listener();
    },
  };
}

/** The store used outside a provider: never changes. @internal */
export const DETACHED_STORE: PrivAdsStore = {
  getState: () => INITIAL_STATE,
  getServerState: () => INITIAL_STATE,
  subscribe: () => () => {},
  update: () => {},
};
