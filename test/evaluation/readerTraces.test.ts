import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { FEATURE_SETS } from "../../src/core/featureNames.js";
import { formatReaderTrace, parseReaderTrace, READER_TRACE_FORMAT, readerClampShares, ReaderTraceError, type ReaderReading, type ReaderTrace } from "../../src/evaluation/readerTraces.js";

const DIR = fileURLToPath(new URL("../fixtures/readers/", import.meta.url));
const ADS = FEATURE_SETS.ads;

function reading(t: number, overrides: Partial<Record<(typeof ADS)[number], number>> = {}): ReaderReading {
  const features = Object.fromEntries(ADS.map((name) => [name, overrides[name] ?? 1])) as ReaderReading["features"];
  return { t, probability: 0.1, source: "model", eventCount: 5, features, adState: { adsInView: 0, pointerOnAd: false }, slotsHalfVisible: 0, sinceSlotHalfVisible: null };
}

function trace(readings: ReaderReading[]): ReaderTrace {
  return { format: READER_TRACE_FORMAT, reader: "r", description: "d", model: "m", readings };
}

describe("reader traces", () => {
  it("the stored traces (test/fixtures/readers/) parse, and round-trip through their file format", () => {
    const files = readdirSync(DIR).filter((name) => name.endsWith(".json"));
    expect(files.sort()).toEqual(["adRester.json", "quick.json", "slow.json", "steady.json", "tabSwitcher.json"]);
    for (const file of files) {
      const text = readFileSync(join(DIR, file), "utf8");
      const parsed = parseReaderTrace(JSON.parse(text), file);
      expect(parsed.reader).toBe(file.replace(/\.json$/, ""));
      expect(parsed.readings.length).toBeGreaterThanOrEqual(60);
      expect(formatReaderTrace(parsed)).toBe(text);
    }
  });

  it.each([
    ["a wrong format", (t: Record<string, unknown>) => (t.format = "other"), /trace.format: expected "privads-reader-trace\/1"/],
    ["a missing feature", (t: Record<string, unknown>) => delete ((t.readings as ReaderReading[])[0].features as Record<string, number>).wait_count, /readings\[0\].features.wait_count: expected a finite number/],
    ["an unknown feature", (t: Record<string, unknown>) => (((t.readings as ReaderReading[])[0].features as Record<string, number>).extra = 1), /features.extra: expected no such feature/],
    ["a probability above 1", (t: Record<string, unknown>) => ((t.readings as ReaderReading[])[1].probability = 1.5), /readings\[1\].probability/],
    ["time going back", (t: Record<string, unknown>) => ((t.readings as ReaderReading[])[1].t = 0.25), /readings\[1\].t: expected a time >= the previous reading's 0.5/],
    ["a fractional count", (t: Record<string, unknown>) => ((t.readings as ReaderReading[])[0].adState.adsInView = 0.5), /adState.adsInView: expected an integer/],
    ["an unknown source", (t: Record<string, unknown>) => (((t.readings as ReaderReading[])[0] as unknown as Record<string, unknown>).source = "oracle"), /source: expected "model" or "heuristic"/],
  ])("rejects %s, naming the field", (_, spoil, message) => {
    const value = JSON.parse(JSON.stringify(trace([reading(0.5), reading(1)]))) as Record<string, unknown>;
    spoil(value);
    expect(() => parseReaderTrace(value)).toThrow(ReaderTraceError);
    expect(() => parseReaderTrace(value)).toThrow(message);
  });

  it("readerClampShares counts readings with any feature outside the domain, and each feature's share below and above", () => {
    const low = ADS.map(() => 0);
    const high = ADS.map(() => 10);
    const traces = [trace([reading(1), reading(2, { wait_count: -1 })]), trace([reading(1, { wait_count: 11, session_duration: 20 }), reading(2)])];
    const shares = readerClampShares({ low, high }, traces);
    expect(shares.readings).toBe(4);
    expect(shares.anyOutside).toBe(0.5);
    expect(shares.features.map((f) => f.name)).toEqual([...ADS]);
    expect(shares.features.find((f) => f.name === "wait_count")).toEqual({ name: "wait_count", below: 0.25, above: 0.25, outside: 0.5 });
    expect(shares.features.find((f) => f.name === "session_duration")).toEqual({ name: "session_duration", below: 0, above: 0.25, outside: 0.25 });
    expect(shares.features.find((f) => f.name === "click_count")!.outside).toBe(0);
    // A seed-width domain judges the 20 interaction features only; the bounds are inclusive.
    const seed = readerClampShares({ low: low.slice(0, 20), high: high.slice(0, 20).map(() => 1) }, traces);
    expect(seed.features).toHaveLength(20);
    expect(seed.anyOutside).toBe(0.5);
    expect(readerClampShares({ low, high }, []).anyOutside).toBe(0);
    expect(() => readerClampShares({ low: [0], high: [1] }, traces)).toThrow(/26 \(ads\) or 20 \(seed\)/);
  });
});
