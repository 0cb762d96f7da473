import { FEATURE_COUNT } from "../core/featureNames.js";
import type { ProfileName, Session } from "../core/session.js";
import { extractSessionWindows } from "../core/sessionWindows.js";
import { SlidingWindowExtractor } from "../core/slidingWindowExtractor.js";
import type { WindowConfig } from "../core/windowConfig.js";

/** Labelled windows of many sessions, in dense arrays ready for training. */
export interface WindowDataset {
  n: number;
  /** Row-major raw features, n x 20. */
  features: Float64Array;
  labels: Uint8Array;
  /** Window end time of each row. */
  t: Float64Array;
  /** Index into `sessionIds` of each row: the grouping for cross-validation. */
  sessionIndex: Int32Array;
  sessionIds: string[];
  sessionProfiles: Array<ProfileName | undefined>;
}

/** Collects the windows of sessions one at a time, growing its arrays geometrically. */
export class WindowDatasetBuilder {
  private readonly extractor: SlidingWindowExtractor;
  private n = 0;
  private features = new Float64Array(1024 * FEATURE_COUNT);
  private labels = new Uint8Array(1024);
  private t = new Float64Array(1024);
  private sessionIndex = new Int32Array(1024);
  private readonly sessionIds: string[] = [];
  private readonly sessionProfiles: Array<ProfileName | undefined> = [];

  constructor(config: Partial<WindowConfig> = {}) {
    this.extractor = new SlidingWindowExtractor(config);
  }

  get size(): number {
    return this.n;
  }

  get config(): Readonly<WindowConfig> {
    return this.extractor.config;
  }

  /**
   * Adds a session's eligible windows (at most `limit` of them, first ones first) and
   * returns how many were added. Sessions without eligible windows are not recorded.
   */
  addSession(session: Session, limit = Infinity): number {
    const windows = extractSessionWindows(session.events, this.extractor);
    const count = Math.min(windows.t.length, limit);
    if (count <= 0) return 0;
    this.reserve(this.n + count);
    const s = this.sessionIds.length;
    this.sessionIds.push(session.id);
    this.sessionProfiles.push(session.profile);
    this.features.set(windows.features.subarray(0, count * FEATURE_COUNT), this.n * FEATURE_COUNT);
    for (let k = 0; k < count; k++) {
      this.labels[this.n + k] = windows.labels[k];
      this.t[this.n + k] = windows.t[k];
      this.sessionIndex[this.n + k] = s;
    }
    this.n += count;
    return count;
  }

  /** The dataset so far (arrays trimmed to size; the builder may go on adding). */
  build(): WindowDataset {
    return {
      n: this.n,
      features: this.features.slice(0, this.n * FEATURE_COUNT),
      labels: this.labels.slice(0, this.n),
      t: this.t.slice(0, this.n),
      sessionIndex: this.sessionIndex.slice(0, this.n),
      sessionIds: [...this.sessionIds],
      sessionProfiles: [...this.sessionProfiles],
    };
  }

  private reserve(rows: number): void {
    if (rows <= this.labels.length) return;
    let capacity = this.labels.length;
    while (capacity < rows) capacity *= 2;
    const grow = <T extends Float64Array | Uint8Array | Int32Array>(old: T, make: (length: number) => T, width = 1): T => {
      const next = make(capacity * width);
      next.set(old);
      return next;
    };
    this.features = grow(this.features, (l) => new Float64Array(l), FEATURE_COUNT);
    this.labels = grow(this.labels, (l) => new Uint8Array(l));
    this.t = grow(this.t, (l) => new Float64Array(l));
    this.sessionIndex = grow(this.sessionIndex, (l) => new Int32Array(l));
  }
}
