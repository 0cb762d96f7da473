import type { AdSignal } from "../core/adSignal.js";
import { isFeatureSetName, toFeatureVector, type FeatureSetName, type FeatureVector } from "../core/featureNames.js";
import { heuristicFromFeatures } from "../core/heuristicPrediction.js";
import type { InteractionEvent } from "../core/interactionEvent.js";
import { SlidingWindowExtractor } from "../core/slidingWindowExtractor.js";
import { DEFAULT_WINDOW_CONFIG, type WindowConfig } from "../core/windowConfig.js";
import { ErrorReporter, type PrivAdsLogger } from "./errorReporter.js";
import { FrameScheduler } from "./frameScheduler.js";
import { ownOptions } from "./ownProperties.js";
import { clampOption, resolveTimers, type TrackerTimers } from "./trackerTimers.js";

/** What produced a probability: the trained model, or the hand-set fallback. */
export type PredictionSource = "model" | "heuristic";

/**
 * What the page shows of its ad slots right now (docs/ad-signals.md): the latest `ads_in_view`
 * and `pointer_on_ad` records. Tracked whatever the feature set, so a `seed` model's page can
 * still show it.
 */
export interface AdState {
  /** Ad slots viewable now (IAB/MRC: >= 50 % in view for 1 s of a visible, focused tab). */
  adsInView: number;
  /** True while the pointer is inside an ad slot. */
  pointerOnAd: boolean;
}

/** One live reading. */
export interface ClickPredictionSnapshot {
  /** Probability of an ad click within the model's horizon. */
  probability: number;
  /** The features of the window ending at `t`, named: the 20, plus the six ad features under the `ads` set. */
  features: FeatureVector;
  /** The set `features` holds: the model's once it is ready, `ads` before that and for the heuristic fallback. */
  featureSet: FeatureSetName;
  /** The ad state at `t`. */
  adState: AdState;
  source: PredictionSource;
  /** Window end, seconds since the tracker's start. */
  t: number;
  /** Events in the window. */
  eventCount: number;
}

/** The part of `InteractionPredictor` live prediction uses (any object with these works). */
export interface ClickPredictor {
  initialize(): Promise<void>;
  predictClickProbability(features: Partial<FeatureVector>): Promise<number>;
  /** True once initialised (optional; read when present). */
  readonly ready?: boolean;
  /** The model's window config, available once initialised (optional). */
  readonly windowConfig?: WindowConfig;
  /**
   * The feature set the model was trained on, available once initialised (optional). A ready
   * predictor that does not say is taken to be a `seed` (20-feature) model: that is the
   * contract such predictors were written against.
   */
  readonly featureSet?: FeatureSetName;
}

/** The part of `InteractionTracker` live prediction uses. */
export interface EventSource {
  onEvent(listener: (event: InteractionEvent) => void): () => void;
  getEvents(): InteractionEvent[];
  currentTime(): number;
  /** Ad signal records as they happen (optional: a source without them reports no ad ever in view). */
  onAdSignal?(listener: (signal: AdSignal) => void): () => void;
  /** The retained ad signals, preceded by the latest older record of each type (optional). */
  getAdSignals?(): AdSignal[];
  /** Calls `listener` when the source dropped everything it held (consent withdrawn; optional). */
  onReset?(listener: () => void): () => void;
  /**
   * Records now the derived `wait`s already due (optional): a window ending now then counts
   * the waits an offline window ending now would, whatever the lateness of the source's timer.
   */
  catchUpWaits?(): void;
}

export interface LivePredictionOptions {
  tracker: EventSource;
  /** Scores windows once initialised; without one (or while loading, or after a failure) the heuristic answers. */
  predictor?: ClickPredictor | null;
  /** A fresh snapshot every `intervalMs` besides those after actions and ad signals. Default 1000 (clamped to 50..60000); 0 disables the timer. */
  intervalMs?: number;
  /** Window settings until (and unless) the model brings its own. Default docs/features.md's. */
  windowConfig?: Partial<WindowConfig>;
  timers?: Partial<TrackerTimers>;
  logger?: PrivAdsLogger;
}

export type SnapshotListener = (snapshot: ClickPredictionSnapshot) => void;

/** A running live prediction; see {@link createLivePrediction}. */
export interface LivePrediction {
  /** Calls `listener` with every new snapshot (and at once with the latest, if any). Returns the unsubscribe function. */
  subscribe(listener: SnapshotListener): () => void;
  /** The latest snapshot (computed now when records arrived since: it never lags the window). */
  getSnapshot(): ClickPredictionSnapshot | undefined;
  /** True once the predictor has initialised (and has not failed since). */
  readonly modelReady: boolean;
  /** Why the model is not used, when it failed. */
  readonly modelError: Error | undefined;
  /** Computes a snapshot now. */
  refresh(): void;
  /** Stops the timer and the tracker subscription. */
  dispose(): void;
}

/**
 * Feeds every tracker event and ad signal into one live {@link SlidingWindowExtractor} (a push
 * per record, O(1)) and publishes a snapshot at the next animation frame after actions and ad
 * signals (so the probability reacts before the next paint to a click, an ad becoming viewable
 * or the pointer entering one, while a storm of events costs one window evaluation and one
 * prediction per frame, not per event) and every `intervalMs`: the model's probability when the predictor is
 * ready and the window holds at least `minActions` events, otherwise `heuristicFromFeatures`
 * (source "heuristic"). The extractor computes the model's feature set once the model is
 * ready, and the `ads` set before that and after a failure, so the heuristic sees the ad state.
 * Never throws: errors are logged once with `[privads]` and the heuristic takes over.
 */
export function createLivePrediction(options: LivePredictionOptions): LivePrediction {
  return new LiveClickPrediction(options);
}

/** The set the heuristic reads (and the one used until a model says otherwise): it holds the ad state. */
const FALLBACK_SET: FeatureSetName = "ads";

class LiveClickPrediction implements LivePrediction {
  readonly #tracker: EventSource;
  readonly #predictor: ClickPredictor | null;
  readonly #timers: TrackerTimers;
  readonly #errors: ErrorReporter;
  readonly #listeners = new Set<SnapshotListener>();
  readonly #unsubscribes: Array<() => void> = [];
  /** The one pending snapshot after records arrived (coalesced per frame). */
  readonly #pending: FrameScheduler;
  #row: Float64Array;
  #extractor: SlidingWindowExtractor;
  #interval: unknown;
  #snapshot: ClickPredictionSnapshot | undefined;
  #lastQuery = 0;
  #sequence = 0;
  #disposed = false;
  #ready = false;
  #error: Error | undefined;
  /** The ad state, kept apart from the extractor because the `seed` set ignores signals. */
  #adsInView = 0;
  #pointerOnAd = false;
  /** Time of the latest ad signal: a query may not precede it. */
  #latestSignal = 0;

  constructor(given: LivePredictionOptions) {
    const options = ownOptions(given) as LivePredictionOptions;
    this.#errors = new ErrorReporter(options.logger, "live click prediction");
    this.#tracker = options.tracker;
    this.#predictor = options.predictor ?? null;
    this.#timers = resolveTimers(options.timers);
    this.#pending = new FrameScheduler(() => this.refresh(), this.#timers);
    this.#extractor = this.#newExtractor({ ...DEFAULT_WINDOW_CONFIG, ...options.windowConfig }, FALLBACK_SET);
    this.#row = new Float64Array(this.#extractor.featureCount);
    try {
      this.#unsubscribes.push(this.#tracker.onEvent((event) => this.#onTrackerEvent(event)));
      if (typeof this.#tracker.onAdSignal === "function") {
        this.#unsubscribes.push(this.#tracker.onAdSignal((signal) => this.#onAdSignal(signal)));
      }
      // The source forgot everything: so does the window (a fresh extractor from its now empty records).
      if (typeof this.#tracker.onReset === "function") {
        this.#unsubscribes.push(
          this.#tracker.onReset(() => {
            if (this.#disposed) return;
            this.#pending.stop(); // no timer of ours outlives the withdrawal
            this.#extractor = this.#newExtractor(this.#extractor.config, this.#extractor.featureSet);
            this.refresh();
          }),
        );
      }
    } catch (error) {
      this.#errors.report(error);
    }
    const intervalMs = options.intervalMs === 0 ? 0 : clampOption(options.intervalMs, 1000, 50, 60_000);
    if (intervalMs > 0) this.#interval = this.#timers.setInterval(() => this.refresh(), intervalMs);
    this.#startModel();
    this.refresh();
  }

  get modelReady(): boolean {
    return this.#ready && this.#error === undefined;
  }

  get modelError(): Error | undefined {
    return this.#error;
  }

  subscribe(listener: SnapshotListener): () => void {
    if (typeof listener !== "function" || this.#disposed) return () => {};
    this.#listeners.add(listener);
    if (this.#snapshot) this.#deliver(listener, this.#snapshot);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  getSnapshot(): ClickPredictionSnapshot | undefined {
    try {
      this.#pending.flush();
    } catch (error) {
      this.#errors.report(error);
    }
    return this.#snapshot;
  }

  refresh(): void {
    if (this.#disposed) return;
    try {
      // The waits due by now first (their own records would request another snapshot: this one covers them).
      this.#tracker.catchUpWaits?.();
      this.#pending.cancel();
      const extractor = this.#extractor;
      const set = extractor.featureSet;
      const t = Math.max(this.#tracker.currentTime(), this.#lastQuery, extractor.latestTime, this.#latestSignal);
      this.#lastQuery = t;
      const row = extractor.featuresAt(t, this.#row);
      const features = toFeatureVector(row, 0, set);
      const eventCount = extractor.eventCount;
      const adState: AdState = { adsInView: this.#adsInView, pointerOnAd: this.#pointerOnAd };
      const sequence = ++this.#sequence;
      const reading = { features, featureSet: set, adState, t, eventCount };
      if (!this.modelReady || !this.#predictor || eventCount < extractor.config.minActions) {
        this.#publish({ probability: heuristicFromFeatures(row, 0, set), source: "heuristic", ...reading });
        return;
      }
      this.#predictor.predictClickProbability(features).then(
        (probability) => {
          if (sequence !== this.#sequence || this.#disposed) return; // a newer snapshot exists
          if (typeof probability !== "number" || !Number.isFinite(probability)) {
            this.#fail(new TypeError(`the predictor returned ${String(probability)}, not a probability`));
            this.refresh();
            return;
          }
          this.#publish({ probability, source: "model", ...reading });
        },
        (error: unknown) => {
          if (this.#disposed) return;
          this.#fail(error);
          if (sequence === this.#sequence) this.refresh(); // the heuristic, on the fallback set

        },
      );
    } catch (error) {
      this.#errors.report(error);
    }
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    try {
      for (const unsubscribe of this.#unsubscribes.splice(0)) unsubscribe();
      if (this.#interval !== undefined) this.#timers.clearInterval(this.#interval);
      this.#pending.stop();
    } catch (error) {
      this.#errors.report(error);
    }
    this.#interval = undefined;
    this.#listeners.clear();
  }

  #onTrackerEvent(event: InteractionEvent): void {
    if (this.#disposed) return;
    try {
      this.#extractor.push(event);
      this.#pending.request();
      if (event.type === "close_tab" && this.#interval !== undefined) {
        this.#timers.clearInterval(this.#interval);
        this.#interval = undefined;
      }
    } catch (error) {
      this.#errors.report(error);
    }
  }

  /** One push (O(1)) and a snapshot at the next frame: the ad state moves the probability without waiting for the timer. */
  #onAdSignal(signal: AdSignal): void {
    if (this.#disposed) return;
    try {
      this.#extractor.pushAdSignal(signal);
      this.#applyAdState(signal);
      this.#pending.request();
    } catch (error) {
      this.#errors.report(error);
    }
  }

  #applyAdState(signal: AdSignal): void {
    if (signal.type === "ads_in_view") this.#adsInView = signal.value;
    else this.#pointerOnAd = signal.value === 1;
    if (signal.t > this.#latestSignal) this.#latestSignal = signal.t;
  }

  #startModel(): void {
    const predictor = this.#predictor;
    if (!predictor) return;
    const onReady = () => {
      if (this.#disposed) return;
      this.#ready = true;
      this.#adoptModel(predictor);
      this.refresh();
    };
    try {
      if (predictor.ready === true) {
        this.#ready = true;
        this.#adoptModel(predictor);
        return;
      }
      predictor.initialize().then(onReady, (error: unknown) => {
        if (this.#disposed) return;
        this.#fail(error);
        this.refresh();
      });
    } catch (error) {
      this.#fail(error);
    }
  }

  /**
   * Rebuilds the extractor from the tracker's retained records when the model's window or
   * feature set differs from the current one.
   */
  #adoptModel(predictor: ClickPredictor): void {
    let config: WindowConfig | undefined;
    let set: unknown;
    try {
      config = predictor.windowConfig;
      set = predictor.featureSet;
    } catch (error) {
      this.#errors.report(error);
      return;
    }
    this.#rebuild(config ?? this.#extractor.config, isFeatureSetName(set) ? set : "seed");
  }

  /** Goes back to the fallback set (keeping the window) so the heuristic sees the ad state. */
  #fail(error: unknown): void {
    this.#error = error instanceof Error ? error : new Error(String(error));
    this.#errors.report(error);
    this.#rebuild(this.#extractor.config, FALLBACK_SET);
  }

  #rebuild(config: WindowConfig, set: FeatureSetName): void {
    const current = this.#extractor;
    if (set === current.featureSet && config.windowSize === current.config.windowSize && config.minActions === current.config.minActions) return;
    this.#extractor = this.#newExtractor(config, set);
    if (this.#row.length !== this.#extractor.featureCount) this.#row = new Float64Array(this.#extractor.featureCount);
  }

  /**
   * A new extractor fed the tracker's retained events and ad signals (the tracker keeps the
   * latest older record of each kind that still carries state, so this equals the extractor
   * that saw the whole session; the two kinds are buffered apart, so they need no merging).
   * The ad state is re-read from the same records. On a bad record, an empty extractor rather
   * than a half-fed window.
   */
  #newExtractor(config: Partial<WindowConfig>, set: FeatureSetName): SlidingWindowExtractor {
    let events: InteractionEvent[] = [];
    let signals: AdSignal[] = [];
    try {
      events = this.#tracker.getEvents();
      signals = typeof this.#tracker.getAdSignals === "function" ? this.#tracker.getAdSignals() : [];
    } catch (error) {
      this.#errors.report(error);
    }
    this.#adsInView = 0;
    this.#pointerOnAd = false;
    for (const signal of signals) this.#applyAdState(signal);
    const extractor = new SlidingWindowExtractor(config, set);
    try {
      for (const event of events) extractor.push(event);
      for (const signal of signals) extractor.pushAdSignal(signal);
    } catch (error) {
      this.#errors.report(error);
      return new SlidingWindowExtractor(config, set);
    }
    return extractor;
  }

  #publish(snapshot: ClickPredictionSnapshot): void {
    this.#snapshot = snapshot;
    for (const listener of this.#listeners) this.#deliver(listener, snapshot);
  }

  #deliver(listener: SnapshotListener, snapshot: ClickPredictionSnapshot): void {
    try {
      listener(snapshot);
    } catch (error) {
      this.#errors.report(error);
    }
  }
}
