import { SeededRandom } from "../random/seededRandom.js";

/**
 * A seeded uniform sample of `count` positions out of `0 .. total-1` (all of them when
 * `count >= total`), ascending: which held-out windows the oracle scores.
 */
export function samplePositions(total: number, count: number, seed: number): Int32Array {
  if (count >= total) return Int32Array.from({ length: total }, (_, i) => i);
  const rng = new SeededRandom(seed >>> 0);
  const pool = Int32Array.from({ length: total }, (_, i) => i);
  for (let k = 0; k < count; k++) {
    const j = k + Math.floor(rng.uniform() * (total - k));
    const t = pool[k];
    pool[k] = pool[j];
    pool[j] = t;
  }
  return pool.slice(0, count).sort();
}
