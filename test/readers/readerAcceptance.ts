import type { InteractionModel } from "../../src/core/interactionModel.js";
import type { ReaderReading, ReaderTrace } from "../../src/evaluation/readerTraces.js";

/**
 * The acceptance criteria for the shown probability (docs/readers.md), as pure checks on
 * traces: the readers test asserts them, and the diagnosis script reports them.
 */

/** Readings before this (seconds) are the start of a visit: not judged. */
export const SETTLE_SECONDS = 10;
/** A slot half visible within this many seconds makes a reading "near an ad": not judged. */
export const AD_QUIET_SECONDS = 5;
/** The bound on a reader with no ad: this many times the training positive rate. */
export const NO_AD_FACTOR = 3;
/** The reader resting on a viewable ad gets at least this many times the steady reader's probability. */
export const ON_AD_FACTOR = 3;

/** The training windows' positive rate, from the model's metadata. */
export function trainingPositiveRate(model: InteractionModel): number {
  const rate = model.training.positive_ratio;
  if (typeof rate !== "number" || !(rate > 0 && rate < 1)) throw new Error(`the model's training block has no positive_ratio (got ${String(rate)})`);
  return rate;
}

/** After the first 10 s, no slot half visible for 5 s (or ever), the pointer off ads. */
export function isNoAdReading(reading: ReaderReading): boolean {
  const since = reading.sinceSlotHalfVisible;
  return reading.t >= SETTLE_SECONDS && (since === null || since >= AD_QUIET_SECONDS) && !reading.adState.pointerOnAd;
}

/** After the first 10 s, the pointer on a slot the tracker counts as viewable. */
export function isOnViewableAd(reading: ReaderReading): boolean {
  return reading.t >= SETTLE_SECONDS && reading.adState.pointerOnAd && reading.adState.adsInView > 0;
}

export interface NoAdCheck {
  reader: string;
  judged: number;
  bound: number;
  /** Judged readings above the bound. */
  over: ReaderReading[];
  max: number;
  maxAt: number;
}

/** Criterion 1: every judged reading of `trace` shows at most {@link NO_AD_FACTOR} x the training positive rate. */
export function checkNoAd(trace: ReaderTrace, positiveRate: number): NoAdCheck {
  const judged = trace.readings.filter(isNoAdReading);
  const bound = NO_AD_FACTOR * positiveRate;
  const top = judged.reduce<ReaderReading | undefined>((best, r) => (best === undefined || r.probability > best.probability ? r : best), undefined);
  return { reader: trace.reader, judged: judged.length, bound, over: judged.filter((r) => r.probability > bound), max: top?.probability ?? 0, maxAt: top?.t ?? 0 };
}

export interface OnAdCheck {
  /** Reading times judged: the rester on a viewable ad and the steady reader read at the same t. */
  judged: number;
  /** Judged times where the rester's probability is below {@link ON_AD_FACTOR} x the steady reader's. */
  short: Array<{ t: number; onAd: number; steady: number }>;
  minRatio: number;
  minRatioAt: number;
}

/** Criterion 2: at every judged time, the rester's probability >= 3 x the steady reader's at the same t. */
export function checkOnAd(rester: ReaderTrace, steady: ReaderTrace): OnAdCheck {
  const steadyAt = new Map(steady.readings.map((r) => [r.t, r.probability]));
  const pairs = rester.readings.filter(isOnViewableAd).flatMap((r) => {
    const other = steadyAt.get(r.t);
    return other === undefined ? [] : [{ t: r.t, onAd: r.probability, steady: other }];
  });
  let minRatio = Infinity;
  let minRatioAt = 0;
  for (const pair of pairs) {
    const ratio = pair.onAd / pair.steady;
    if (ratio < minRatio) [minRatio, minRatioAt] = [ratio, pair.t];
  }
  return { judged: pairs.length, short: pairs.filter((p) => p.onAd < ON_AD_FACTOR * p.steady), minRatio, minRatioAt };
}

/** One line per check, for the test log and the report. */
export function describeNoAd(check: NoAdCheck): string {
  const pct = (p: number) => `${(p * 100).toFixed(1)} %`;
  return `${check.reader}: ${check.over.length} of ${check.judged} judged readings above ${pct(check.bound)} (max ${pct(check.max)} at t = ${check.maxAt} s)`;
}

export function describeOnAd(check: OnAdCheck): string {
  return `adRester vs steady: ${check.short.length} of ${check.judged} judged times below ${ON_AD_FACTOR}x (min ratio ${check.minRatio.toFixed(2)} at t = ${check.minRatioAt} s)`;
}
