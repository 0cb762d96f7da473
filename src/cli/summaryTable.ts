import type { TrainingResults } from "../results/trainingResults.js";
/** A two-column, aligned plain-text table for end-of-run summaries. */
export function summaryTable(title: string, rows: Array<[string, string]>): string {
  const width = Math.max(...rows.map(([key]) => key.length));
  const valueWidth = Math.max(title.length - width - 3, ...rows.map(([, value]) => value.length));
  const rule = "-".repeat(width + valueWidth + 3);
  const lines = rows.map(([key, value]) => `${key.padEnd(width)} : ${value}`);
  return [title, rule, ...lines, rule].join("\n") + "\n";
}

/** The summary's C line: the value, and how it was set (the path's plain-model comparison beside it). */
export function cLine(r: TrainingResults): string {
  const reg = r.regularisation;
  if (reg.selection === "fixed") return `${reg.C} (fixed with --C)`;
  const best = reg.path!.find((p) => p.C === reg.C)!;
  return `${reg.C} (by CV on ${reg.path!.length} values: ${best.roc_auc_mean.toFixed(4)}; plain model ${reg.plain_cv.roc_auc_mean.toFixed(4)})`;
}
