import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { UsageError, type CommandIO } from "../../src/cli/command.js";
import { exportCommand } from "../../src/cli/commands/export.js";
import { predictCommand } from "../../src/cli/commands/predict.js";
import { serveCommand } from "../../src/cli/commands/serve.js";
import { FEATURE_COUNT, FEATURE_NAMES, FEATURE_SETS, type FeatureSetName } from "../../src/core/featureNames.js";
import { scoreModel } from "../../src/core/scoreModel.js";
import { InteractionPredictor } from "../../src/browser/interactionPredictor.js";
import { buildOnnxModel } from "../../src/export/onnxExporter.js";
import { exportStamp, onnxRunMetadata } from "../../src/export/exportArtifacts.js";
import { randomModel, realisticWindows } from "./testModel.js";

const tmp = mkdtempSync(join(tmpdir(), "privads-cli-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const model = randomModel(7);
const jsonPath = join(tmp, "interaction_predictor.json");
const onnxPath = join(tmp, "interaction_predictor.onnx");
writeFileSync(jsonPath, JSON.stringify(model));
writeFileSync(onnxPath, buildOnnxModel(model));

function capture(): CommandIO & { out: string; err: string } {
  const io = { out: "", err: "", interactive: false, stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) };
  return io;
}

/** A windows CSV in `privads extract` layout plus a quoted extra column. */
function writeWindowsCsv(path: string, rows: number, edit?: (cells: string[][]) => void): Float64Array {
  const x = realisticWindows(rows, 31);
  const cells = Array.from({ length: rows }, (_, r) => [`s${r % 7}`, String(10 * (r + 1)), ...Array.from(x.subarray(r * FEATURE_COUNT, (r + 1) * FEATURE_COUNT), String), String(r % 2), `"note, ${r}"`]);
  edit?.(cells);
  writeFileSync(path, ["session_id,t," + FEATURE_NAMES.join(",") + ",label,note", ...cells.map((c) => c.join(","))].join("\n") + "\n");
  return x;
}

describe("privads predict", () => {
  const input = join(tmp, "windows.csv");
  const x = writeWindowsCsv(input, 300);

  it.each([
    ["json", jsonPath, "builtin", 1e-12],
    ["onnx", onnxPath, "builtin", 1e-6],
    ["onnx", onnxPath, "onnxruntime-node", 1e-5],
    ["json", jsonPath, "onnxruntime-node", 1e-5],
  ])("scores every row from a .%s model on %s (tolerance %s)", async (_kind, modelPath, runtime, tolerance) => {
    const out = join(tmp, `scored-${_kind}-${runtime}.csv`);
    const io = capture();
    expect(await predictCommand.run(["--model", modelPath, "--in", input, "--out", out, "--runtime", runtime], io)).toBe(0);
    expect(io.out).toContain("scored 300 rows");
    const inLines = readFileSync(input, "utf8").trimEnd().split("\n");
    const outLines = readFileSync(out, "utf8").trimEnd().split("\n");
    expect(outLines[0]).toBe(inLines[0] + ",click_probability");
    expect(outLines).toHaveLength(301);
    for (let r = 0; r < 300; r++) {
      const line = outLines[r + 1];
      const cut = line.lastIndexOf(",");
      expect(line.slice(0, cut)).toBe(inLines[r + 1]); // other columns copied through verbatim
      expect(Math.abs(Number(line.slice(cut + 1)) - scoreModel(model, x, r * FEATURE_COUNT))).toBeLessThanOrEqual(tolerance);
    }
  });

  it.each([
    ["a non-number", (c: string[][]) => (c[1][2 + 6] = "abc"), /windows-bad\.csv:3: click_count \(column 9\): must be a finite number, got "abc"/],
    ["an empty cell", (c: string[][]) => (c[4][2 + 19] = ""), /windows-bad\.csv:6: scroll_velocity \(column 22\): must be a finite number, got ""/],
    ["a short row", (c: string[][]) => c[0].splice(3, 1), /windows-bad\.csv:2: \(line\): has 23 fields, the header has 24/],
  ])("names file, line and column for %s, and writes nothing", async (_what, edit, message) => {
    const bad = join(tmp, "windows-bad.csv");
    writeWindowsCsv(bad, 10, edit);
    const out = join(tmp, "never.csv");
    const io = capture();
    expect(await predictCommand.run(["--model", jsonPath, "--in", bad, "--out", out], io)).toBe(1);
    expect(io.err).toMatch(message);
    expect(existsSync(out)).toBe(false);
  });

  it("fails clearly on a missing feature column, a missing file and a foreign model", async () => {
    const noColumn = join(tmp, "no-column.csv");
    writeFileSync(noColumn, "session_id,t,hover_count\ns,10,1\n");
    let io = capture();
    expect(await predictCommand.run(["--model", jsonPath, "--in", noColumn, "--out", join(tmp, "o.csv")], io)).toBe(1);
    expect(io.err).toMatch(/no-column\.csv:1: \(header\): missing feature column\(s\) time_since_last_action/);
    io = capture();
    expect(await predictCommand.run(["--model", jsonPath, "--in", join(tmp, "nope.csv"), "--out", join(tmp, "o.csv")], io)).toBe(1);
    expect(io.err).toMatch(/cannot read .*nope\.csv \(no such file\)/);
    const foreign = join(tmp, "foreign.onnx");
    writeFileSync(foreign, new Uint8Array([0x08, 0x03, 0x12, 0x04, 0x74, 0x65, 0x73, 0x74]));
    io = capture();
    expect(await predictCommand.run(["--model", foreign, "--in", input, "--out", join(tmp, "o.csv")], io)).toBe(1);
    expect(io.err).toMatch(/foreign\.onnx: metadata "privads\.format" must be "privads\.interaction-model", got undefined \(not a PrivAds model file\?\)/);
  });

  it.each([[["--in", "a.csv", "--out", "b.csv"]], [["--model", "m.json", "--in", "a.csv", "--out", "b.csv", "--bogus"]], [["--model", "m.json", "--in", "a", "--out", "b", "--runtime", "gpu"]]])(
    "throws UsageError for %j",
    async (argv) => {
      await expect(predictCommand.run(argv, capture())).rejects.toThrow(UsageError);
    },
  );
});

describe("privads predict follows the model's feature set", () => {
  const sets: FeatureSetName[] = ["ads", "seed"];
  const files = Object.fromEntries(
    sets.map((set) => {
      const m = randomModel(7, set);
      const json = join(tmp, `model-${set}.json`);
      const onnx = join(tmp, `model-${set}.onnx`);
      writeFileSync(json, JSON.stringify(m));
      writeFileSync(onnx, buildOnnxModel(m));
      return [set, { model: m, json, onnx }];
    }),
  ) as Record<FeatureSetName, { model: ReturnType<typeof randomModel>; json: string; onnx: string }>;
  // An `extract --features ads` CSV: the 26 columns, which also hold the 20 a seed model reads.
  const adsCsv = join(tmp, "windows-ads.csv");
  const x = realisticWindows(40, 31, "ads");
  const names = FEATURE_SETS.ads;
  writeFileSync(
    adsCsv,
    ["session_id,t," + names.join(",") + ",label", ...Array.from({ length: 40 }, (_, r) => [`s${r % 3}`, String(10 * (r + 1)), ...Array.from(x.subarray(r * 26, (r + 1) * 26), String), "0"].join(","))].join("\n") + "\n",
  );

  it.each([
    ["ads", "json", "builtin", 1e-12],
    ["ads", "onnx", "builtin", 1e-6],
    ["ads", "onnx", "onnxruntime-node", 1e-5],
    ["seed", "json", "builtin", 1e-12],
    ["seed", "onnx", "onnxruntime-node", 1e-5],
  ] as const)("a %s model (.%s on %s) scores the CSV's columns of its set; the rest is copied through", async (set, kind, runtime, tolerance) => {
    const { model: m, json, onnx } = files[set];
    const out = join(tmp, `scored-${set}-${kind}-${runtime}.csv`);
    const io = capture();
    expect(await predictCommand.run(["--model", kind === "json" ? json : onnx, "--in", adsCsv, "--out", out, "--runtime", runtime], io)).toBe(0);
    const inLines = readFileSync(adsCsv, "utf8").trimEnd().split("\n");
    const outLines = readFileSync(out, "utf8").trimEnd().split("\n");
    expect(outLines[0]).toBe(inLines[0] + ",click_probability");
    const F = m.featureNames.length;
    for (let r = 0; r < 40; r++) {
      const line = outLines[r + 1];
      const cut = line.lastIndexOf(",");
      expect(line.slice(0, cut)).toBe(inLines[r + 1]);
      // The model's F columns, picked by name from the 26 (the seed set is their first 20).
      const row = Array.from(x.subarray(r * 26, r * 26 + F));
      expect(Math.abs(Number(line.slice(cut + 1)) - scoreModel(m, row))).toBeLessThanOrEqual(tolerance);
    }
  });

  it("an ads model given a seed CSV names the file and the missing ad columns, and writes nothing", async () => {
    const seedCsv = join(tmp, "windows-seed.csv");
    writeWindowsCsv(seedCsv, 5);
    const out = join(tmp, "never-ads.csv");
    const io = capture();
    expect(await predictCommand.run(["--model", files.ads.onnx, "--in", seedCsv, "--out", out], io)).toBe(1);
    expect(io.err).toMatch(/windows-seed\.csv:1: \(header\): missing feature column\(s\) ads_in_view, ad_view_seconds, time_since_ad_view, ad_views_started, pointer_on_ad, pointer_on_ad_seconds \(the model uses the "ads" feature set\)/);
    expect(existsSync(out)).toBe(false);
  });
});

describe("privads export", () => {
  it.each(["ads", "seed"] as const)("exports a %s model: the .onnx has its width and set", async (set) => {
    const m = randomModel(9, set);
    const path = join(tmp, `export-${set}.json`);
    writeFileSync(path, JSON.stringify(m));
    const bundle = join(tmp, "bundle-sets.js");
    writeFileSync(bundle, "export const marker = 2;\n");
    const out = join(tmp, `public-${set}`);
    const io = capture();
    expect(await exportCommand.run(["--model", path, "--out", out, "--bundle", bundle], io)).toBe(0);
    const onnxBytes = new Uint8Array(readFileSync(join(out, "interaction_predictor.onnx")));
    expect(Buffer.from(onnxBytes).equals(Buffer.from(buildOnnxModel(m, onnxRunMetadata(exportStamp(m)))))).toBe(true);
    const predictor = new InteractionPredictor({ model: onnxBytes });
    await predictor.initialize();
    expect(predictor.featureSet).toBe(set);
    expect(predictor.featureNames).toHaveLength(set === "ads" ? 26 : 20);
  });

  it("writes the ONNX model, JSON, bundle and demo page", async () => {
    const bundle = join(tmp, "bundle.js");
    writeFileSync(bundle, "export const marker = 1;\n");
    const out = join(tmp, "public-models");
    const io = capture();
    expect(await exportCommand.run(["--model", jsonPath, "--out", out, "--bundle", bundle], io)).toBe(0);
    for (const name of ["interaction_predictor.onnx", "interaction_predictor.json", "interaction_predictor.js", "demo.html"]) {
      expect(io.out).toContain(join(out, name));
    }
    expect(Buffer.from(readFileSync(join(out, "interaction_predictor.onnx"))).equals(Buffer.from(buildOnnxModel(model, onnxRunMetadata(exportStamp(model)))))).toBe(true);
    expect(readFileSync(join(out, "interaction_predictor.js"), "utf8")).toContain("marker");
    expect(JSON.parse(readFileSync(join(out, "interaction_predictor.json"), "utf8")).coefficients).toEqual(model.coefficients);
    const demo = readFileSync(join(out, "demo.html"), "utf8");
    expect(demo).toContain('from "./interaction_predictor.js"');
    expect(demo).not.toMatch(/https?:\/\//); // nothing from another origin
    expect(existsSync(join(out, "ort"))).toBe(false); // onnxruntime-web is opt-in
  });

  it("fails clearly when the bundle is missing or the model is not a model", async () => {
    let io = capture();
    expect(await exportCommand.run(["--model", jsonPath, "--out", join(tmp, "x"), "--bundle", join(tmp, "none.js")], io)).toBe(1);
    expect(io.err).toMatch(/none\.js .*run npm run build/);
    const other = join(tmp, "other.json");
    writeFileSync(other, JSON.stringify({ format: "sklearn" }));
    io = capture();
    expect(await exportCommand.run(["--model", other, "--out", join(tmp, "x")], io)).toBe(1);
    expect(io.err).toMatch(/other\.json: format must be "privads\.interaction-model"/);
  });

  it("rejects bad flags with UsageError", async () => {
    await expect(exportCommand.run(["--nope"], capture())).rejects.toThrow(UsageError);
    await expect(exportCommand.run(["--model", onnxPath], capture())).rejects.toThrow(/--model must be the \.json model/);
    await expect(serveCommand.run(["--port", "70000"], capture())).rejects.toThrow(UsageError);
  });

  it("serve fails with exit 1 on a missing folder", async () => {
    const io = capture();
    expect(await serveCommand.run(["--dir", join(tmp, "missing"), "--port", "0"], io)).toBe(1);
    expect(io.err).toMatch(/cannot serve/);
  });
});
