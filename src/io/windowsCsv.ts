import { AD_FEATURE_NAMES, FEATURE_NAMES, FEATURE_SETS, type FeatureSetName } from "../core/featureNames.js";
import type { SessionWindows } from "../core/sessionWindows.js";
import type { WindowDataset } from "../dataset/windowDataset.js";
import { csvField, csvNumberProblem, parseCsvLine, parseCsvNumber } from "./csvLine.js";
import { DataFileError } from "./dataFileError.js";
import { readTextLines } from "./readTextLines.js";
import { sessionIdProblem } from "./sessionSchema.js";

/** Header of the labelled-windows CSV of a feature set: `session_id,t,<the set's names>,label` (`privads extract`). */
export function windowsCsvHeader(featureSet: FeatureSetName): string {
  return ["session_id", "t", ...FEATURE_SETS[featureSet], "label"].join(",") + "\n";
}

/**
 * CSV rows for one session's windows of `featureSet`; numbers print in shortest round-trip form,
 * the id is quoted when it needs it (RFC 4180). An id with a control character is a RangeError
 * (the session reader refuses such ids first, with file and line).
 */
export function formatWindowRows(sessionId: string, windows: SessionWindows, featureSet: FeatureSetName): string {
  const width = FEATURE_SETS[featureSet].length;
  if (windows.features.length !== windows.t.length * width) {
    throw new RangeError(`formatWindowRows: ${windows.features.length} feature values for ${windows.t.length} windows of the ${featureSet} set (${width} each)`);
  }
  const idProblem = sessionIdProblem(sessionId);
  if (idProblem !== undefined) throw new RangeError(`formatWindowRows: session id ${idProblem}`);
  const id = csvField(sessionId);
  let text = "";
  for (let r = 0; r < windows.t.length; r++) {
    let line = `${id},${windows.t[r]}`;
    for (let i = 0; i < width; i++) line += `,${windows.features[r * width + i]}`;
    text += `${line},${windows.labels[r]}\n`;
  }
  return text;
}

/**
 * The feature set a header's columns name: `ads` when all six ad features are there, `seed`
 * when none is; a partial set of ad columns (or missing interaction columns) is an error.
 */
function headerFeatureSet(header: readonly string[], fail: (field: string, problem: string) => never): FeatureSetName {
  const ads = AD_FEATURE_NAMES.filter((name) => header.includes(name));
  const featureSet: FeatureSetName = ads.length > 0 ? "ads" : "seed";
  const required = ["session_id", "t", ...FEATURE_SETS[featureSet], "label"];
  const missing = required.filter((name) => !header.includes(name));
  if (missing.length > 0) {
    const which =
      ads.length > 0
        ? `the ads set (it has ${ads.join(", ")}) needs all of ${required.join(",")}`
        : `expected ${required.join(",")} (seed set) or that with ${AD_FEATURE_NAMES.join(",")} after ${FEATURE_NAMES[FEATURE_NAMES.length - 1]} (ads set)`;
    fail("(header)", `missing column(s) ${missing.join(", ")}; ${which}`);
  }
  return featureSet;
}

/**
 * Reads a labelled-windows CSV into a dataset. The header decides the feature set (the six ad
 * columns present: `ads`, none: `seed`). Columns are found by name (order free, extra columns
 * ignored); rows of one session must be contiguous. Throws DataFileError naming file, line and column.
 */
export async function readWindowsCsv(file: string): Promise<WindowDataset> {
  let columns: number[] | undefined;
  let featureSet: FeatureSetName = "seed";
  let names: readonly string[] = [];
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
      featureSet = headerFeatureSet(header, fail);
      names = FEATURE_SETS[featureSet];
      columns = ["session_id", "t", ...names, "label"].map((name) => header.indexOf(name));
      width = header.length;
      continue;
    }
    if (fields.length !== width) fail("(line)", `has ${fields.length} fields, the header has ${width}`);
    const number = (name: string, column: number): number => {
      const value = parseCsvNumber(fields[column]);
      return value ?? fail(name, csvNumberProblem(fields[column]));
    };
    const id = fields[columns[0]];
    if (id === "") fail("session_id", "must not be empty");
    const idProblem = sessionIdProblem(id);
    if (idProblem !== undefined) fail("session_id", idProblem);
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
    for (let i = 0; i < names.length; i++) features.push(number(names[i], columns[2 + i]));
    const label = fields[columns[2 + names.length]].trim();
    if (label !== "0" && label !== "1") fail("label", `must be 0 or 1, got ${JSON.stringify(label)}`);
    labels.push(label === "1" ? 1 : 0);
  }
  if (columns === undefined) throw new DataFileError(file, 1, "(header)", "the file is empty");
  return {
    n: labels.length,
    featureSet,
    features: Float64Array.from(features),
    labels: Uint8Array.from(labels),
    t: Float64Array.from(times),
    sessionIndex: Int32Array.from(sessionIndex),
    sessionIds,
    sessionProfiles: sessionIds.map(() => undefined),
  };
}
