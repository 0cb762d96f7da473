// Makes sure the demo has a model: privads-demo/public/models/interaction_predictor.onnx.
// If it is missing: build the CLI, train one (`privads pipeline`, 50,000 windows, about 12 s) unless models/ already
// holds a trained model, then export it for the browser. Pass --with-onnxruntime-web to also
// copy onnxruntime-web's files (for ?runtime=onnxruntime-web). Run from anywhere. The pipeline
// trains the `ads` feature set by default (docs/ad-signals.md); a model kept from before that
// uses the 20 interaction features only, and the script says so.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const browserDir = "privads-demo/public/models/";
const onnx = `${browserDir}interaction_predictor.onnx`;
const trained = "models/interaction_predictor.json";
const withOrt = process.argv.includes("--with-onnxruntime-web");
const at = (path) => existsSync(new URL(path, `file://${root}`));

function run(args) {
  console.log(`[demo] node ${args.join(" ")}`);
  const { status } = spawnSync(process.execPath, args, { cwd: root, stdio: "inherit" });
  if (status !== 0) {
    console.error(`[demo] failed: node ${args.join(" ")} (exit ${status})`);
    process.exit(1);
  }
}

if (at(onnx) && (!withOrt || at(`${browserDir}ort/`))) {
  console.log(`[demo] using ${onnx}`);
} else {
  run(["scripts/build.mjs"]);
  if (!at(trained)) run(["bin/privads.js", "pipeline"]);
  if (!at(onnx) || withOrt) {
    run(["bin/privads.js", "export", "--model", trained, "--out", browserDir, ...(withOrt ? ["--with-onnxruntime-web"] : [])]);
  }
}

// The panel shows the ad state with any model, but only an `ads` model (26 features) uses it.
try {
  const names = JSON.parse(readFileSync(new URL(`${browserDir}interaction_predictor.json`, `file://${root}`), "utf8")).featureNames;
  if (Array.isArray(names) && !names.includes("ads_in_view")) {
    console.log(`[demo] note: this model uses the ${names.length} interaction features (seed set): the panel shows the ad state, but the model does not use it.`);
    console.log(`[demo]       delete ${browserDir} and ${trained} to train and export an ads-set model.`);
  }
} catch {
  // No JSON beside the .onnx (an older export): nothing to say.
}
