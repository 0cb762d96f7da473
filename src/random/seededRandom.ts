import betaDistribution from "@stdlib/random-base-beta";
import { mixSeeds } from "../core/randomStreams.js";
import { Mt19937 } from "./mt19937.js";

/** Largest valid seed: seeds are unsigned 32-bit integers. */
export const MAX_SEED = 0xffffffff;

/**
 * Second word of the seed array handed to MT19937 (ASCII "PrAd"). stdlib's MT19937 rejects the
 * integer seed 0, so every seed goes through `init_by_array([seed, SEED_TAG])`, which accepts the
 * whole uint32 range and keeps one seeding scheme for all of it. (The generator is now our own
 * `Mt19937`, bit-identical to stdlib's, so the streams did not change.)
 */
const SEED_TAG = 0x50724164;

type BetaFn = (alpha: number, beta: number) => number;

function assertSeed(seed: number, what: string): void {
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) {
    throw new RangeError(`${what} must be an integer in [0, ${MAX_SEED}], got ${String(seed)}`);
  }
}

/**
 * A seeded pseudo-random stream (MT19937). Every random draw of the generator, the oracle and
 * the evaluation goes through one of these (seeds from `streamSeed` in src/core/randomStreams.ts),
 * so the same seed gives the same bytes on every machine (MT19937 is fully specified and all
 * arithmetic on its output is IEEE-754 double).
 *
 * Streams are explicit values passed to whoever draws; nothing random lives in module globals.
 * `fork(id)` gives an independent, reproducible child stream (the oracle uses one per roll-out).
 */
export class SeededRandom {
  /** The uint32 seed this stream was created from. */
  readonly seed: number;
  readonly #mt: Mt19937;
  #beta: BetaFn | undefined;

  constructor(seed: number) {
    assertSeed(seed, "SeededRandom seed");
    this.seed = seed;
    this.#mt = new Mt19937([seed, SEED_TAG]);
  }

  /** A uniform draw in [0, 1) with 53-bit resolution. */
  uniform(): number {
    return this.#mt.normalized();
  }

  /**
   * A Beta(alpha, beta) draw in [0, 1], from stdlib's beta sampler fed by this stream.
   * The sampler is created once per stream (lazily); stdlib seeds the auxiliary integer
   * generator of its normal sampler from one draw of this stream at that moment, so the result
   * is still a deterministic function of the seed and the call sequence.
   */
  beta(alpha: number, beta: number): number {
    if (!(alpha > 0) || !(beta > 0) || !Number.isFinite(alpha) || !Number.isFinite(beta)) {
      throw new RangeError(`beta: alpha and beta must be finite and > 0, got (${alpha}, ${beta})`);
    }
    if (this.#beta === undefined) {
      const mt = this.#mt;
      this.#beta = betaDistribution.factory({ prng: () => mt.normalized() }) as BetaFn;
    }
    return this.#beta(alpha, beta);
  }

  /** An exponential draw with the given rate (mean `1 / rate`), by inversion. */
  exponential(rate: number): number {
    if (!(rate > 0) || !Number.isFinite(rate)) {
      throw new RangeError(`exponential: rate must be finite and > 0, got ${rate}`);
    }
    return -Math.log(1 - this.#mt.normalized()) / rate;
  }

  /** `true` with probability `p` (p clamped to [0, 1]; NaN is rejected). */
  bernoulli(p: number): boolean {
    if (Number.isNaN(p)) throw new RangeError(`bernoulli: p must be a number in [0, 1], got ${p}`);
    return this.#mt.normalized() < p;
  }

  /**
   * An index drawn with probability proportional to `weights[i]`. Weights must be finite and
   * non-negative with a positive sum.
   */
  categorical(weights: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i];
      if (!(w >= 0) || !Number.isFinite(w)) {
        throw new RangeError(`categorical: weight ${i} must be finite and >= 0, got ${w}`);
      }
      total += w;
    }
    if (!(total > 0)) throw new RangeError(`categorical: weights must have a positive sum, got ${total}`);
    let target = this.#mt.normalized() * total;
    for (let i = 0; i < weights.length; i++) {
      target -= weights[i];
      if (target < 0) return i;
    }
    // Rounding can leave target at ~0 after the loop: return the last index with weight.
    for (let i = weights.length - 1; i >= 0; i--) if (weights[i] > 0) return i;
    return weights.length - 1;
  }

  /**
   * An independent child stream whose seed is a hash of this stream's seed and `streamId`.
   * It does not depend on how many draws this stream has made, so `fork(k)` is reproducible
   * from the seed alone, and it does not consume draws from this stream.
   */
  fork(streamId: number): SeededRandom {
    assertSeed(streamId, "fork streamId");
    return new SeededRandom(mixSeeds(this.seed, streamId));
  }
}
