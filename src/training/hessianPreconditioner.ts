import type { LogisticObjective } from "./logisticObjective.js";
import { backSolve, centredRowNorms, choleskyInPlace, forwardSolve, importanceSample, sampledHessian } from "./sampledHessian.js";

// Rows in the Hessian estimate: about 1/12 of the rows, within [1024, 4096]. Its cost
// (sample x d^2) must stay well below the passes over A it saves.
const SAMPLE_MIN = 1024;
const SAMPLE_MAX = 4096;
const SAMPLE_SHARE = 1 / 12;

/**
 * The L-BFGS preconditioner `P = L L^T`: the objective's Hessian in internal coordinates,
 * estimated on an importance sample of rows at the current margins (see `sampledHessian`)
 * and factorised by Cholesky. {@link apply} is the `P^-1` of the initial inverse Hessian
 * `gamma P^-1`. @internal
 */
export class HessianPreconditioner {
  private readonly objective: LogisticObjective;
  private readonly L: Float64Array;
  private readonly solveTmp: Float64Array;
  private readonly rowNormSq: Float64Array;
  private readonly z: Float64Array;
  private readonly sampleSize: number;

  constructor(objective: LogisticObjective) {
    const { A, d, D, rowIndex, mu, scale } = objective;
    this.objective = objective;
    this.L = new Float64Array(D * D);
    this.solveTmp = new Float64Array(D);
    this.rowNormSq = centredRowNorms(A, d, rowIndex, mu, scale);
    this.z = new Float64Array(4 * D);
    this.sampleSize = Math.round(Math.min(SAMPLE_MAX, Math.max(SAMPLE_MIN, rowIndex.length * SAMPLE_SHARE)));
  }

  /** Re-estimates and refactors `P` at the objective's current margins. */
  refresh(): void {
    const { A, d, D, rowIndex, mu, scale, invC, margins, weights } = this.objective;
    const { sample, sampleWeight } = importanceSample(margins, weights, this.rowNormSq, this.sampleSize);
    sampledHessian(A, d, rowIndex, sample, sampleWeight, mu, scale, invC, this.z, this.L);
    choleskyInPlace(this.L, D);
  }

  /** `v <- P^-1 v`. */
  readonly apply = (v: Float64Array): void => {
    const D = this.objective.D;
    forwardSolve(this.L, D, v, this.solveTmp);
    backSolve(this.L, D, this.solveTmp, v);
  };
}
