import { FEATURE_SETS, type FeatureSetName } from "../core/featureNames.js";
import type { FeatureDomain } from "../core/featureDomain.js";

/** How often a model's domain clamps the rows it scores. */
export interface DomainClamps {
  rows: number;
  /** Share of rows with at least one feature outside `[low, high]`. */
  anyOutside: number;
  /** Per feature (the set's order): the share of rows outside its range. */
  perFeature: Array<{ name: string; outside: number }>;
}

/**
 * The share of `rows` of the raw `n x F` matrix `X` (F = the set's width) that the model's
 * `domain` clamps, overall and per feature: what the report shows of the held-out windows.
 */
export function domainClamps(X: Float64Array, rows: Int32Array, domain: FeatureDomain, featureSet: FeatureSetName): DomainClamps {
  const names = FEATURE_SETS[featureSet];
  const F = names.length;
  if (domain.low.length !== F) throw new RangeError(`domainClamps: the domain has ${domain.low.length} features, the ${featureSet} set ${F}`);
  const outside = new Array<number>(F).fill(0);
  let any = 0;
  for (let k = 0; k < rows.length; k++) {
    const o = rows[k] * F;
    let clamped = false;
    for (let j = 0; j < F; j++) {
      const x = X[o + j];
      if (x < domain.low[j] || x > domain.high[j]) {
        outside[j]++;
        clamped = true;
      }
    }
    if (clamped) any++;
  }
  const share = (c: number) => (rows.length === 0 ? 0 : c / rows.length);
  return { rows: rows.length, anyOutside: share(any), perFeature: names.map((name, j) => ({ name, outside: share(outside[j]) })) };
}
