import { streamSeed } from "../core/randomStreams.js";

/** Share of sessions held out from training for the final evaluation (one in five). */
export const HELD_OUT_FRACTION = 0.2;
const BLOCK = 5; // 1 / HELD_OUT_FRACTION

/**
 * Whether session number `sessionIndex` (0-based, in the order the sessions entered the
 * dataset) belongs to the held-out test set of a run with `seed`. Sessions go in blocks of
 * five (0-4, 5-9, ...) and the block's member of the `heldOut` stream,
 * `streamSeed(seed, "heldOut", block) % 5`, picks one of each block, so exactly
 * 20 % of every complete block is held out, the choice is a pure function of the seed and the
 * index (it can be made while sessions are still being simulated) and the windows of one
 * session always land on one side.
 */
export function isHeldOutSession(seed: number, sessionIndex: number): boolean {
  if (!Number.isInteger(sessionIndex) || sessionIndex < 0) {
    throw new RangeError(`isHeldOutSession: sessionIndex must be a non-negative integer, got ${sessionIndex}`);
  }
  const block = Math.floor(sessionIndex / BLOCK);
  return sessionIndex % BLOCK === streamSeed(seed, "heldOut", block) % BLOCK;
}

/** Ascending row indices of the training and held-out sides. */
export interface HeldOutSplit {
  train: Int32Array;
  test: Int32Array;
}

/** Splits rows by their session (`sessionIndex[row]`) with {@link isHeldOutSession}. */
export function splitHeldOut(sessionIndex: Int32Array, seed: number): HeldOutSplit {
  const train: number[] = [];
  const test: number[] = [];
  const memo = new Map<number, boolean>();
  for (let r = 0; r < sessionIndex.length; r++) {
    const s = sessionIndex[r];
    let held = memo.get(s);
    if (held === undefined) {
      held = isHeldOutSession(seed, s);
      memo.set(s, held);
    }
    (held ? test : train).push(r);
  }
  return { train: Int32Array.from(train), test: Int32Array.from(test) };
}

/** Windows, sessions and positive windows of one side of a split. */
export interface SplitCounts {
  nSamples: number;
  nSessions: number;
  nPositive: number;
}

/** {@link SplitCounts} of `rows` (global row indices). */
export function splitCounts(rows: Int32Array, sessionIndex: Int32Array, labels: Uint8Array): SplitCounts {
  let nPositive = 0;
  const sessions = new Set<number>();
  for (const r of rows) {
    nPositive += labels[r];
    sessions.add(sessionIndex[r]);
  }
  return { nSamples: rows.length, nSessions: sessions.size, nPositive };
}
