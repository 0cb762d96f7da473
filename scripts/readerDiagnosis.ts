// The readers' diagnosis (docs/readers.md): the scripted readers' recorded live features
// (test/fixtures/readers/*.json) against the training windows of the model, feature by feature,
// and the degree-2 terms behind their probabilities. Bundled and run by scripts/diagnoseReaders.mjs:
//   node scripts/diagnoseReaders.mjs [--model PATH] [--samples 50000] [--seed 42]
// Prints Markdown.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { clampToDomain, type FeatureDomain } from "../src/core/featureDomain.js";
import { FEATURE_SETS } from "../src/core/featureNames.js";
import { parseInteractionModel, type InteractionModel } from "../src/core/interactionModel.js";
import { expandPolynomial, termNames } from "../src/core/polynomialTerms.js";
import { modelMargin, scoreModel } from "../src/core/scoreModel.js";
import { splitHeldOut } from "../src/evaluation/heldOutSplit.js";
import { parseReaderTrace, readerClampShares, type ReaderReading, type ReaderTrace } from "../src/evaluation/readerTraces.js";
import { simulateWindows } from "../src/pipeline/simulateWindows.js";
import { checkNoAd, checkOnAd, isNoAdReading, isOnViewableAd, NO_AD_FACTOR, trainingPositiveRate } from "../test/readers/readerAcceptance.js";

const NAMES = FEATURE_SETS.ads;
const F = NAMES.length;

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

const root = process.cwd();
const modelPath = flag("model", "test/fixtures/ads-model-50k-seed42.json");
const samples = Number(flag("samples", "50000"));
const seed = Number(flag("seed", "42"));
const model: InteractionModel = parseInteractionModel(JSON.parse(readFileSync(join(root, modelPath), "utf8")), modelPath);
const traceDir = join(root, "test/fixtures/readers");
const traces: ReaderTrace[] = readdirSync(traceDir)
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((f) => parseReaderTrace(JSON.parse(readFileSync(join(traceDir, f), "utf8")), f));

// ---- the training windows: the pipeline's simulation and held-out split, the training side ----
const data = simulateWindows(samples, seed, model.window, undefined, undefined, "ads").dataset;
const train = splitHeldOut(data.sessionIndex, seed).train;
const column = (j: number) => Float64Array.from(train, (r) => data.features[r * F + j]).sort();
const columns = NAMES.map((_, j) => column(j));
const quantile = (sorted: Float64Array, q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))];
/** Share of training windows at or below x (ties counted half), in [0, 1]. */
function rank(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  let eq = lo;
  while (eq < sorted.length && sorted[eq] === x) eq++;
  return (lo + (eq - lo) / 2) / sorted.length;
}
const domain: FeatureDomain = { low: columns.map((c) => c[0]), high: columns.map((c) => c[c.length - 1]) };
const positiveRate = trainingPositiveRate(model);

const fmt = (x: number, digits = 3) => (Number.isInteger(x) ? String(x) : x.toFixed(digits));
const pct = (p: number) => `${(p * 100).toFixed(1)} %`;
const row = (r: ReaderReading) => NAMES.map((name) => r.features[name]);
const z = (j: number, x: number) => (x - model.scaler.mean[j]) / model.scaler.scale[j];
const byName = (name: string) => traces.find((t) => t.reader === name)!;
const judged = (trace: ReaderTrace) => trace.readings.filter((r) => (trace.reader === "adRester" ? isOnViewableAd(r) : isNoAdReading(r)));
const table = (head: string[], rows: string[][]) => [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");

const out: string[] = [];
out.push(`Model: \`${modelPath}\`; training windows: ${train.length} (the training side of ${data.n} windows, pipeline seed ${seed}); positive rate ${pct(positiveRate)} (model metadata), bound ${NO_AD_FACTOR}x = ${pct(NO_AD_FACTOR * positiveRate)}.`);
out.push(`Readers: ${traces.map((t) => `${t.reader} (${t.readings.length} readings, ${judged(t).length} judged)`).join(", ")}. Judged: t >= 10 s, no slot half visible for 5 s, pointer off ads (adRester: pointer on a viewable slot).`);

// ---- 1. where the readers sit in the training distribution ----
out.push("\n### Features: training quantiles and the readers' judged readings\n");
out.push("Reader columns: min..max over the judged readings, then the most extreme standard score (training mean and sd) and its training quantile; ! marks values outside the training range.\n");
out.push(
  table(
    ["feature", "train min", "q01", "q50", "q99", "train max", ...traces.map((t) => t.reader)],
    NAMES.map((name, j) => {
      const c = columns[j];
      const cells = traces.map((trace) => {
        const xs = judged(trace).map((r) => r.features[name]);
        if (xs.length === 0) return "-";
        const [lo, hi] = [Math.min(...xs), Math.max(...xs)];
        const worst = Math.abs(z(j, lo)) > Math.abs(z(j, hi)) ? lo : hi;
        const outside = lo < domain.low[j] || hi > domain.high[j] ? "!" : "";
        return `${fmt(lo)}..${fmt(hi)} (z ${fmt(z(j, worst), 1)}, q ${fmt(rank(c, worst), 4)})${outside}`;
      });
      return [name, fmt(c[0]), fmt(quantile(c, 0.01)), fmt(quantile(c, 0.5)), fmt(quantile(c, 0.99)), fmt(c[c.length - 1]), ...cells];
    }),
  ),
);

// ---- 1b. the training windows by window end: the readers' 10-40 s are the sessions' first windows ----
out.push("\n### Training windows by window end t (the readers' judged readings have t = 10..40 s)\n");
const STRATA: Array<[string, (t: number) => boolean]> = [["10", (t) => t === 10], ["20", (t) => t === 20], ["30", (t) => t === 30], ["40", (t) => t === 40], [">= 50", (t) => t >= 50]];
const SHOWN = ["interaction_density", "wait_count", "avg_time_between_actions", "max_idle_gap", "scroll_up_count", "burstiness_score"] as const;
out.push(
  table(
    ["t", "windows", ...SHOWN.map((name) => `${name} q01 / q50 / q99 / max`)],
    STRATA.map(([label, keep]) => {
      const rows = Array.from(train).filter((r) => keep(data.t[r]));
      return [label, String(rows.length), ...SHOWN.map((name) => {
        const j = NAMES.indexOf(name);
        const c = Float64Array.from(rows, (r) => data.features[r * F + j]).sort();
        return c.length === 0 ? "-" : [0.01, 0.5, 0.99].map((q) => fmt(quantile(c, q), 2)).concat(fmt(c[c.length - 1], 2)).join(" / ");
      })];
    }),
  ),
);

// ---- 2. how much a domain clamp would touch ----
out.push("\n### Clamp shares (domain = training min..max)\n");
const shareRows = traces.map((trace) => {
  const all = readerClampShares(domain, [trace]);
  const early = readerClampShares(domain, [{ ...trace, readings: trace.readings.filter((r) => r.t < 10) }]);
  const late = readerClampShares(domain, [{ ...trace, readings: trace.readings.filter((r) => r.t >= 10) }]);
  const top = all.features.filter((f) => f.outside > 0).sort((a, b) => b.outside - a.outside);
  return [trace.reader, pct(all.anyOutside), pct(early.anyOutside), pct(late.anyOutside), top.map((f) => `${f.name} ${pct(f.outside)}${f.below > 0 ? " below" : " above"}`).join(", ") || "-"];
});
out.push(table(["reader", "readings outside", "t < 10 s", "t >= 10 s", "features outside (share of readings)"], shareRows));

// ---- 3. joint distance: nearest training window in standard scores ----
const Z = new Float64Array(train.length * F);
train.forEach((r, i) => {
  for (let j = 0; j < F; j++) Z[i * F + j] = z(j, data.features[r * F + j]);
});
function nearest(x: number[], skip = -1): number {
  const q = x.map((v, j) => z(j, v));
  let best = Infinity;
  for (let i = 0; i < train.length; i++) {
    if (i === skip) continue;
    let d = 0;
    for (let j = 0; j < F && d < best; j++) {
      const e = Z[i * F + j] - q[j];
      d += e * e;
    }
    if (d < best) best = d;
  }
  return Math.sqrt(best);
}
const sampleIdx = Array.from({ length: 300 }, (_, k) => Math.floor(((k + 0.5) * train.length) / 300));
const trainNN = sampleIdx.map((i) => nearest(Array.from({ length: F }, (_, j) => data.features[train[i] * F + j]), i)).sort((a, b) => a - b);
out.push("\n### Nearest training window (Euclidean distance in standard scores, 26 features)\n");
out.push(`Training windows to their nearest other training window (300 spread over the set): median ${fmt(trainNN[150], 2)}, q95 ${fmt(trainNN[285], 2)}, max ${fmt(trainNN[299], 2)}.\n`);
out.push(
  table(
    ["reader", "median", "max", "at t"],
    traces.map((trace) => {
      const ds = judged(trace).map((r) => [nearest(row(r)), r.t] as const);
      if (ds.length === 0) return [trace.reader, "-", "-", "-"];
      const sorted = ds.map((d) => d[0]).sort((a, b) => a - b);
      const worst = ds.reduce((a, b) => (b[0] > a[0] ? b : a));
      return [trace.reader, fmt(sorted[Math.floor(sorted.length / 2)], 2), fmt(worst[0], 2), fmt(worst[1])];
    }),
  ),
);

// ---- 4. the terms behind the worst readings and the biggest jumps ----
const names = termNames(NAMES);
function terms(x: number[]): Float64Array {
  const zs = x.map((v, j) => z(j, v));
  const phi = new Float64Array(names.length);
  expandPolynomial(zs, phi, 0, F);
  return phi.map((p, k) => model.coefficients[k] * p);
}
/** Top terms by |contribution| to the calibrated logit (slope x coefficient x term), as "name z-values: +x.xx". */
function topTerms(contrib: Float64Array, n = 6): string {
  const slope = model.calibration.slope;
  return Array.from(contrib.keys())
    .sort((a, b) => Math.abs(contrib[b]) - Math.abs(contrib[a]))
    .slice(0, n)
    .map((k) => `${names[k]} ${contrib[k] * slope >= 0 ? "+" : ""}${(contrib[k] * slope).toFixed(2)}`)
    .join("; ");
}
out.push("\n### Terms at the worst judged reading (contributions to the calibrated logit: slope x coefficient x term)\n");
for (const trace of traces) {
  const rs = judged(trace);
  if (rs.length === 0) continue;
  const worst = trace.reader === "adRester" ? rs.reduce((a, b) => (b.probability < a.probability ? b : a)) : rs.reduce((a, b) => (b.probability > a.probability ? b : a));
  const x = row(worst);
  const zs = x.map((v, j) => `${NAMES[j]} ${fmt(v)} (z ${fmt(z(j, v), 1)})`).filter((_, j) => Math.abs(z(j, x[j])) >= 2);
  out.push(`- **${trace.reader}** at t = ${worst.t} s: p = ${pct(worst.probability)} (${trace.reader === "adRester" ? "lowest" : "highest"} judged), calibrated logit ${fmt(model.calibration.slope * modelMargin(model, x) + model.calibration.intercept, 2)}; |z| >= 2: ${zs.join(", ") || "none"}. Top terms: ${topTerms(terms(x))}.`);
}
out.push("\n### Biggest jump between consecutive readings (t >= 5 s, model source)\n");
for (const trace of traces) {
  let best: [ReaderReading, ReaderReading] | undefined;
  let bestD = 0;
  for (let i = 1; i < trace.readings.length; i++) {
    const [a, b] = [trace.readings[i - 1], trace.readings[i]];
    if (a.t < 5 || a.source !== "model" || b.source !== "model") continue;
    const d = Math.abs(modelMargin(model, row(b)) - modelMargin(model, row(a)));
    if (d > bestD) [bestD, best] = [d, [a, b]];
  }
  if (!best) continue;
  const [a, b] = best;
  const delta = terms(row(b)).map((c, k) => c - terms(row(a))[k]);
  const changed = NAMES.filter((name) => a.features[name] !== b.features[name]).map((name) => `${name} ${fmt(a.features[name])} -> ${fmt(b.features[name])}`);
  out.push(`- **${trace.reader}** t = ${a.t} -> ${b.t} s: p ${pct(a.probability)} -> ${pct(b.probability)} (logit change ${fmt(model.calibration.slope * (modelMargin(model, row(b)) - modelMargin(model, row(a))), 2)}); features: ${changed.join(", ")}. Top term changes: ${topTerms(delta)}.`);
}

// ---- 5. what a clamp to the training range alone would show ----
out.push("\n### The criteria today, and with the features clamped to the training range (same model)\n");
const clamped = (trace: ReaderTrace): ReaderTrace => ({
  ...trace,
  readings: trace.readings.map((r) => {
    if (r.source !== "model") return r;
    const x = row(r).map((v, j) => clampToDomain(v, domain.low[j], domain.high[j]));
    return { ...r, probability: scoreModel(model, x) };
  }),
});
const criteria = (set: (name: string) => ReaderTrace) => [
  ...traces.filter((t) => t.reader !== "adRester").map((t) => {
    const c = checkNoAd(set(t.reader), positiveRate);
    return `${t.reader}: ${c.over.length}/${c.judged} over, max ${pct(c.max)} at ${c.maxAt} s`;
  }),
  (() => {
    const c = checkOnAd(set("adRester"), set("steady"));
    return `adRester >= 3x steady: ${c.judged - c.short.length}/${c.judged} hold, min ratio ${fmt(c.minRatio, 2)} at ${c.minRatioAt} s`;
  })(),
];
out.push(table(["criterion", "today (shown)", "clamped to training min..max"], criteria(byName).map((today, i) => [String(i + 1), today, criteria((n) => clamped(byName(n)))[i]])));

console.log(out.join("\n"));
