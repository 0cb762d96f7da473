/** Seeded test data (xorshift32 + Box-Muller), independent of the code under test. */
export function makeRandom(seed: number): { uniform: () => number; normal: () => number } {
  let s = (seed >>> 0) || 0x12345678;
  const uniform = (): number => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return (s + 0.5) / 4294967296;
  };
  const normal = (): number => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  return { uniform, normal };
}

/** Dense n x d design with a planted coefficient vector; labels Bernoulli(sigmoid(b + A beta)). */
export function plantedProblem(n: number, d: number, seed: number, intercept = -2.5): { A: Float64Array; y: Uint8Array } {
  const { uniform, normal } = makeRandom(seed);
  const A = new Float64Array(n * d);
  for (let i = 0; i < A.length; i++) A[i] = normal() * (1 + (i % d) / d);
  const beta = Float64Array.from({ length: d }, () => (uniform() < 0.4 ? normal() * 0.5 : 0));
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let m = intercept;
    for (let j = 0; j < d; j++) m += A[i * d + j] * beta[j];
    y[i] = uniform() < 1 / (1 + Math.exp(-m)) ? 1 : 0;
  }
  return { A, y };
}

/** Plain (unoptimised) objective and gradient of weighted L2 logistic regression, for checks. */
export function plainObjective(
  A: Float64Array,
  n: number,
  d: number,
  y: Uint8Array,
  w: Float64Array,
  C: number,
  beta: Float64Array,
  b: number,
): { value: number; gradient: Float64Array } {
  let value = 0;
  const gradient = new Float64Array(d + 1);
  for (let i = 0; i < n; i++) {
    let m = b;
    for (let j = 0; j < d; j++) m += A[i * d + j] * beta[j];
    const p = 1 / (1 + Math.exp(-m));
    value += w[i] * (y[i] === 1 ? -Math.log(p) : -Math.log(1 - p));
    const r = w[i] * (p - y[i]);
    for (let j = 0; j < d; j++) gradient[j] += r * A[i * d + j];
    gradient[d] += r;
  }
  for (let j = 0; j < d; j++) {
    value += (beta[j] * beta[j]) / (2 * C);
    gradient[j] += beta[j] / C;
  }
  return { value, gradient };
}

/** Balanced class weights n / (2 n_c), computed plainly. */
export function balancedWeights(y: Uint8Array): Float64Array {
  const n = y.length;
  const n1 = y.reduce((s, v) => s + v, 0);
  return Float64Array.from(y, (v) => (v === 1 ? n / (2 * n1) : n / (2 * (n - n1))));
}
