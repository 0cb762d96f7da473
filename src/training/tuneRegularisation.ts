import type { LogisticFit } from "./logisticRegression.js";
import { type CrossValidation, crossValidate, type DesignBuilder } from "./crossValidate.js";
import type { FoldSplit } from "./groupedKFold.js";

/** The C grid of `--tune` (ascending; each value warm-starts the next). */
export const TUNING_GRID: readonly number[] = Object.freeze([0.01, 0.1, 1, 10]);

/** One grid point: the grouped CV at that C. */
export interface TuningPoint {
  C: number;
  rocAucMean: number;
  rocAucStd: number;
}

export interface Tuning {
  /** The C with the best mean fold ROC AUC (the first of equals, so the smallest). */
  C: number;
  curve: TuningPoint[];
  /** The cross-validation at the chosen C (the shipped model's CV figures). */
  cv: CrossValidation;
}


/**
 * Cross-validates the design at every C of {@link TUNING_GRID} on the same folds, each C's
 * folds warm-started from the previous C's fits (the path is smooth in C, so this saves most
 * iterations without changing the optimum), and keeps the best mean fold ROC AUC.
 */
export function tuneRegularisation(
  X: Float64Array,
  n: number,
  y: Uint8Array,
  rows: Int32Array,
  folds: readonly FoldSplit[],
  design: { features: number; d: number; build: DesignBuilder; buffer: Float64Array },
  onStep?: (done: number, total: number) => void,
): Tuning {
  const sweep: CrossValidation[] = [];
  let init: LogisticFit[] | undefined;
  TUNING_GRID.forEach((C, i) => {
    const result = crossValidate(X, n, y, rows, folds, { ...design, C, init });
    init = result.fits;
    sweep.push(result);
    onStep?.(i + 1, TUNING_GRID.length);
  });
  let best = 0;
  sweep.forEach((s, i) => {
    if (s.rocAucMean > sweep[best].rocAucMean) best = i;
  });
  return {
    C: TUNING_GRID[best],
    curve: sweep.map((s, i) => ({ C: TUNING_GRID[i], rocAucMean: s.rocAucMean, rocAucStd: s.rocAucStd })),
    cv: sweep[best],
  };
}
