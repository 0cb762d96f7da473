import { createElement, useEffect, useRef, useState, type ReactNode } from "react";
import { InteractionPredictor } from "../browser/interactionPredictor.js";
import { ErrorReporter } from "../tracker/errorReporter.js";
import { InteractionTracker, type ConsentState, type InteractionTrackerOptions } from "../tracker/interactionTracker.js";
import { createLivePrediction, type ClickPredictor, type LivePrediction } from "../tracker/liveClickPrediction.js";
import { ownOptions } from "../tracker/ownProperties.js";
import { PrivAdsContext } from "./privAdsContext.js";
import { createPrivAdsStore } from "./privAdsStore.js";

export interface PrivAdsProviderProps {
  /** Where the model is served. Default "/models/interaction_predictor.onnx". */
  modelUrl?: string;
  /** Default "builtin" (no dependencies); "onnxruntime-web" needs its wasm files on the page's origin. */
  runtime?: "builtin" | "onnxruntime-web";
  /** onnxruntime-web only: URL prefix of its files. Default "/models/ort/". */
  wasmPaths?: string;
  /** A fresh prediction every `intervalMs` besides each action. Default 1000. */
  intervalMs?: number;
  /** Use this predictor instead of loading `modelUrl`; `null` runs the heuristic only. */
  predictor?: ClickPredictor | null;
  /** fetch used to load the model (read when the predictor is created). */
  fetch?: typeof fetch;
  /** Tracker options (read once, when the tracker is created). */
  trackerOptions?: InteractionTrackerOptions;
  /**
   * The person's consent (docs/privacy.md, "Consent and Global Privacy Control"): `"granted"`
   * observes, `"pending"` and `"denied"` attach nothing and hold nothing; changing it to either
   * drops everything recorded at once. Default: `trackerOptions.consent`, else `"granted"`.
   * Global Privacy Control is honoured unless `trackerOptions.honorGlobalPrivacyControl` is false.
   */
  consent?: ConsentState;
  children?: ReactNode;
}

interface Instance {
  tracker: InteractionTracker;
  predictor: ClickPredictor | null;
  /** True when the provider created the predictor (and so may dispose it). */
  owned: boolean;
  /** What the predictor was made from: recreated when it changes. */
  source: unknown;
}

/**
 * Starts an `InteractionTracker` and a live click prediction for its subtree; read them
 * with `useClickPrediction()` and `usePrivAds()`.
 *
 * Nothing touches `window` or `document` during render or at import, so server rendering is
 * safe (hooks return the initial state there). The tracker and predictor are created once,
 * in an effect, behind a ref guard: StrictMode's mount/unmount/mount leaves exactly one set
 * of listeners, and unmounting removes them all. Errors are logged once with `[privads]`
 * and never thrown into the page.
 */
export function PrivAdsProvider(given: PrivAdsProviderProps): ReactNode {
  // Own properties only: a prop the site did not pass is never read from a polluted Object.prototype.
  const props = ownOptions(given);
  const { modelUrl, runtime, wasmPaths, intervalMs, predictor: givenPredictor, consent, children } = props;
  const [store] = useState(createPrivAdsStore);
  const [errors] = useState(() => new ErrorReporter(undefined, "PrivAdsProvider"));
  const instance = useRef<Instance | null>(null);
  const latestProps = useRef(props);

  // Runs before the main effect (effects run in order), so it sees this render's props.
  useEffect(() => {
    latestProps.current = props;
  });

  // A change of consent after the tracker exists (the first value goes to its constructor, so
  // nothing is attached before it applies).
  useEffect(() => {
    try {
      if (consent !== undefined) instance.current?.tracker.setConsent(consent);
    } catch (error) {
      errors.report(error);
    }
  }, [consent, errors]);

  useEffect(() => {
    let live: LivePrediction | undefined;
    let unsubscribe: (() => void) | undefined;
    try {
      const source = givenPredictor !== undefined ? givenPredictor : `${modelUrl ?? ""}\n${runtime ?? ""}\n${wasmPaths ?? ""}`;
      let current = instance.current;
      if (current === null) {
        const options = ownOptions(latestProps.current.trackerOptions);
        if (latestProps.current.consent !== undefined) options.consent = latestProps.current.consent;
        current = { tracker: new InteractionTracker(options), predictor: null, owned: false, source: undefined };
        instance.current = current;
      }
      if (!Object.is(current.source, source) || current.source === undefined) {
        if (current.owned && current.predictor instanceof InteractionPredictor) current.predictor.dispose();
        current.owned = givenPredictor === undefined;
        current.predictor = givenPredictor !== undefined ? givenPredictor : createPredictor(latestProps.current, errors);
        current.source = source;
      }
      const { tracker, predictor } = current;
      tracker.start();
      const running = createLivePrediction({ tracker, predictor, intervalMs });
      live = running;
      unsubscribe = running.subscribe((snapshot) => {
        const { probability, features, featureSet, adState, source, t, eventCount } = snapshot;
        store.update({
          prediction: {
            probability,
            features,
            featureSet,
            adsInView: adState.adsInView,
            pointerOnAd: adState.pointerOnAd,
            source,
            ready: running.modelReady,
            error: running.modelError ?? null,
            t,
            eventCount,
          },
        });
      });
      store.update({ tracker });
    } catch (error) {
      errors.report(error);
    }
    return () => {
      try {
        unsubscribe?.();
        live?.dispose();
        instance.current?.tracker.stop();
      } catch (error) {
        errors.report(error);
      }
    };
  }, [store, errors, modelUrl, runtime, wasmPaths, intervalMs, givenPredictor]);

  return createElement(PrivAdsContext.Provider, { value: store }, children);
}

function createPredictor(props: PrivAdsProviderProps, errors: ErrorReporter): ClickPredictor | null {
  try {
    return new InteractionPredictor({ modelUrl: props.modelUrl, runtime: props.runtime, wasmPaths: props.wasmPaths, fetch: props.fetch });
  } catch (error) {
    errors.report(error);
    return null;
  }
}
