/** A problem in an input file; the message names the file, the line and the field. */
export class DataFileError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly field: string,
    readonly problem: string,
    /** A short label of the kind of problem, for grouping skipped records (e.g. "t decreases"). */
    readonly reason: string = problem,
  ) {
    super(`${file}:${line}: ${field}: ${problem}`);
    this.name = "DataFileError";
  }
}
