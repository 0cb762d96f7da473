import { describeValue } from "../core/describeValue.js";
import type { Session } from "../core/session.js";
import { DataFileError } from "./dataFileError.js";
import { parseSession, RecordError } from "./parseSession.js";
import { readTextLines } from "./readTextLines.js";
import { INVALID_REASONS } from "./sessionSchema.js";

/** One line of the JSON Lines format; numbers keep full precision so files round-trip. */
export function formatSessionLine(session: Session): string {
  return JSON.stringify(session) + "\n";
}

export interface ReadSessionsOptions {
  /** Skip bad records instead of stopping at the first; each is passed to `onSkip`. */
  skipInvalid?: boolean;
  onSkip?: (error: DataFileError) => void;
  /**
   * Reject a session without `adSignals` (the `ads` feature set cannot be computed from it; an
   * empty array is fine: observed, no ad seen). Checked here so the error names file and line.
   */
  requireAdSignals?: boolean;
}

/** The words of a missing `adSignals` under the `ads` set (docs/ad-signals.md). */
const MISSING_AD_SIGNALS = "missing; the ads feature set needs ad signals (train older logs with --features seed)";

/**
 * Streams the sessions of a JSON Lines file (memory bounded by one line plus the set of ids
 * seen), validating each against `SESSION_SCHEMA`. Blank lines and a UTF-8 byte order mark are
 * ignored. Throws DataFileError naming file, line and field (`FILE:LINE: events[3].t: ...`),
 * unless `skipInvalid`. Duplicate session ids are an error too; a skipped record's id is not
 * remembered.
 */
export async function* readSessionsJsonl(file: string, options: ReadSessionsOptions = {}): AsyncGenerator<Session> {
  const seen = new Set<string>();
  const onBadLine = options.skipInvalid ? (error: DataFileError) => options.onSkip?.(error) : undefined;
  for await (const { line: lineNumber, text: line } of readTextLines(file, { onBadLine })) {
    let session: Session;
    try {
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch (error) {
        throw new RecordError("(line)", `is not valid JSON (${(error as Error).message})`, INVALID_REASONS.malformedJson);
      }
      session = parseSession(json);
      if (options.requireAdSignals && session.adSignals === undefined) {
        throw new RecordError("adSignals", MISSING_AD_SIGNALS, INVALID_REASONS.missingSignals);
      }
      if (seen.has(session.id)) {
        throw new RecordError("id", `duplicates an earlier session id ${describeValue(session.id)}`, INVALID_REASONS.duplicateId);
      }
    } catch (error) {
      if (!(error instanceof RecordError)) throw error;
      const problem = new DataFileError(file, lineNumber, error.field, error.problem, error.reason);
      if (!options.skipInvalid) throw problem;
      options.onSkip?.(problem);
      continue;
    }
    seen.add(session.id);
    yield session;
  }
}
