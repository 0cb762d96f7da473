/** Applies the initial inverse Hessian's base `P^-1` to `v` in place (identity if absent). */
export type InitialInverse = (v: Float64Array) => void;

// Pairs with s.y at or below this are skipped: they carry no (or negative) curvature and
// would make the update indefinite.
const MIN_CURVATURE = 1e-300;

/**
 * The limited-memory BFGS inverse-Hessian approximation: the newest `memory` pairs
 * `s = x_{k+1} - x_k`, `y = g_{k+1} - g_k`, applied by the two-loop recursion (Nocedal &
 * Wright, Algorithm 7.4). The initial matrix is `H0 = gamma P^-1`, with `P^-1` supplied by the
 * caller (a preconditioner; pairs stay valid when it changes) and the usual scaling
 * `gamma = s.y / (y P^-1 y)` of the newest pair.
 */
export class LbfgsHistory {
  readonly dimension: number;
  readonly memory: number;
  private readonly s: Float64Array[] = [];
  private readonly y: Float64Array[] = [];
  private readonly rho: number[] = [];
  private readonly alpha: Float64Array;
  private readonly scratch: Float64Array;

  constructor(dimension: number, memory: number) {
    if (!Number.isInteger(dimension) || dimension < 1) throw new RangeError(`LbfgsHistory: dimension must be a positive integer, got ${dimension}`);
    if (!Number.isInteger(memory) || memory < 1) throw new RangeError(`LbfgsHistory: memory must be a positive integer, got ${memory}`);
    this.dimension = dimension;
    this.memory = memory;
    this.alpha = new Float64Array(memory);
    this.scratch = new Float64Array(dimension);
  }

  /** Pairs held (at most `memory`). */
  get size(): number {
    return this.s.length;
  }

  /** Forgets every pair: the next direction is (preconditioned) steepest descent. */
  clear(): void {
    this.s.length = 0;
    this.y.length = 0;
    this.rho.length = 0;
  }

  /**
   * Adds the pair (copied), dropping the oldest when full. Returns false, keeping nothing,
   * when `s.y <= 1e-300` (no positive curvature along the step).
   */
  push(s: Float64Array, y: Float64Array): boolean {
    const D = this.dimension;
    if (s.length !== D || y.length !== D) throw new RangeError(`LbfgsHistory.push: pair of lengths ${s.length}, ${y.length}, expected ${D}`);
    const sy = dot(s, y);
    if (!(sy > MIN_CURVATURE)) return false;
    // Reuse the evicted pair's storage.
    const full = this.s.length === this.memory;
    const sKeep = full ? (this.s.shift() as Float64Array) : new Float64Array(D);
    const yKeep = full ? (this.y.shift() as Float64Array) : new Float64Array(D);
    if (full) this.rho.shift();
    sKeep.set(s);
    yKeep.set(y);
    this.s.push(sKeep);
    this.y.push(yKeep);
    this.rho.push(1 / sy);
    return true;
  }

  /** `out = -H g`: the quasi-Newton search direction at gradient `g`. */
  direction(g: Float64Array, out: Float64Array, applyInitial: InitialInverse = () => {}): void {
    const D = this.dimension;
    const { s, y, rho, alpha } = this;
    for (let i = 0; i < D; i++) out[i] = -g[i];
    const k = s.length;
    for (let i = k - 1; i >= 0; i--) {
      const a = rho[i] * dot(s[i], out);
      alpha[i] = a;
      const yi = y[i];
      for (let t = 0; t < D; t++) out[t] -= a * yi[t];
    }
    applyInitial(out);
    if (k > 0) {
      const yk = y[k - 1];
      const py = this.scratch;
      py.set(yk);
      applyInitial(py);
      const gamma = 1 / (rho[k - 1] * dot(yk, py));
      for (let t = 0; t < D; t++) out[t] *= gamma;
    }
    for (let i = 0; i < k; i++) {
      const b = rho[i] * dot(y[i], out);
      const si = s[i];
      const c = alpha[i] - b;
      for (let t = 0; t < D; t++) out[t] += c * si[t];
    }
  }
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
