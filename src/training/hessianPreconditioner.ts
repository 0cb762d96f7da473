import type { LogisticObjective } from "./logisticObjective.js";
import { backSolve, centredRowNorms, choleskyInPlace, forwardSolve, importanceSample, internalHessian, sampledGram } from "./sampledHessian.js";
import type { SolverWorkspace } from "./solverWorkspace.js";

// Rows in the Hessian estimate: about 1/12 of the rows, within [1024, 4096]. Its cost
// (sample x d^2) must stay well below the passes over A it saves.
const SAMPLE_MIN = 1024;
const SAMPLE_MAX = 4096;
const SAMPLE_SHARE = 1 / 12;

/**
 * The L-BFGS preconditioner `P = L L^T`: the objective's Hessian in internal coordinates,
 * estimated on an importance sample of rows at the current margins (see `sampledGram`)
 * and factorised by Cholesky. {@link apply} is the `P^-1` of the initial inverse Hessian
 * `gamma P^-1`. The sampled Gram is kept in the workspace (centred, unscaled), so the next
 * fit of a C path can start from it ({@link reuse}) for the price of a factorisation. @internal
 */
export class HessianPreconditioner {
  private readonly objective: LogisticObjective;
  private readonly workspace: SolverWorkspace;
  private readonly L: Float64Array;
  private readonly solveTmp: Float64Array;
  private readonly z: Float64Array;
  private readonly sampleSize: number;

  constructor(objective: LogisticObjective, workspace: SolverWorkspace = {}) {
    const { D, rowIndex } = objective;
    this.objective = objective;
    this.workspace = workspace;
    this.L = new Float64Array(D * D);
    this.solveTmp = new Float64Array(D);
    this.z = new Float64Array(4 * D);
    this.sampleSize = Math.round(Math.min(SAMPLE_MAX, Math.max(SAMPLE_MIN, rowIndex.length * SAMPLE_SHARE)));
  }

  /** Whether the workspace holds a Gram to {@link reuse}. */
  get reusable(): boolean {
    return this.workspace.gram !== undefined && this.workspace.gram.length === this.L.length;
  }

  /** Re-estimates and refactors `P` at the objective's current margins. */
  refresh(): void {
    const { A, D, rowIndex, mu, scale, margins, weights } = this.objective;
    const ws = this.workspace;
    ws.rowNormSq ??= centredRowNorms(A, rowIndex, mu, scale);
    const { sample, sampleWeight } = importanceSample(margins, weights, ws.rowNormSq, this.sampleSize);
    const gram = ws.gram?.length === D * D ? ws.gram : new Float64Array(D * D);
    sampledGram(A, rowIndex, sample, sampleWeight, mu, this.z, gram);
    ws.gram = gram;
    this.reuse();
  }

  /** Refactors `P` from the workspace's Gram at the objective's C and scales. */
  reuse(): void {
    const { D, scale, invC } = this.objective;
    internalHessian(this.workspace.gram!, scale, invC, this.L);
    choleskyInPlace(this.L, D);
  }

  /** `v <- P^-1 v`. */
  readonly apply = (v: Float64Array): void => {
    const D = this.objective.D;
    forwardSolve(this.L, D, v, this.solveTmp);
    backSolve(this.L, D, this.solveTmp, v);
  };
}
