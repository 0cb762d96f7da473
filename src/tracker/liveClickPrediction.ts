import { FEATURE_COUNT, toFeatureVector, type FeatureVector } from "../core/featureNames.js";
import { heuristicFromFeatures } from "../core/heuristicPrediction.js";
import type { InteractionEvent } from "../core/interactionEvent.js";
import { SlidingWindowExtractor } from "../core/slidingWindowExtractor.js";
import { DEFAULT_WINDOW_CONFIG, type WindowConfig } from "../core/windowConfig.js";
import { ErrorReporter, type PrivAdsLogger } from "./errorReporter.js";
import { clampOption, resolveTimers, type TrackerTimers } from "./trackerTimers.js";

/** What produced a probability: the trained model, or the hand-set fallback. */
export type PredictionSource = "model" | "heuristic";

/** One live reading. */
export interface ClickPredictionSnapshot {
  /** Probability of an ad click within the model's horizon. */
  probability: number;
  /** The 20 features of the window ending at `t`. */
  features: FeatureVector;
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
}

/** The part of `InteractionTracker` live prediction uses. */
export interface EventSource {
  onEvent(listener: (event: InteractionEvent) => void): () => void;
  getEvents(): InteractionEvent[];
  currentTime(): number;
}

export interface LivePredictionOptions {
  tracker: EventSource;
  /** Scores windows once initialised; without one (or while loading, or after a failure) the heuristic answers. */
  predictor?: ClickPredictor | null;
  /** A fresh snapshot every `intervalMs` besides each action. Default 1000 (clamped to 50..60000); 0 disables the timer. */
  intervalMs?: number;
  /** Window settings until (and unless) the model brings its own. Default DESIGN.md's. */
  windowConfig?: Partial<WindowConfig>;
  timers?: Partial<TrackerTimers>;
  logger?: PrivAdsLogger;
}

export type SnapshotListener = (snapshot: ClickPredictionSnapshot) => void;

/** A running live prediction; see {@link createLivePrediction}. */
export interface LivePrediction {
  /** Calls `listener` with every new snapshot (and at once with the latest, if any). Returns the unsubscribe function. */
  subscribe(listener: SnapshotListener): () => void;
  /** The latest snapshot. */
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
 * Feeds every tracker event into one live {@link SlidingWindowExtractor} (a push per event,
 * never a recomputation of the window) and publishes a snapshot on each action and every
 * `intervalMs`: the model's probability when the predictor is ready and the window holds at
 * least `minActions` events, otherwise `heuristicFromFeatures` (source "heuristic"). Never
 * throws: errors are logged once with `[privads]` and the heuristic takes over.
 */
export function createLivePrediction(options: LivePredictionOptions): LivePrediction {
  return new LiveClickPrediction(options);
}

class LiveClickPrediction implements LivePrediction {
  private readonly tracker: EventSource;
  private readonly predictor: ClickPredictor | null;
  private readonly timers: TrackerTimers;
  private readonly errors: ErrorReporter;
  private readonly listeners = new Set<SnapshotListener>();
  private readonly row = new Float64Array(FEATURE_COUNT);
  private extractor: SlidingWindowExtractor;
  private unsubscribe: (() => void) | undefined;
  private interval: unknown;
  private snapshot: ClickPredictionSnapshot | undefined;
  private lastQuery = 0;
  private sequence = 0;
  private disposed = false;
  private ready = false;
  private error: Error | undefined;

  constructor(options: LivePredictionOptions) {
    this.errors = new ErrorReporter(options?.logger, "live click prediction");
    this.tracker = options.tracker;
    this.predictor = options.predictor ?? null;
    this.timers = resolveTimers(options.timers);
    this.extractor = this.newExtractor({ ...DEFAULT_WINDOW_CONFIG, ...options.windowConfig });
    try {
      this.unsubscribe = this.tracker.onEvent((event) => this.onTrackerEvent(event));
    } catch (error) {
      this.errors.report(error);
    }
    const intervalMs = options.intervalMs === 0 ? 0 : clampOption(options.intervalMs, 1000, 50, 60_000);
    if (intervalMs > 0) this.interval = this.timers.setInterval(() => this.refresh(), intervalMs);
    this.startModel();
    this.refresh();
  }

  get modelReady(): boolean {
    return this.ready && this.error === undefined;
  }

  get modelError(): Error | undefined {
    return this.error;
  }

  subscribe(listener: SnapshotListener): () => void {
    if (typeof listener !== "function" || this.disposed) return () => {};
    this.listeners.add(listener);
    if (this.snapshot) this.deliver(listener, this.snapshot);
    return () => {
      this.listeners.delete(listener);
    };
  }

  getSnapshot(): ClickPredictionSnapshot | undefined {
    return this.snapshot;
  }

  refresh(): void {
    if (this.disposed) return;
    try {
      const t = Math.max(this.tracker.currentTime(), this.lastQuery, this.extractor.latestTime);
      this.lastQuery = t;
      const row = this.extractor.featuresAt(t, this.row);
      const features = toFeatureVector(row);
      const eventCount = this.extractor.eventCount;
      const sequence = ++this.sequence;
      const heuristic = (): ClickPredictionSnapshot => ({ probability: heuristicFromFeatures(row), features, source: "heuristic", t, eventCount });
      if (!this.modelReady || !this.predictor || eventCount < this.extractor.config.minActions) {
        this.publish(heuristic());
        return;
      }
      const fallback = heuristic();
      this.predictor.predictClickProbability(features).then(
        (probability) => {
          if (sequence !== this.sequence || this.disposed) return; // a newer snapshot exists
          if (typeof probability !== "number" || !Number.isFinite(probability)) {
            this.fail(new TypeError(`the predictor returned ${String(probability)}, not a probability`));
            return;
          }
          this.publish({ probability, features, source: "model", t, eventCount });
        },
        (error: unknown) => {
          if (this.disposed) return;
          this.fail(error);
          if (sequence === this.sequence) this.publish(fallback);
        },
      );
    } catch (error) {
      this.errors.report(error);
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    try {
      this.unsubscribe?.();
      if (this.interval !== undefined) this.timers.clearInterval(this.interval);
    } catch (error) {
      this.errors.report(error);
    }
    this.interval = undefined;
    this.listeners.clear();
  }

  private onTrackerEvent(event: InteractionEvent): void {
    if (this.disposed) return;
    try {
      this.extractor.push(event);
    } catch (error) {
      this.errors.report(error);
      return;
    }
    this.refresh();
    if (event.type === "close_tab" && this.interval !== undefined) {
      this.timers.clearInterval(this.interval);
      this.interval = undefined;
    }
  }

  private startModel(): void {
    const predictor = this.predictor;
    if (!predictor) return;
    const onReady = () => {
      if (this.disposed) return;
      this.ready = true;
      this.adoptModelWindow(predictor);
      this.refresh();
    };
    try {
      if (predictor.ready === true) {
        this.ready = true;
        this.adoptModelWindow(predictor);
        return;
      }
      predictor.initialize().then(onReady, (error: unknown) => {
        if (this.disposed) return;
        this.fail(error);
        this.refresh();
      });
    } catch (error) {
      this.fail(error);
    }
  }

  /** Rebuilds the extractor from the tracker's retained events when the model's window differs. */
  private adoptModelWindow(predictor: ClickPredictor): void {
    let config: WindowConfig | undefined;
    try {
      config = predictor.windowConfig;
    } catch {
      return;
    }
    const current = this.extractor.config;
    if (!config || (config.windowSize === current.windowSize && config.minActions === current.minActions)) return;
    this.extractor = this.newExtractor(config);
  }

  private newExtractor(config: Partial<WindowConfig>): SlidingWindowExtractor {
    const extractor = new SlidingWindowExtractor(config);
    try {
      for (const event of this.tracker.getEvents()) extractor.push(event);
    } catch (error) {
      this.errors.report(error);
      return new SlidingWindowExtractor(config);
    }
    return extractor;
  }

  private fail(error: unknown): void {
    this.error = error instanceof Error ? error : new Error(String(error));
    this.errors.report(error);
  }

  private publish(snapshot: ClickPredictionSnapshot): void {
    this.snapshot = snapshot;
    for (const listener of this.listeners) this.deliver(listener, snapshot);
  }

  private deliver(listener: SnapshotListener, snapshot: ClickPredictionSnapshot): void {
    try {
      listener(snapshot);
    } catch (error) {
      this.errors.report(error);
    }
  }
}
