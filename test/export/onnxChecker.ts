import { execFileSync, spawnSync } from "node:child_process";
import { expect } from "vitest";

/**
 * Runs onnx's own checker (`check_model(full_check=True)`) and strict shape inference on an
 * `.onnx` file with the Python that `npm test`'s pretest step provisions
 * (scripts/ensureSystemDeps.mjs: $PYTHON, else Debian's /usr/bin/python3 with python3-onnx),
 * then prints `report`: a Python expression over `m` (the model) and `out`/`inp` (the inferred
 * output and input dims). Returns what it printed.
 */
export function onnxCheck(file: string, report: string): string {
  const python = process.env.PYTHON || "/usr/bin/python3";
  const probe = spawnSync(python, ["-c", "import onnx"]);
  expect(probe.status, `${python} -c 'import onnx' failed: npm test installs python3-onnx first (scripts/ensureSystemDeps.mjs)`).toBe(0);
  const script = [
    "import onnx, sys",
    "m = onnx.load(sys.argv[1])",
    "onnx.checker.check_model(m, full_check=True)",
    "inf = onnx.shape_inference.infer_shapes(m, strict_mode=True)",
    "inp = inf.graph.input[0].type.tensor_type.shape.dim",
    "out = inf.graph.output[0].type.tensor_type.shape.dim",
    `print(${report})`,
  ].join("\n");
  return execFileSync(python, ["-c", script, file], { encoding: "utf8" }).trim();
}
