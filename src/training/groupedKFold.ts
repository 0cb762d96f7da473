import { SeededRandom } from "../random/seededRandom.js";
import { TooFewOfAClassError } from "./tooFewOfAClass.js";

/** One cross-validation split: ascending row indices on each side. */
export interface FoldSplit {
  train: Int32Array;
  test: Int32Array;
}

/**
 * k folds grouped by session and stratified as far as grouping allows. Overlapping windows
 * of one session are near-duplicates, so a session split across train and test would leak;
 * here every group lands in exactly one test fold.
 *
 * Groups are shuffled (Fisher-Yates) with `new SeededRandom(seed)` (same seed, same folds, on
 * every machine; the pipeline passes its `folds` stream, src/core/randomStreams.ts), then stably ordered by positive count, descending, and assigned greedily:
 * a group with positives goes to the fold with the least `positives / (P / k) + rows / (n / k)`,
 * a group without to the fold with the fewest rows (ties: lowest fold). So positives are
 * spread first and row counts evened out after. Needs at least k groups.
 */
export function groupedStratifiedKFold(groups: Int32Array, y: Uint8Array, k = 5, seed = 0): FoldSplit[] {
  const n = groups.length;
  if (y.length !== n) throw new RangeError(`groupedStratifiedKFold: ${n} groups but ${y.length} labels`);
  if (!Number.isInteger(k) || k < 2) throw new RangeError(`groupedStratifiedKFold: k must be an integer >= 2, got ${k}`);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError(`groupedStratifiedKFold: seed must be an integer in [0, 4294967295], got ${seed}`);

  // Group ids in first-seen order, with row and positive counts.
  const idOf = new Map<number, number>();
  const rowsOf: number[] = [];
  const posOf: number[] = [];
  const groupOfRow = new Int32Array(n);
  let positives = 0;
  for (let i = 0; i < n; i++) {
    if (y[i] !== 0 && y[i] !== 1) throw new RangeError(`groupedStratifiedKFold: y[${i}] = ${y[i]}, labels must be 0 or 1`);
    let g = idOf.get(groups[i]);
    if (g === undefined) {
      g = rowsOf.length;
      idOf.set(groups[i], g);
      rowsOf.push(0);
      posOf.push(0);
    }
    groupOfRow[i] = g;
    rowsOf[g]++;
    posOf[g] += y[i];
    positives += y[i];
  }
  const groupCount = rowsOf.length;
  if (groupCount < k) throw new TooFewOfAClassError(`groupedStratifiedKFold: ${groupCount} groups cannot fill k = ${k} folds`);

  const order = Array.from({ length: groupCount }, (_, g) => g);
  const random = new SeededRandom(seed);
  for (let i = groupCount - 1; i > 0; i--) {
    const j = Math.floor(random.uniform() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  order.sort((a, b) => posOf[b] - posOf[a]); // stable: shuffled order among equals

  const foldRows = new Float64Array(k);
  const foldPos = new Float64Array(k);
  const foldOfGroup = new Int32Array(groupCount);
  const rowTarget = n / k;
  const posTarget = Math.max(positives, 1) / k;
  for (const g of order) {
    let best = 0;
    let bestCost = Infinity;
    for (let f = 0; f < k; f++) {
      const cost = posOf[g] > 0 ? foldPos[f] / posTarget + foldRows[f] / rowTarget : foldRows[f];
      if (cost < bestCost) {
        bestCost = cost;
        best = f;
      }
    }
    foldOfGroup[g] = best;
    foldRows[best] += rowsOf[g];
    foldPos[best] += posOf[g];
  }

  const splits: FoldSplit[] = [];
  for (let f = 0; f < k; f++) {
    const test = new Int32Array(foldRows[f]);
    const train = new Int32Array(n - foldRows[f]);
    let a = 0;
    let b = 0;
    for (let i = 0; i < n; i++) {
      if (foldOfGroup[groupOfRow[i]] === f) test[a++] = i;
      else train[b++] = i;
    }
    splits.push({ train, test });
  }
  return splits;
}
