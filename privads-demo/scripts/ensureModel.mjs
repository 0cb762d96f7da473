// Makes sure the demo has a model: privads-demo/public/models/interaction_predictor.onnx.
// If it is missing: build the CLI, train one (`privads pipeline --quick`) unless models/ already
// holds a trained model, then export it for the browser. Pass --with-onnxruntime-web to also
// copy onnxruntime-web's files (for ?runtime=onnxruntime-web). Run from anywhere.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
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
  if (!at(trained)) run(["bin/privads.js", "pipeline", "--quick"]);
  if (!at(onnx) || withOrt) {
    run(["bin/privads.js", "export", "--model", trained, "--out", browserDir, ...(withOrt ? ["--with-onnxruntime-web"] : [])]);
  }
}
