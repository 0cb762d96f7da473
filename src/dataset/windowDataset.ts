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
 * Collects the windows of sessions one at a time. Its columns grow in place (growable
 * SharedArrayBuffers: address space is reserved up front, memory is committed as rows
 * arrive), so a big log never holds an old and a new copy at once, and a training worker
 * thread reads the features without a copy.
 */
export class WindowDatasetBuilder {
  private readonly extractor: SlidingWindowExtractor;
  private readonly width: number;
  private n = 0;
  private readonly features: GrowableColumn<Float64Array>;
  private readonly labels = new GrowableColumn((b) => new Uint8Array(b), 1);
  private readonly t = new GrowableColumn((b) => new Float64Array(b), 8);
  private readonly sessionIndex = new GrowableColumn((b) => new Int32Array(b), 4);
  private readonly sessionIds: string[] = [];
  private readonly sessionProfiles: Array<ProfileName | undefined> = [];

  constructor(config: Partial<WindowConfig> = {}, featureSet: FeatureSetName = DEFAULT_FEATURE_SET) {
    this.extractor = new SlidingWindowExtractor(config, featureSet);
    this.width = this.extractor.featureCount;
    this.features = new GrowableColumn((b) => new Float64Array(b), 8 * this.width);
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
    const rows = this.n + count;
    const [features, labels, t, sessionIndex] = [this.features.reserve(rows), this.labels.reserve(rows), this.t.reserve(rows), this.sessionIndex.reserve(rows)];
    const s = this.sessionIds.length;
    this.sessionIds.push(session.id);
    this.sessionProfiles.push(session.profile);
    features.set(windows.features.subarray(0, count * this.width), this.n * this.width);
    for (let k = 0; k < count; k++) {
      labels[this.n + k] = windows.labels[k];
      t[this.n + k] = windows.t[k];
      sessionIndex[this.n + k] = s;
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
      features: this.features.view.subarray(0, this.n * this.width),
      labels: this.labels.view.subarray(0, this.n),
      t: this.t.view.subarray(0, this.n),
      sessionIndex: this.sessionIndex.view.subarray(0, this.n),
      sessionIds: [...this.sessionIds],
      sessionProfiles: [...this.sessionProfiles],
    };
  }
}

type GrowableSharedBuffer = SharedArrayBuffer & { grow(byteLength: number): void; readonly maxByteLength: number };
// ES2024's growable SharedArrayBuffer (Node 20 has it; the project's TypeScript lib predates it).
const GrowableShared = SharedArrayBuffer as unknown as new (byteLength: number, options: { maxByteLength: number }) => GrowableSharedBuffer;

/** Most bytes one column may reach: the largest buffer V8 allows here (20.6 M windows of 26 features). */
const MAX_COLUMN_BYTES = 2 ** 32;

/** A column of fixed-width rows in a growable SharedArrayBuffer, grown in place by half as rows arrive. */
class GrowableColumn<A extends Float64Array | Uint8Array | Int32Array> {
  private readonly buffer: GrowableSharedBuffer;
  /** The column as it stands: a length-tracking view, so it follows the buffer as it grows. */
  readonly view: A;

  constructor(
    make: (buffer: SharedArrayBuffer) => A,
    private readonly rowBytes: number,
  ) {
    this.buffer = new GrowableShared(1024 * rowBytes, { maxByteLength: Math.floor(MAX_COLUMN_BYTES / rowBytes) * rowBytes });
    this.view = make(this.buffer);
  }

  /** The column with room for `rows` rows (a length-tracking view). */
  reserve(rows: number): A {
    const needed = rows * this.rowBytes;
    if (needed > this.buffer.byteLength) {
      if (needed > this.buffer.maxByteLength) {
        throw new RangeError(`more windows than one dataset holds: ${rows.toLocaleString("en-US")} rows of ${this.rowBytes} bytes exceed ${MAX_COLUMN_BYTES / 2 ** 30} GiB; split the input`);
      }
      const grown = Math.ceil((this.buffer.byteLength * 1.5) / this.rowBytes) * this.rowBytes;
      this.buffer.grow(Math.min(this.buffer.maxByteLength, Math.max(needed, grown)));
    }
    return this.view;
  }
}
