import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";

/** One non-blank line of a text file, numbered from 1 as editors do. */
export interface TextLine {
  line: number;
  text: string;
}

/**
 * Streams the non-blank lines of a text file, memory bounded by one line; a UTF-8 byte order
 * mark and CRLF endings are accepted. A file that cannot be read fails before its first line
 * with `cannot read FILE (no such file | it is a folder | ...)`.
 */
export async function* readTextLines(file: string): AsyncGenerator<TextLine> {
  const input = createReadStream(file, { encoding: "utf8" });
  const lines = createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  try {
    for await (const raw of lines) {
      line++;
      const text = line === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
      if (text.trim() !== "") yield { line, text };
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code === "string" && line === 0) {
      const reason = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a folder" : (error as Error).message;
      throw new Error(`cannot read ${file} (${reason})`, { cause: error });
    }
    throw error;
  } finally {
    lines.close();
    input.destroy();
  }
}
