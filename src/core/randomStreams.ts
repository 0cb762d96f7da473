/**
 * The named random streams of a run, and the one way a stream's seed is derived from the run
 * seed. Every seeded choice outside the generator's own session stream (which is the run seed
 * itself, see SyntheticGenerator) starts here, so following a seed means reading this table.
 * Pure integer arithmetic, no imports: the same seed gives the same streams everywhere.
 */

/** Stream tags: ASCII of a short name, so a tag reads as what it is in a hex dump. */
export const STREAMS = Object.freeze({
  /** Which sessions are held out from training (a hash per block of five sessions). */
  heldOut: 0x686f6c64, // "hold"
  /** The shuffle before the grouped, stratified fold assignment. */
  folds: 0x666f6c64, // "fold"
  /** Which held-out windows the oracle scores. */
  oracleSample: 0x73616d70, // "samp"
  /** The oracle's Monte-Carlo roll-outs (one child stream per window). */
  oracle: 0x6f72636c, // "orcl"
  /** The session bootstrap of the model / oracle AUC ratio. */
  bootstrap: 0x626f6f74, // "boot"
  /** The column shuffles of permutation importance. */
  permutation: 0x7065726d, // "perm"
});

export type StreamName = keyof typeof STREAMS;

/**
 * murmur3's 32-bit finaliser: spreads every input bit over the whole output.
 * @internal
 */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Mixes two uint32 values into one (murmur3 finaliser over a golden-ratio combination), so
 * neighbouring inputs give unrelated outputs. The child-stream seed of `SeededRandom.fork`.
 */
export function mixSeeds(a: number, b: number): number {
  return fmix32((a ^ Math.imul(b + 0x7f4a7c15, 0x9e3779b1)) >>> 0);
}

/**
 * The seed of stream `name` of a run with `runSeed` (uint32), and with `id` the seed of its
 * member `id` (e.g. a block of sessions): `mixSeeds(mixSeeds(runSeed, STREAMS[name]), id)`.
 */
export function streamSeed(runSeed: number, name: StreamName, id?: number): number {
  const stream = mixSeeds(runSeed >>> 0, STREAMS[name]);
  return id === undefined ? stream : mixSeeds(stream, id >>> 0);
}
