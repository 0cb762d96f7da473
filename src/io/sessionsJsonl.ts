import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import type { Session } from "../core/session.js";
import { DataFileError } from "./dataFileError.js";
import { parseSession, RecordError } from "./parseSession.js";

/** One line of the JSON Lines format; numbers keep full precision so files round-trip. */
export function formatSessionLine(session: Session): string {
  return JSON.stringify(session) + "\n";
}

export interface ReadSessionsOptions {
  /** Skip bad records instead of stopping at the first; each is passed to `onSkip`. */
  skipInvalid?: boolean;
  onSkip?: (error: DataFileError) => void;
}

/**
 * Streams the sessions of a JSON Lines file (memory bounded by one line), validating each.
 * Blank lines are ignored. Throws DataFileError naming file, line and field, unless
 * `skipInvalid`. Duplicate session ids are an error too.
 */
export async function* readSessionsJsonl(file: string, options: ReadSessionsOptions = {}): AsyncGenerator<Session> {
  const lines = createInterface({ input: createReadStream(file, { encoding: "utf8" }), crlfDelay: Infinity });
  const seen = new Set<string>();
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber++;
    if (line.trim() === "") continue;
    let session: Session;
    try {
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch (error) {
        throw new RecordError("(line)", `is not valid JSON (${(error as Error).message})`);
      }
      session = parseSession(json);
      if (seen.has(session.id)) throw new RecordError("id", `duplicates an earlier session id ${JSON.stringify(session.id)}`);
    } catch (error) {
      if (!(error instanceof RecordError)) throw error;
      const problem = new DataFileError(file, lineNumber, error.field, error.problem);
      if (!options.skipInvalid) throw problem;
      options.onSkip?.(problem);
      continue;
    }
    seen.add(session.id);
    yield session;
  }
}
