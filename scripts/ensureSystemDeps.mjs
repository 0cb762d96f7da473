#!/usr/bin/env node
// `npm test`'s first step (the `pretest` script; `.ci/run` reaches it through `npm test`):
// the two things the tests need that npm cannot install. Missing ones are installed with
// apt-get when this user can (root, apt-get on PATH); otherwise it stops at once, naming what
// is missing and the command that installs it. The browser tests are never skipped instead.
//
// Overrides (also read by the tests that use these programs): PRIVADS_CHROMIUM (default
// /usr/bin/chromium), PYTHON (default /usr/bin/python3, Debian's, where python3-onnx installs).
// PRIVADS_DEPS_UID replaces the real user id, so the script's own test can play root or not.
import { spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

const env = process.env;

/** What the tests need, how to tell it is there, and the Debian package that brings it. */
const REQUIREMENTS = [
  {
    name: "Chromium",
    debianPackage: "chromium",
    why: "the browser tests drive a real headless Chromium",
    where: () => env.PRIVADS_CHROMIUM || "/usr/bin/chromium",
    present: (path) => isExecutable(path),
  },
  {
    name: "python3-onnx",
    debianPackage: "python3-onnx",
    why: "the ONNX export test runs onnx's own checker",
    where: () => env.PYTHON || "/usr/bin/python3",
    present: (python) => spawnSync(python, ["-c", "import onnx"], { stdio: "ignore" }).status === 0,
  },
];

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(program) {
  return (env.PATH ?? "").split(delimiter).some((dir) => dir !== "" && isExecutable(join(dir, program)));
}

function missingRequirements() {
  return REQUIREMENTS.filter((r) => !r.present(r.where()));
}

function describe(r) {
  return r.name === "Chromium" ? `Chromium (${r.where()})` : `python3-onnx (for ${r.where()})`;
}

function aptGet(args) {
  const result = spawnSync("apt-get", args, { stdio: ["ignore", "inherit", "inherit"], env: { ...env, DEBIAN_FRONTEND: "noninteractive" } });
  if (result.status !== 0) {
    const how = result.error ? result.error.message : `exit code ${result.status ?? result.signal}`;
    throw new Error(`apt-get ${args.join(" ")} failed (${how})`);
  }
}

function main() {
  const missing = missingRequirements();
  if (missing.length === 0) return 0;

  const packages = missing.map((r) => r.debianPackage);
  const command = `apt-get update && apt-get install -y ${packages.join(" ")}`;
  const uid = env.PRIVADS_DEPS_UID !== undefined ? Number(env.PRIVADS_DEPS_UID) : process.getuid?.();
  const canInstall = uid === 0 && onPath("apt-get");
  if (!canInstall) {
    const lines = [
      `privads: npm test needs ${missing.map(describe).join(" and ")}, which npm cannot install.`,
      ...missing.map((r) => `  ${r.name}: ${r.why}.`),
      onPath("apt-get")
        ? `Install as root, then run npm test again:  sudo sh -c '${command}'`
        : `Install ${packages.join(" and ")} with your system's package manager (on Debian/Ubuntu: ${command}), then run npm test again.`,
    ];
    console.error(lines.join("\n"));
    return 1;
  }

  console.log(`privads: installing ${packages.join(" ")} with apt-get (${missing.map((r) => r.why).join("; ")})`);
  try {
    aptGet(["update", "-q"]);
    aptGet(["install", "-y", "-q", ...packages]);
  } catch (error) {
    console.error(`privads: ${error.message}. Install them yourself: ${command}`);
    return 1;
  }
  const still = missingRequirements();
  if (still.length > 0) {
    console.error(`privads: still missing after apt-get: ${still.map(describe).join(" and ")}`);
    return 1;
  }
  return 0;
}

process.exitCode = main();
