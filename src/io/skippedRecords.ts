import type { DataFileError } from "./dataFileError.js";

/**
 * Tallies the records skipped with `--skip-invalid`, by reason, so a command can print a few
 * examples and then one summary line per reason instead of flooding the terminal.
 */
export class SkippedRecords {
  private readonly byReason = new Map<string, { count: number; first: DataFileError }>();
  private total = 0;

  /** Prints at most this many individual records through `print`; the summary covers the rest. */
  constructor(
    private readonly print: (line: string) => void = () => {},
    private readonly examples = 10,
  ) {}

  /** Pass as `onSkip` to `readSessionsJsonl`. */
  readonly add = (error: DataFileError): void => {
    this.total++;
    const entry = this.byReason.get(error.reason);
    if (entry) entry.count++;
    else this.byReason.set(error.reason, { count: 1, first: error });
    if (this.total <= this.examples) this.print(`skipped: ${error.message}\n`);
    else if (this.total === this.examples + 1) this.print(`skipped: (further records are only counted)\n`);
  };

  get count(): number {
    return this.total;
  }

  /** Reasons with their counts, most frequent first (ties: first seen first). */
  reasons(): Array<{ reason: string; count: number; first: DataFileError }> {
    return [...this.byReason].map(([reason, v]) => ({ reason, ...v })).sort((a, b) => b.count - a.count);
  }

  /**
   * `skipped 3 invalid sessions:` then one line per reason with the first place it occurred,
   * e.g. `  2 x t decreases (first: logs.jsonl:7: events[3].t)`. Empty when nothing was skipped.
   */
  summary(): string {
    if (this.total === 0) return "";
    const lines = [`skipped ${this.total.toLocaleString("en-US")} invalid session${this.total === 1 ? "" : "s"}:`];
    for (const { reason, count, first } of this.reasons()) {
      lines.push(`  ${count.toLocaleString("en-US")} x ${reason} (first: ${first.file}:${first.line}: ${first.field})`);
    }
    return lines.join("\n") + "\n";
  }
}
