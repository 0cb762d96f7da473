import { DEFAULT_FEATURE_SET, FEATURE_SETS, type FeatureSetName } from "../core/featureNames.js";
import type { ProfileName, Session } from "../core/session.js";
import { extractSessionWindows } from "../core/sessionWindows.js";
import { SlidingWindowExtractor } from "../core/slidingWindowExtractor.js";
import type { WindowConfig } from "../core/windowConfig.js";

/** Labelled windows of many sessions, in dense arrays ready for training. */
export interface WindowDataset {
  n: number;
  /** The features of each row: the set's names in contract order (docs/features.md). */
  featureSet: FeatureSetName;
  /** Row-major raw features, n x F (F = the set's width: 26 for `ads`, 20 for `seed`). */
  features: Float64Array;
  labels: Uint8Array;
  /** Window end time of each row. */
  t: Float64Array;
  /** Index into `sessionIds` of each row: the grouping for cross-validation. */
  sessionIndex: Int32Array;
  sessionIds: string[];
  sessionProfiles: Array<ProfileName | undefined>;
}

/** Width of a dataset's rows. */
export function featureCountOf(data: Pick<WindowDataset, "featureSet">): number {
  return FEATURE_SETS[data.featureSet].length;
}

/**
 * The same windows under the `seed` set: the first 20 columns of an `ads` dataset (the 20
 * interaction features keep their positions in both sets, and the extractor computes them the
 * same way whatever the set; tested). Everything but the features is shared, not copied.
 */
export function seedFeaturesOf(data: WindowDataset): WindowDataset {
  if (data.featureSet === "seed") return data;
  const from = featureCountOf(data);
  const to = FEATURE_SETS.seed.length;
  const features = new Float64Array(data.n * to);
  for (let r = 0; r < data.n; r++) features.set(data.features.subarray(r * from, r * from + to), r * to);
  return { ...data, featureSet: "seed", features };
}

/**
 * Collects the windows of sessions one at a time, growing its arrays by half each time (so a
 * growth step holds at most 2.5x the rows it keeps, and the built dataset wastes at most half).
 * Features live in a SharedArrayBuffer, so a training worker thread reads them without a copy.
 */
export class WindowDatasetBuilder {
  private readonly extractor: SlidingWindowExtractor;
  private readonly width: number;
  private n = 0;
  private features: Float64Array;
  private labels = new Uint8Array(1024);
  private t = new Float64Array(1024);
  private sessionIndex = new Int32Array(1024);
  private readonly sessionIds: string[] = [];
  private readonly sessionProfiles: Array<ProfileName | undefined> = [];

  constructor(config: Partial<WindowConfig> = {}, featureSet: FeatureSetName = DEFAULT_FEATURE_SET) {
    this.extractor = new SlidingWindowExtractor(config, featureSet);
    this.width = this.extractor.featureCount;
    this.features = sharedFloat64(1024 * this.width);
  }

  get size(): number {
    return this.n;
  }

  get config(): Readonly<WindowConfig> {
    return this.extractor.config;
  }

  get featureSet(): FeatureSetName {
    return this.extractor.featureSet;
  }

  /**
   * Adds a session's eligible windows (at most `limit` of them, first ones first) and
   * returns how many were added. Sessions without eligible windows are not recorded. Under the
   * `ads` set a session without `adSignals` is a TypeError naming the session (readers of files
   * reject it earlier, with file and line: see readSessionsJsonl's `requireAdSignals`).
   */
  addSession(session: Session, limit = Infinity): number {
    if (this.featureSet === "ads" && session.adSignals === undefined) {
      throw new TypeError(
        `session ${JSON.stringify(session.id)}: adSignals: missing; the ads feature set needs ad signals (train older logs with --features seed)`,
      );
    }
    const windows = extractSessionWindows(session.events, this.extractor, session.adSignals);
    const count = Math.min(windows.t.length, limit);
    if (count <= 0) return 0;
    this.reserve(this.n + count);
    const s = this.sessionIds.length;
    this.sessionIds.push(session.id);
    this.sessionProfiles.push(session.profile);
    this.features.set(windows.features.subarray(0, count * this.width), this.n * this.width);
    for (let k = 0; k < count; k++) {
      this.labels[this.n + k] = windows.labels[k];
      this.t[this.n + k] = windows.t[k];
      this.sessionIndex[this.n + k] = s;
    }
    this.n += count;
    return count;
  }

  /**
   * The dataset so far: views of the first `n` rows, no copy (a copy would double the peak
   * memory of a big log). The builder may go on adding: rows past `n` or a regrown array do not
   * touch them.
   */
  build(): WindowDataset {
    return {
      n: this.n,
      featureSet: this.featureSet,
      features: this.features.subarray(0, this.n * this.width),
      labels: this.labels.subarray(0, this.n),
      t: this.t.subarray(0, this.n),
      sessionIndex: this.sessionIndex.subarray(0, this.n),
      sessionIds: [...this.sessionIds],
      sessionProfiles: [...this.sessionProfiles],
    };
  }

  private reserve(rows: number): void {
    if (rows <= this.labels.length) return;
    let capacity = this.labels.length;
    while (capacity < rows) capacity = Math.ceil(capacity * 1.5);
    const grow = <T extends Float64Array | Uint8Array | Int32Array>(old: T, make: (length: number) => T, width = 1): T => {
      const next = make(capacity * width);
      next.set(old);
      return next;
    };
    this.features = grow(this.features, sharedFloat64, this.width);
    this.labels = grow(this.labels, (l) => new Uint8Array(l));
    this.t = grow(this.t, (l) => new Float64Array(l));
    this.sessionIndex = grow(this.sessionIndex, (l) => new Int32Array(l));
  }
}

function sharedFloat64(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(length * Float64Array.BYTES_PER_ELEMENT));
}
