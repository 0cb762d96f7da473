import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FEATURE_NAMES } from "../../src/core/featureNames.js";
import { parseCsvLine, csvField } from "../../src/io/csvLine.js";
import { formatWindowRows, readWindowsCsv, WINDOWS_CSV_HEADER } from "../../src/io/windowsCsv.js";

const dir = mkdtempSync(join(tmpdir(), "privads-csv-"));

describe("windows CSV", () => {
  it("round-trips rows exactly, including awkward ids and full-precision numbers", async () => {
    const features = Float64Array.from({ length: 40 }, (_, i) => i / 7 + 0.1);
    const path = join(dir, "w.csv");
    writeFileSync(
      path,
      WINDOWS_CSV_HEADER +
        formatWindowRows('s,"1"', { t: [10], features: features.subarray(0, 20), labels: Uint8Array.of(1) }) +
        formatWindowRows("s2", { t: [10], features: features.subarray(20), labels: Uint8Array.of(0) }),
    );
    const data = await readWindowsCsv(path);
    expect(data.n).toBe(2);
    expect(data.sessionIds).toEqual(['s,"1"', "s2"]);
    expect(Array.from(data.features)).toEqual(Array.from(features));
    expect(Array.from(data.labels)).toEqual([1, 0]);
  });

  it("names file, line and column for a bad value", async () => {
    const path = join(dir, "bad.csv");
    const row = ["s1", "10", ...FEATURE_NAMES.map((n) => (n === "hover_count" ? "abc" : "1")), "0"].join(",");
    writeFileSync(path, WINDOWS_CSV_HEADER + row + "\n");
    await expect(readWindowsCsv(path)).rejects.toThrow(`${path}:2: hover_count: must be a finite number, got "abc"`);
  });

  it("names missing header columns", async () => {
    const path = join(dir, "header.csv");
    writeFileSync(path, "session_id,t,label\n");
    await expect(readWindowsCsv(path)).rejects.toThrow(/:1: \(header\): missing column\(s\) time_since_last_action/);
  });

  it("splits quoted fields per RFC 4180", () => {
    expect(parseCsvLine('a,"b,c","d""e",')).toEqual(["a", "b,c", 'd"e', ""]);
    expect(csvField('x"y')).toBe('"x""y"');
    expect(() => parseCsvLine('"open')).toThrow(/unterminated quoted field starting at column 1/);
  });
});
