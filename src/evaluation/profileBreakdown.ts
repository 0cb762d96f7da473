import { type ProfileName, PROFILE_NAMES } from "../core/session.js";
import { rocAuc } from "../training/classificationMetrics.js";

/** One profile's windows: counts, and per scored series its ROC AUC (null with one class) and mean. */
export interface ProfileBreakdown<S extends string> {
  profile: ProfileName;
  nSamples: number;
  nPositive: number;
  rocAuc: Record<S, number | null>;
  mean: Record<S, number>;
}

/**
 * Splits windows by their session's profile (`profiles[i]`, undefined = unknown, left out) and
 * scores each series on each profile's windows; profiles in PROFILE_NAMES order, absent ones omitted.
 */
export function profileBreakdown<S extends string>(
  profiles: ReadonlyArray<ProfileName | undefined>,
  y: Uint8Array,
  series: Record<S, Float64Array>,
): Array<ProfileBreakdown<S>> {
  const out: Array<ProfileBreakdown<S>> = [];
  const names = Object.keys(series) as S[];
  for (const profile of PROFILE_NAMES) {
    const idx: number[] = [];
    profiles.forEach((p, i) => {
      if (p === profile) idx.push(i);
    });
    if (idx.length === 0) continue;
    const py = Uint8Array.from(idx, (i) => y[i]);
    const nPositive = py.reduce((a, b) => a + b, 0);
    const both = nPositive > 0 && nPositive < idx.length;
    const auc = {} as Record<S, number | null>;
    const mean = {} as Record<S, number>;
    for (const name of names) {
      const p = Float64Array.from(idx, (i) => series[name][i]);
      auc[name] = both ? rocAuc(p, py) : null;
      mean[name] = p.reduce((a, b) => a + b, 0) / idx.length;
    }
    out.push({ profile, nSamples: idx.length, nPositive, rocAuc: auc, mean });
  }
  return out;
}
