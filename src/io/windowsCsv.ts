import { FEATURE_COUNT, FEATURE_NAMES } from "../core/featureNames.js";
import type { SessionWindows } from "../core/sessionWindows.js";
import type { WindowDataset } from "../dataset/windowDataset.js";
import { csvField, parseCsvLine } from "./csvLine.js";
import { DataFileError } from "./dataFileError.js";
import { readTextLines } from "./readTextLines.js";

/** Header of the labelled-windows CSV (DESIGN.md, `privads extract`). */
export const WINDOWS_CSV_HEADER = ["session_id", "t", ...FEATURE_NAMES, "label"].join(",") + "\n";

/** CSV rows for one session's windows; numbers print in shortest round-trip form. */
export function formatWindowRows(sessionId: string, windows: SessionWindows): string {
  const id = csvField(sessionId);
  let text = "";
  for (let r = 0; r < windows.t.length; r++) {
    let line = `${id},${windows.t[r]}`;
    for (let i = 0; i < FEATURE_COUNT; i++) line += `,${windows.features[r * FEATURE_COUNT + i]}`;
    text += `${line},${windows.labels[r]}\n`;
  }
  return text;
}

/**
 * Reads a labelled-windows CSV into a dataset. Columns are found by name (order free,
 * extra columns ignored); rows of one session must be contiguous. Throws DataFileError
 * naming file, line and column.
 */
export async function readWindowsCsv(file: string): Promise<WindowDataset> {
  let columns: number[] | undefined;
  let width = 0;
  let lineNumber = 0;
  const features: number[] = [];
  const labels: number[] = [];
  const times: number[] = [];
  const sessionIndex: number[] = [];
  const sessionIds: string[] = [];
  const indexOf = new Map<string, number>();
  const fail = (field: string, problem: string): never => {
    throw new DataFileError(file, lineNumber, field, problem);
  };
  for await (const { line, text } of readTextLines(file)) {
    lineNumber = line;
    let fields: string[];
    try {
      fields = parseCsvLine(text);
    } catch (error) {
      return fail("(line)", (error as Error).message);
    }
    if (columns === undefined) {
      const header = fields.map((f) => f.trim());
      const required = ["session_id", "t", ...FEATURE_NAMES, "label"];
      const missing = required.filter((name) => !header.includes(name));
      if (missing.length > 0) fail("(header)", `missing column(s) ${missing.join(", ")}; expected ${required.join(",")}`);
      columns = required.map((name) => header.indexOf(name));
      width = header.length;
      continue;
    }
    if (fields.length !== width) fail("(line)", `has ${fields.length} fields, the header has ${width}`);
    const number = (name: string, column: number): number => {
      const text = fields[column].trim();
      const value = Number(text);
      if (text === "" || !Number.isFinite(value)) fail(name, `must be a finite number, got ${JSON.stringify(fields[column])}`);
      return value;
    };
    const id = fields[columns[0]];
    if (id === "") fail("session_id", "must not be empty");
    let s = indexOf.get(id);
    if (s === undefined) {
      s = sessionIds.length;
      indexOf.set(id, s);
      sessionIds.push(id);
    } else if (s !== sessionIds.length - 1) {
      fail("session_id", `rows of session ${JSON.stringify(id)} are not contiguous`);
    }
    sessionIndex.push(s);
    times.push(number("t", columns[1]));
    for (let i = 0; i < FEATURE_COUNT; i++) features.push(number(FEATURE_NAMES[i], columns[2 + i]));
    const label = fields[columns[2 + FEATURE_COUNT]].trim();
    if (label !== "0" && label !== "1") fail("label", `must be 0 or 1, got ${JSON.stringify(label)}`);
    labels.push(label === "1" ? 1 : 0);
  }
  if (columns === undefined) throw new DataFileError(file, 1, "(header)", "the file is empty");
  return {
    n: labels.length,
    features: Float64Array.from(features),
    labels: Uint8Array.from(labels),
    t: Float64Array.from(times),
    sessionIndex: Int32Array.from(sessionIndex),
    sessionIds,
    sessionProfiles: sessionIds.map(() => undefined),
  };
}
