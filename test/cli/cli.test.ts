import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { CommandIO } from "../../src/cli/command.js";
import { main } from "../../src/cli/main.js";
import { FEATURE_NAMES, FEATURE_SETS } from "../../src/core/featureNames.js";
import { parseInteractionModel } from "../../src/core/interactionModel.js";

const tmp = mkdtempSync(join(tmpdir(), "privads-cli-main-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function capture(): CommandIO & { out: string; err: string } {
  const io = { out: "", err: "", interactive: false, stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) };
  return io;
}

async function run(...argv: string[]) {
  const io = capture();
  const code = await main(argv, io);
  return { code, out: io.out, err: io.err };
}

/** The results file minus the fields that measure the run rather than the model. */
function stableResults(path: string): unknown {
  const results = JSON.parse(readFileSync(path, "utf8"));
  delete results.timings_ms;
  delete results.peak_rss_mb;
  return results;
}

describe("privads CLI: usage", () => {
  it("lists the commands and exits 2 without one", async () => {
    const { code, out } = await run();
    expect(code).toBe(2);
    for (const name of ["pipeline", "generate", "extract", "train", "export", "predict", "serve"]) expect(out).toContain(`  ${name}`);
  });

  it.each(["pipeline", "generate", "extract", "train", "export", "predict", "serve"])("%s --help prints its usage and exits 0", async (name) => {
    const { code, out } = await run(name, "--help");
    expect(code).toBe(0);
    expect(out).toContain(`Usage: privads ${name}`);
  });

  it.each([
    [["pipeline", "--samples", "abc"], "--samples must be an integer from 2000 to 2000000, got \"abc\""],
    [["pipeline", "--bogus"], "Unknown option '--bogus'"],
    [["pipeline", "--quick", "--samples", "500"], "--quick and --samples cannot be combined"],
    [["pipeline", "--seed=-1"], "--seed must be an integer from 0 to 4294967295"],
    [["pipeline", "--seed", "4294967296"], "--seed must be an integer from 0 to 4294967295"],
    [["pipeline", "--no-browser", "--browser-out", "x"], "--browser-out and --no-browser cannot be combined"],
    [["generate", "--out", "x.jsonl"], "--sessions is required"],
    [["train", "--in", "a.csv", "--events", "b.jsonl"], "give exactly one of --in FILE.csv or --events FILE.jsonl"],
    [["pipeline", "--features", "all"], '--features must be one of ads, seed, got "all"'],
    [["extract", "--in", "a.jsonl", "--out", "b.csv", "--features", "ADS"], '--features must be one of ads, seed, got "ADS"'],
    [["train", "--in", "a.csv", "--features", "seed"], "--features goes with --events; a CSV's header decides its feature set"],
    [["frobnicate"], 'unknown command "frobnicate"'],
  ])("%j exits 2 with a usage message", async (argv, message) => {
    const { code, err } = await run(...argv);
    expect(code).toBe(2);
    expect(err).toContain(message);
  });

  it("exits 1 with the file, line and field for bad input, writing nothing", async () => {
    const input = join(tmp, "bad.jsonl");
    writeFileSync(input, '{"id":"a","events":[{"type":"click","t":1}],"adSignals":[]}\n{"id":"b","events":[{"type":"click","t":1,"depth":7}],"adSignals":[]}\n');
    const out = join(tmp, "never.csv");
    const { code, err } = await run("extract", "--in", input, "--out", out);
    expect(code).toBe(1);
    expect(err).toContain(`${input}:2: events[0].depth: must be a number in [0, 1], got 7`);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(tmp).filter((f) => f.includes("never"))).toEqual([]); // no temporary file left either
  });
});

describe("privads CLI: generate -> extract -> train", () => {
  it("round-trips through files and trains a valid model (ads set, the default)", async () => {
    const sessions = join(tmp, "sessions.jsonl");
    const windows = join(tmp, "windows.csv");
    expect((await run("generate", "--sessions", "400", "--seed", "7", "--out", sessions)).code).toBe(0);
    const lines = readFileSync(sessions, "utf8").trimEnd().split("\n");
    expect(lines).toHaveLength(400);
    expect(JSON.parse(lines[0]).id).toBe("s000001");

    expect((await run("extract", "--in", sessions, "--out", windows)).code).toBe(0);
    const csv = readFileSync(windows, "utf8").trimEnd().split("\n");
    expect(csv[0]).toBe(["session_id", "t", ...FEATURE_SETS.ads, "label"].join(","));
    expect(csv[1].split(",")).toHaveLength(2 + 26 + 1);

    const fromCsv = join(tmp, "from-csv");
    const fromEvents = join(tmp, "from-events");
    expect((await run("train", "--in", windows, "--out", fromCsv, "--seed", "7")).code).toBe(0);
    expect((await run("train", "--events", sessions, "--out", fromEvents, "--seed", "7")).code).toBe(0);
    // The CSV keeps every number at full precision, so both routes train the same model.
    const a = readFileSync(join(fromCsv, "interaction_predictor.json"), "utf8");
    expect(readFileSync(join(fromEvents, "interaction_predictor.json"), "utf8")).toBe(a);
    const model = parseInteractionModel(JSON.parse(a), "model");
    expect(model.featureNames).toEqual([...FEATURE_SETS.ads]);
    expect(model.coefficients).toHaveLength(377);
    const results = JSON.parse(readFileSync(join(fromCsv, "training_results.json"), "utf8"));
    expect(results.n_samples).toBe(csv.length - 1);
    expect(results.cv_results.folds).toHaveLength(5);
    expect(results.config.features).toBe("ads");
    expect(results.seed_model.terms).toBe(230);
  });

  it("--features seed: the 20-column CSV, and a 230-term model by either route", async () => {
    const sessions = join(tmp, "sessions.jsonl"); // from the test above
    const windows = join(tmp, "windows-seed.csv");
    expect((await run("extract", "--in", sessions, "--out", windows, "--features", "seed")).code).toBe(0);
    const csv = readFileSync(windows, "utf8").trimEnd().split("\n");
    expect(csv[0]).toBe(["session_id", "t", ...FEATURE_NAMES, "label"].join(","));
    // Same windows as the ads CSV, its first 20 feature columns.
    const ads = readFileSync(join(tmp, "windows.csv"), "utf8").trimEnd().split("\n");
    expect(csv.length).toBe(ads.length);
    for (const k of [1, Math.floor(ads.length / 2), ads.length - 1]) {
      const a = ads[k].split(",");
      expect(csv[k]).toBe([...a.slice(0, 22), a[a.length - 1]].join(","));
    }
    const fromCsv = join(tmp, "seed-from-csv");
    const fromEvents = join(tmp, "seed-from-events");
    expect((await run("train", "--in", windows, "--out", fromCsv, "--seed", "7")).code).toBe(0);
    expect((await run("train", "--events", sessions, "--features", "seed", "--out", fromEvents, "--seed", "7")).code).toBe(0);
    const a = readFileSync(join(fromCsv, "interaction_predictor.json"), "utf8");
    expect(readFileSync(join(fromEvents, "interaction_predictor.json"), "utf8")).toBe(a);
    const model = parseInteractionModel(JSON.parse(a), "model");
    expect(model.featureNames).toEqual([...FEATURE_NAMES]);
    expect(model.coefficients).toHaveLength(230);
    const results = JSON.parse(readFileSync(join(fromCsv, "training_results.json"), "utf8"));
    expect(results.config).toMatchObject({ features: "seed", model: { terms: 230 } });
    expect(results.seed_model).toBeNull();
  });
});

describe("privads pipeline", () => {
  it("gives byte-identical model and results files for the same seed", async () => {
    const a = join(tmp, "run-a");
    const b = join(tmp, "run-b");
    const first = await run("pipeline", "--samples", "3000", "--seed", "5", "--out", a, "--browser-out", join(a, "web"));
    expect(first.code).toBe(0);
    expect(first.out).toContain("CV ROC AUC");
    expect((await run("pipeline", "--samples", "3000", "--seed", "5", "--out", b, "--browser-out", join(b, "web"))).code).toBe(0);
    // The export step: the browser files, the ONNX model byte-identical too.
    for (const file of ["interaction_predictor.onnx", "interaction_predictor.json", "interaction_predictor.js", "demo.html"]) {
      expect(existsSync(join(a, "web", file)), file).toBe(true);
    }
    expect(readFileSync(join(b, "web", "interaction_predictor.onnx"))).toEqual(readFileSync(join(a, "web", "interaction_predictor.onnx")));
    expect(readFileSync(join(b, "interaction_predictor.json"))).toEqual(readFileSync(join(a, "interaction_predictor.json")));
    expect(stableResults(join(b, "training_results.json"))).toEqual(stableResults(join(a, "training_results.json")));
    expect(readFileSync(join(b, "report.html"))).toEqual(readFileSync(join(a, "report.html")));
    const results = JSON.parse(readFileSync(join(a, "training_results.json"), "utf8"));
    expect(results.n_samples).toBe(3000);
    for (const key of ["n_sessions", "positive_ratio", "seed", "config", "cv_results", "heuristic", "feature_importance", "timings_ms"]) {
      expect(results, key).toHaveProperty(key);
    }
    // The ads model is shipped; the comparison has the seed model's row beside it.
    expect(results.config.features).toBe("ads");
    expect(Object.keys(results.comparison.rows)).toEqual(["heuristic", "plain_logistic", "degree2_seed", "degree2_logistic", "oracle"]);
    expect(results.comparison.rows.degree2_seed).not.toBeNull();
    expect(first.out).toMatch(/features\s+: ads \(377 terms\)/);
  });

  it("--features seed ships the seed model as before, without a seed row", async () => {
    const d = join(tmp, "run-seed");
    const { code, out } = await run("pipeline", "--samples", "3000", "--seed", "5", "--out", d, "--no-browser", "--features", "seed");
    expect(code).toBe(0);
    expect(out).toMatch(/features\s+: seed \(230 terms\)/);
    const results = JSON.parse(readFileSync(join(d, "training_results.json"), "utf8"));
    expect(results.config.features).toBe("seed");
    expect(results.seed_model).toBeNull();
    expect(results.comparison.rows.degree2_seed).toBeNull();
    const model = JSON.parse(readFileSync(join(d, "interaction_predictor.json"), "utf8"));
    expect(model.featureNames).toEqual([...FEATURE_NAMES]);
    // The same sessions as the ads run of the same seed: its seed row is this run's shipped model (solver tolerance).
    const ads = JSON.parse(readFileSync(join(tmp, "run-a", "training_results.json"), "utf8"));
    expect(Math.abs(ads.seed_model.held_out.roc_auc - results.held_out.roc_auc)).toBeLessThanOrEqual(1e-5);
  });

  it("changes with the seed", async () => {
    const c = join(tmp, "run-c");
    expect((await run("pipeline", "--samples", "3000", "--seed", "6", "--out", c, "--no-browser")).code).toBe(0);
    expect(existsSync(join(c, "web"))).toBe(false);
    expect(readFileSync(join(c, "interaction_predictor.json"), "utf8")).not.toBe(readFileSync(join(tmp, "run-a", "interaction_predictor.json"), "utf8"));
  });
});
