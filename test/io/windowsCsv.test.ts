import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { AD_FEATURE_NAMES, FEATURE_NAMES } from "../../src/core/featureNames.js";
import { parseCsvLine, csvField } from "../../src/io/csvLine.js";
import { formatWindowRows, readWindowsCsv, windowsCsvHeader } from "../../src/io/windowsCsv.js";

const dir = mkdtempSync(join(tmpdir(), "privads-csv-"));

describe("windows CSV", () => {
  it("headers: session_id, t, the set's names in contract order, label", () => {
    expect(windowsCsvHeader("seed")).toBe(`session_id,t,${FEATURE_NAMES.join(",")},label\n`);
    expect(windowsCsvHeader("ads")).toBe(`session_id,t,${FEATURE_NAMES.join(",")},${AD_FEATURE_NAMES.join(",")},label\n`);
    expect(windowsCsvHeader("ads").split(",").length).toBe(2 + 26 + 1);
  });

  for (const [set, width] of [["seed", 20], ["ads", 26]] as const) {
    it(`round-trips ${set} rows (${width} features) exactly, including awkward ids and full-precision numbers; the header decides the set`, async () => {
      const features = Float64Array.from({ length: 2 * width }, (_, i) => i / 7 + 0.1);
      const path = join(dir, `w-${set}.csv`);
      writeFileSync(
        path,
        windowsCsvHeader(set) +
          formatWindowRows('s,"1"', { t: [10], features: features.subarray(0, width), labels: Uint8Array.of(1) }, set) +
          formatWindowRows("s2", { t: [10], features: features.subarray(width), labels: Uint8Array.of(0) }, set),
      );
      const data = await readWindowsCsv(path);
      expect(data.featureSet).toBe(set);
      expect(data.n).toBe(2);
      expect(data.sessionIds).toEqual(['s,"1"', "s2"]);
      expect(Array.from(data.features)).toEqual(Array.from(features));
      expect(Array.from(data.labels)).toEqual([1, 0]);
    });
  }

  it("finds the ads columns by name in any order", async () => {
    const path = join(dir, "shuffled.csv");
    const names = ["label", ...AD_FEATURE_NAMES].reverse().concat(["t", "session_id", ...FEATURE_NAMES]);
    // Each column's value is its contract position + 1 (t = 10, label = 1), so the order read back is checkable.
    const value = (name: string) => (name === "label" ? "1" : name === "t" ? "10" : name === "session_id" ? "s" : String([...FEATURE_NAMES, ...AD_FEATURE_NAMES].indexOf(name as never) + 1));
    writeFileSync(path, names.join(",") + "\n" + names.map(value).join(",") + "\n");
    const data = await readWindowsCsv(path);
    expect(data.featureSet).toBe("ads");
    expect(Array.from(data.features)).toEqual(Array.from({ length: 26 }, (_, i) => i + 1));
  });

  it("refuses rows of the wrong width for the set", () => {
    expect(() => formatWindowRows("s", { t: [10], features: new Float64Array(20), labels: Uint8Array.of(0) }, "ads")).toThrow(
      "formatWindowRows: 20 feature values for 1 windows of the ads set (26 each)",
    );
  });

  it("names file, line and column for a bad value", async () => {
    const path = join(dir, "bad.csv");
    const row = ["s1", "10", ...FEATURE_NAMES.map((n) => (n === "hover_count" ? "abc" : "1")), "0"].join(",");
    writeFileSync(path, windowsCsvHeader("seed") + row + "\n");
    await expect(readWindowsCsv(path)).rejects.toThrow(`${path}:2: hover_count: must be a finite number, got "abc"`);
    const ads = join(dir, "bad-ads.csv");
    const adsRow = ["s1", "10", ...FEATURE_NAMES.map(() => "1"), ...AD_FEATURE_NAMES.map((n) => (n === "pointer_on_ad" ? "" : "0")), "0"].join(",");
    writeFileSync(ads, windowsCsvHeader("ads") + adsRow + "\n");
    await expect(readWindowsCsv(ads)).rejects.toThrow(`${ads}:2: pointer_on_ad: must be a finite number, got ""`);
  });

  it("names missing header columns", async () => {
    const path = join(dir, "header.csv");
    writeFileSync(path, "session_id,t,label\n");
    await expect(readWindowsCsv(path)).rejects.toThrow(/:1: \(header\): missing column\(s\) time_since_last_action/);
  });

  it("a header with only some ad columns is neither set: names the missing ones", async () => {
    const path = join(dir, "partial.csv");
    writeFileSync(path, ["session_id", "t", ...FEATURE_NAMES, "ads_in_view", "pointer_on_ad", "label"].join(",") + "\n");
    await expect(readWindowsCsv(path)).rejects.toThrow(
      `${path}:1: (header): missing column(s) ad_view_seconds, time_since_ad_view, ad_views_started, pointer_on_ad_seconds; the ads set (it has ads_in_view, pointer_on_ad) needs all of`,
    );
  });

  it("splits quoted fields per RFC 4180", () => {
    expect(parseCsvLine('a,"b,c","d""e",')).toEqual(["a", "b,c", 'd"e', ""]);
    expect(csvField('x"y')).toBe('"x""y"');
    expect(() => parseCsvLine('"open')).toThrow(/unterminated quoted field starting at column 1/);
  });
});
