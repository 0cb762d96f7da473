/**
 * MT19937 (Matsumoto & Nishimura) seeded with `init_by_array`: bit for bit the words of
 * @stdlib/random-base-mt19937 created with `{ seed: key }` for a key of two or more words (stdlib
 * takes a one-word array as an integer seed), and the doubles of its `normalized()` (two words,
 * `((a >>> 5) * 2^26 + (b >>> 6)) / 2^53`). stdlib builds each generator through a chain of
 * closures and property definitions (~0.1 ms a stream) and keeps its index in a typed array; the
 * simulator forks a stream per session and per oracle window and draws tens of millions of
 * doubles, so this plain class does the same arithmetic for less. test/random/mt19937.test.ts
 * checks it against stdlib.
 */

const N = 624;
const M = 397;
const UPPER_MASK = 0x80000000 | 0;
const LOWER_MASK = 0x7fffffff;
const MATRIX_A = 0x9908b0df | 0;
const TWO_26 = 67108864;
const TWO_53_INVERSE = 1 / 9007199254740992;

/** Words twisted at a time: a stream forked for a few draws (a page layout) twists only these. */
const TWIST_CHUNK = 32;

/** init_genrand(19650218), the start of every init_by_array: the same for every key. */
const INIT_STATE = (() => {
  const mt = new Int32Array(N);
  mt[0] = 19650218;
  for (let i = 1; i < N; i++) {
    const s = mt[i - 1] ^ (mt[i - 1] >>> 30);
    mt[i] = Math.imul(s, 1812433253) + i;
  }
  return mt;
})();

export class Mt19937 {
  /** The state words, as int32 (the bits are what matter). */
  readonly #mt = new Int32Array(N);
  /** Index of the next word. */
  #i = N;
  /** Words of the current block twisted so far; the block is done at N. */
  #ready = N;

  /** `key`: uint32 words (stdlib's seed array), at least one. */
  constructor(key: ArrayLike<number>) {
    if (key.length < 1) throw new RangeError(`Mt19937: the seed key needs at least one word, got ${key.length}`);
    const mt = this.#mt;
    mt.set(INIT_STATE);
    // init_by_array(key)
    let i = 1;
    let j = 0;
    for (let k = Math.max(N, key.length); k > 0; k--) {
      const s = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = (mt[i] ^ Math.imul(s, 1664525)) + (key[j] >>> 0) + j;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
      if (j >= key.length) j = 0;
    }
    for (let k = N - 1; k > 0; k--) {
      const s = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = (mt[i] ^ Math.imul(s, 1566083941)) - i;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
    }
    mt[0] = UPPER_MASK; // a non-zero state
  }

  /** The next tempered word, as uint32. */
  uint32(): number {
    if (this.#i >= this.#ready) this.#twistMore();
    let r = this.#mt[this.#i++];
    r ^= r >>> 11;
    r ^= (r << 7) & 0x9d2c5680;
    r ^= (r << 15) & 0xefc60000;
    r ^= r >>> 18;
    return r >>> 0;
  }

  /** A double in [0, 1) with 53-bit resolution, from two words (stdlib's `normalized`). */
  normalized(): number {
    const x = this.uint32() >>> 5;
    const y = this.uint32() >>> 6;
    return (x * TWO_26 + y) * TWO_53_INVERSE;
  }

  /**
   * Twists the next TWIST_CHUNK words (starting a new block after the last). Word `i` of a twist
   * reads words `i + 1` and `i + M` (mod N) as the whole-block loop would at that point (later
   * words still untwisted, earlier ones twisted), so twisting in order, chunk by chunk, is that
   * loop.
   */
  #twistMore(): void {
    if (this.#ready >= N) this.#i = this.#ready = 0;
    const mt = this.#mt;
    const from = this.#ready;
    const to = Math.min(N, from + TWIST_CHUNK);
    let i = from;
    for (const end = Math.min(to, N - M); i < end; i++) {
      const y = (mt[i] & UPPER_MASK) | (mt[i + 1] & LOWER_MASK);
      mt[i] = mt[i + M] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
    }
    for (const end = Math.min(to, N - 1); i < end; i++) {
      const y = (mt[i] & UPPER_MASK) | (mt[i + 1] & LOWER_MASK);
      mt[i] = mt[i + M - N] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
    }
    if (to === N) {
      const y = (mt[N - 1] & UPPER_MASK) | (mt[0] & LOWER_MASK);
      mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
    }
    this.#ready = to;
  }
}
