import { createReadStream } from "node:fs";
import { DataFileError } from "./dataFileError.js";

/** One non-blank line of a text file, numbered from 1 as editors do. */
export interface TextLine {
  line: number;
  text: string;
}

/**
 * The longest line (record) an input file may hold, in bytes before its LF (the CR of a CRLF
 * counts): 64 MiB
 * (docs/robustness.md, "Limits: input files and the CLI"). A session of the tracker's largest
 * export is well under 1 MiB; a JavaScript string cannot exceed about 512 MiB.
 */
export const MAX_RECORD_BYTES = 64 * 1024 * 1024;

/** The reason labels of the two line-level problems (for `--skip-invalid` summaries). */
export const LINE_PROBLEMS = { tooLong: "record too long", notUtf8: "invalid UTF-8" } as const;

export interface ReadTextLinesOptions {
  /** The longest line accepted, bytes (default {@link MAX_RECORD_BYTES}; tests pass less). */
  maxLineBytes?: number;
  /**
   * Called for a line that is too long or not UTF-8, which is then skipped; without it such a
   * line throws. Either way the error is a DataFileError `FILE:LINE: (line): ...`.
   */
  onBadLine?: (error: DataFileError) => void;
}

const LF = 0x0a;
const CR = 0x0d;

/**
 * Streams the non-blank lines of a UTF-8 text file, memory bounded by one line (at most
 * `maxLineBytes`). Lines end at LF; a CR before it (CRLF) is dropped, and a UTF-8 byte order
 * mark at the start is ignored. Bytes that are not UTF-8 are refused, never replaced. A file
 * that cannot be read fails before its first line with
 * `cannot read FILE (no such file | it is a folder | ...)`.
 */
export async function* readTextLines(file: string, options: ReadTextLinesOptions = {}): AsyncGenerator<TextLine> {
  const maxBytes = options.maxLineBytes ?? MAX_RECORD_BYTES;
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  const input = createReadStream(file);
  /** Lines completed so far; the line being assembled is `line + 1`. */
  let line = 0;
  let opened = false;
  let parts: Buffer[] = [];
  let size = 0;
  let tooLong = false;

  const bad = (problem: string, reason: string): void => {
    const error = new DataFileError(file, line + 1, "(line)", problem, reason);
    if (options.onBadLine === undefined) throw error;
    options.onBadLine(error);
  };
  /** The text of the assembled line, or undefined when it is refused (and skipped). */
  const finish = (): string | undefined => {
    let bytes = parts.length === 1 ? parts[0] : Buffer.concat(parts, size);
    if (bytes.length > 0 && bytes[bytes.length - 1] === CR) bytes = bytes.subarray(0, bytes.length - 1);
    try {
      const text = decoder.decode(bytes);
      return line === 0 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    } catch {
      const at = invalidUtf8Offset(bytes);
      bad(`is not valid UTF-8 (byte 0x${bytes[at].toString(16).padStart(2, "0")} at byte ${at + 1} of the line); save the file as UTF-8`, LINE_PROBLEMS.notUtf8);
      return undefined;
    }
  };

  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      opened = true;
      let start = 0;
      for (;;) {
        const newline = chunk.indexOf(LF, start);
        const end = newline < 0 ? chunk.length : newline;
        if (!tooLong && end > start) {
          if (size + (end - start) > maxBytes) {
            tooLong = true;
            parts = [];
            bad(`is longer than the maximum record size of ${formatBytes(maxBytes)}`, LINE_PROBLEMS.tooLong);
          } else {
            parts.push(chunk.subarray(start, end));
            size += end - start;
          }
        }
        if (newline < 0) break;
        const text = tooLong ? undefined : finish();
        line++;
        parts = [];
        size = 0;
        tooLong = false;
        if (text !== undefined && text.trim() !== "") yield { line, text };
        start = newline + 1;
      }
    }
    if (size > 0 || tooLong) {
      const text = tooLong ? undefined : finish();
      line++;
      if (text !== undefined && text.trim() !== "") yield { line, text };
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code === "string" && !opened) {
      const reason = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a folder" : (error as Error).message;
      throw new Error(`cannot read ${file} (${reason})`, { cause: error });
    }
    throw error;
  } finally {
    input.destroy();
  }
}

/** `64 MiB`, `1 KiB`, or a byte count. */
function formatBytes(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/** Where the first ill-formed UTF-8 sequence (RFC 3629) starts. */
function invalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i];
    if (lead < 0x80) {
      i++;
      continue;
    }
    const length = lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
    if (length === 0) return i;
    // The second byte's range excludes overlong forms, surrogates and code points above U+10FFFF.
    const low = lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80;
    const high = lead === 0xed ? 0x9f : lead === 0xf4 ? 0x8f : 0xbf;
    if (i + 1 >= bytes.length || bytes[i + 1] < low || bytes[i + 1] > high) return i;
    for (let k = 2; k < length; k++) if (i + k >= bytes.length || (bytes[i + k] & 0xc0) !== 0x80) return i;
    i += length;
  }
  return Math.max(0, bytes.length - 1);
}
