/** A two-column, aligned plain-text table for end-of-run summaries. */
export function summaryTable(title: string, rows: Array<[string, string]>): string {
  const width = Math.max(...rows.map(([key]) => key.length));
  const valueWidth = Math.max(title.length - width - 3, ...rows.map(([, value]) => value.length));
  const rule = "-".repeat(width + valueWidth + 3);
  const lines = rows.map(([key, value]) => `${key.padEnd(width)} : ${value}`);
  return [title, rule, ...lines, rule].join("\n") + "\n";
}
