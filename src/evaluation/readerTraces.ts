import { describeValue } from "../core/describeValue.js";
import type { FeatureDomain } from "../core/featureDomain.js";
import { FEATURE_SETS, type FeatureName, type FeatureSetName } from "../core/featureNames.js";

/**
 * Scripted readers' live traces (docs/readers.md): what the live prediction showed a scripted
 * reader in Chromium at each reading. Recorded by test/readers/ (`RECORD_READERS=1`), stored
 * in test/fixtures/readers/, read here without any DOM or Node API so a script, a test or a
 * report can load them.
 */

/** The `format` field of every trace file. */
export const READER_TRACE_FORMAT = "privads-reader-trace/1";

/** One reading: the live snapshot at `t` and what the page's layout showed then. */
export interface ReaderReading {
  /** Seconds since the tracker's start (the snapshot's window end). */
  t: number;
  probability: number;
  source: "model" | "heuristic";
  /** Events (waits included) in the window. */
  eventCount: number;
  /** The 26 raw features of the `ads` set, by name, as the live extractor computed them. */
  features: Record<FeatureName, number>;
  /** The tracker's ad state (docs/ad-signals.md). */
  adState: { adsInView: number; pointerOnAd: boolean };
  /** Slots at least half inside the viewport now (the page's geometry, not the 1 s rule). */
  slotsHalfVisible: number;
  /** Seconds since a slot was last at least half inside the viewport (0 while one is); null if never. */
  sinceSlotHalfVisible: number | null;
}

export interface ReaderTrace {
  format: typeof READER_TRACE_FORMAT;
  /** The reader's script name (test/readers/readerScripts.ts). */
  reader: string;
  description: string;
  /** Which model produced `probability` (a repository path or a label). */
  model: string;
  readings: ReaderReading[];
}

/** A trace file that does not hold a valid trace; the message names the field. */
export class ReaderTraceError extends Error {
  override name = "ReaderTraceError";
}

const ADS = FEATURE_SETS.ads;

/** Parses and checks one trace (the JSON value of a file); `where` names it in errors. */
export function parseReaderTrace(value: unknown, where = "trace"): ReaderTrace {
  const trace = record(value, where);
  if (trace.format !== READER_TRACE_FORMAT) fail(`${where}.format`, trace.format, `"${READER_TRACE_FORMAT}"`);
  const readings = trace.readings;
  if (!Array.isArray(readings)) fail(`${where}.readings`, readings, "an array");
  let previous = -Infinity;
  const parsed = readings.map((item, i) => {
    const reading = parseReading(item, `${where}.readings[${i}]`);
    if (reading.t < previous) fail(`${where}.readings[${i}].t`, reading.t, `a time >= the previous reading's ${previous}`);
    previous = reading.t;
    return reading;
  });
  return {
    format: READER_TRACE_FORMAT,
    reader: text(trace.reader, `${where}.reader`),
    description: text(trace.description, `${where}.description`),
    model: text(trace.model, `${where}.model`),
    readings: parsed,
  };
}

function parseReading(value: unknown, where: string): ReaderReading {
  const reading = record(value, where);
  const probability = finite(reading.probability, `${where}.probability`);
  if (probability < 0 || probability > 1) fail(`${where}.probability`, probability, "a probability in [0, 1]");
  if (reading.source !== "model" && reading.source !== "heuristic") fail(`${where}.source`, reading.source, `"model" or "heuristic"`);
  const given = record(reading.features, `${where}.features`);
  const features = {} as Record<FeatureName, number>;
  for (const name of ADS) features[name] = finite(given[name], `${where}.features.${name}`);
  for (const name of Object.keys(given)) if (!ADS.includes(name as FeatureName)) fail(`${where}.features.${name}`, given[name], "no such feature");
  const adState = record(reading.adState, `${where}.adState`);
  if (typeof adState.pointerOnAd !== "boolean") fail(`${where}.adState.pointerOnAd`, adState.pointerOnAd, "a boolean");
  const since = reading.sinceSlotHalfVisible;
  return {
    t: nonNegative(reading.t, `${where}.t`),
    probability,
    source: reading.source,
    eventCount: count(reading.eventCount, `${where}.eventCount`),
    features,
    adState: { adsInView: count(adState.adsInView, `${where}.adState.adsInView`), pointerOnAd: adState.pointerOnAd },
    slotsHalfVisible: count(reading.slotsHalfVisible, `${where}.slotsHalfVisible`),
    sinceSlotHalfVisible: since === null ? null : nonNegative(since, `${where}.sinceSlotHalfVisible`),
  };
}

/** A trace as its file holds it: the header fields, then one reading per line (small, diffable). */
export function formatReaderTrace(trace: ReaderTrace): string {
  const { readings, ...header } = trace;
  const head = JSON.stringify(header).slice(0, -1);
  return `${head},"readings":[\n${readings.map((r) => JSON.stringify(r)).join(",\n")}\n]}\n`;
}

/** Per feature: the share of readings below the domain's `low`, above its `high`, and either. */
export interface FeatureClampShare {
  name: FeatureName;
  below: number;
  above: number;
  outside: number;
}

export interface ReaderClampShares {
  readings: number;
  /** Share of readings with at least one feature outside the domain (0 with no readings). */
  anyOutside: number;
  /** One entry per domain feature, in contract order. */
  features: FeatureClampShare[];
}

/**
 * How much of the readers' live input a model with `domain` would clamp: the share of
 * readings (all traces pooled) with at least one feature outside `[low, high]`, and the share
 * per feature. The domain's width picks the set (26: `ads`, 20: `seed`); an `ads` trace holds
 * both.
 */
export function readerClampShares(domain: FeatureDomain, traces: readonly ReaderTrace[]): ReaderClampShares {
  const names = domainFeatures(domain);
  const below = new Array<number>(names.length).fill(0);
  const above = new Array<number>(names.length).fill(0);
  let readings = 0;
  let anyOutside = 0;
  for (const trace of traces) {
    for (const reading of trace.readings) {
      readings++;
      let outside = false;
      names.forEach((name, j) => {
        const x = reading.features[name];
        if (x < domain.low[j]) below[j]++;
        else if (x > domain.high[j]) above[j]++;
        else return;
        outside = true;
      });
      if (outside) anyOutside++;
    }
  }
  const share = (n: number) => (readings === 0 ? 0 : n / readings);
  return {
    readings,
    anyOutside: share(anyOutside),
    features: names.map((name, j) => ({ name, below: share(below[j]), above: share(above[j]), outside: share(below[j] + above[j]) })),
  };
}

function domainFeatures(domain: FeatureDomain): readonly FeatureName[] {
  const { low, high } = domain;
  const set = (Object.keys(FEATURE_SETS) as FeatureSetName[]).find((name) => FEATURE_SETS[name].length === low.length);
  if (set === undefined || high.length !== low.length) {
    throw new RangeError(`a feature domain has 26 (ads) or 20 (seed) bounds on each side, got ${low.length} low and ${high.length} high`);
  }
  return FEATURE_SETS[set];
}

function fail(where: string, value: unknown, expected: string): never {
  throw new ReaderTraceError(`${where}: expected ${expected}, got ${describeValue(value)}`);
}

function record(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) fail(where, value, "an object");
  return value as Record<string, unknown>;
}

function text(value: unknown, where: string): string {
  if (typeof value !== "string" || value.length === 0) fail(where, value, "a non-empty string");
  return value;
}

function finite(value: unknown, where: string): number {
  if (typeof value !== "number" || !Number.isFinite(value)) fail(where, value, "a finite number");
  return value;
}

function nonNegative(value: unknown, where: string): number {
  const x = finite(value, where);
  if (x < 0) fail(where, x, "a number >= 0");
  return x;
}

function count(value: unknown, where: string): number {
  const x = nonNegative(value, where);
  if (!Number.isInteger(x)) fail(where, x, "an integer >= 0");
  return x;
}
