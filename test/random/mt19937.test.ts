import mt19937 from "@stdlib/random-base-mt19937";
import { describe, expect, it } from "vitest";
import { Mt19937 } from "../../src/random/mt19937.js";

/** stdlib's generator exposes `normalized` at runtime; its typings omit it. */
type StdlibMt = ReturnType<typeof mt19937.factory> & { normalized: () => number };

describe("Mt19937", () => {
  // The words of SeededRandom's seed arrays ([seed, "PrAd"]), edge seeds and longer keys (not
  // one word: stdlib takes a one-word array as an integer seed, init_genrand, not init_by_array).
  const keys: number[][] = [[0, 0x50724164], [1, 0x50724164], [0xffffffff, 0x50724164], [42, 0x50724164], [0x9e3779b9, 0, 1], [5, 6, 7, 0x80000000], Array.from({ length: 700 }, (_, i) => (i * 2654435761) >>> 0)];

  it.each(keys.map((k) => [k.length, k]))("gives stdlib's words and doubles, across several twists (key of %i words)", (_, key) => {
    const ours = new Mt19937(key);
    const theirs = mt19937.factory({ seed: key }) as StdlibMt;
    for (let i = 0; i < 1500; i++) expect(ours.uint32()).toBe(theirs());
    for (let i = 0; i < 1500; i++) expect(ours.normalized()).toBe(theirs.normalized());
  });

  it("rejects an empty key", () => {
    expect(() => new Mt19937([])).toThrow(/at least one word, got 0/);
  });
});
