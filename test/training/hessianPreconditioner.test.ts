import { describe, expect, it } from "vitest";
import { HessianPreconditioner } from "../../src/training/hessianPreconditioner.js";
import { DenseDesign } from "../../src/training/denseDesign.js";
import { LogisticObjective } from "../../src/training/logisticObjective.js";
import { balancedWeights, makeRandom, plantedProblem } from "./syntheticData.js";

describe("HessianPreconditioner", () => {
  it("below the sample size it uses every row, so P^-1 inverts the exact Hessian (checked by gradient differences)", () => {
    const n = 300; // fewer rows than the 1,024-row minimum sample: the estimate is exact
    const d = 6;
    const { A, y } = plantedProblem(n, d, 8);
    const objective = new LogisticObjective(new DenseDesign(A, n, d), Int32Array.from({ length: n }, (_, i) => i), y, balancedWeights(y), 0.5);
    const { normal } = makeRandom(31);
    const x = Float64Array.from({ length: d + 1 }, () => 0.2 * normal());
    const G = new Float64Array(d + 1);
    objective.evaluate(x, G);
    const preconditioner = new HessianPreconditioner(objective);
    preconditioner.refresh();

    // H v by central differences of the internal gradient (error O(eps^2) ~ 1e-10 relative).
    const v = Float64Array.from({ length: d + 1 }, () => normal());
    const eps = 1e-5;
    const plus = new Float64Array(d + 1);
    const minus = new Float64Array(d + 1);
    objective.evaluate(Float64Array.from(x, (xi, i) => xi + eps * v[i]), plus);
    objective.evaluate(Float64Array.from(x, (xi, i) => xi - eps * v[i]), minus);
    const Hv = Float64Array.from(plus, (p, i) => (p - minus[i]) / (2 * eps));
    preconditioner.apply(Hv);
    const scale = Math.max(...Array.from(v, Math.abs));
    for (let i = 0; i <= d; i++) expect(Math.abs(Hv[i] - v[i])).toBeLessThan(1e-6 * scale);
  });
});
