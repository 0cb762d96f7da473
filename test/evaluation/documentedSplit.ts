/**
 * The held-out rule as docs/evaluation.md states it, re-typed here rather than imported from
 * the code under test: mix(a, b) = fmix32(a ^ imul(b + 0x7f4a7c15, 0x9e3779b1)) with murmur3's
 * fmix32 finaliser; stream = mix(seed, "hold" as ASCII uint32); block b = sessions 5b .. 5b + 4
 * holds out the one at position mix(stream, b) mod 5.
 */
function fmix(h: number): number {
  h = (h ^ (h >>> 16)) >>> 0;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h = (h ^ (h >>> 13)) >>> 0;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}
const mix = (a: number, b: number): number => fmix((a ^ Math.imul(b + 0x7f4a7c15, 0x9e3779b1)) >>> 0);
const HOLD = Buffer.from("hold", "ascii").readUInt32BE(0);
/** Whether session `session` (dataset order) is held out in a run with `seed`, by the documented rule. */
export const documentedHeldOut = (seed: number, session: number): boolean =>
  session % 5 === mix(mix(seed, HOLD), Math.floor(session / 5)) % 5;
