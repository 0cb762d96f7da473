import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

// `npm test`'s pretest step, run against a prefix where Chromium and python3-onnx are absent and
// apt-get is a recording stand-in that "installs" them, so every branch runs without the network.
const SCRIPT = fileURLToPath(new URL("../../scripts/ensureSystemDeps.mjs", import.meta.url));
const NOBODY = 65534;

let dir: string;
let chromium: string;
let python: string;
let aptLog: string;

function fakeApt(options: { fail?: boolean } = {}): string {
  const bin = join(dir, "bin");
  mkdirSync(bin, { recursive: true });
  const script = [
    "#!/bin/sh",
    `echo "$*" >> ${aptLog}`,
    options.fail ? "exit 100" : "",
    'if [ "$1" = install ]; then',
    "  for p in \"$@\"; do",
    `    [ "$p" = chromium ] && printf '#!/bin/sh\\n' > ${chromium} && chmod +x ${chromium}`,
    `    [ "$p" = python3-onnx ] && touch ${join(dir, "onnx-installed")}`,
    "  done",
    "fi",
    "exit 0",
  ].join("\n");
  writeFileSync(join(bin, "apt-get"), script, { mode: 0o755 });
  return bin;
}

function run(env: Record<string, string>, options: { uid?: number } = {}) {
  const started = performance.now();
  const result = spawnSync(process.execPath, [SCRIPT], {
    encoding: "utf8",
    env: { PATH: "/usr/bin:/bin", PRIVADS_CHROMIUM: chromium, PYTHON: python, ...env },
    uid: options.uid,
    gid: options.uid,
  });
  return { ...result, seconds: (performance.now() - started) / 1000 };
}

function aptCalls(): string[] {
  return existsSync(aptLog) ? readFileSync(aptLog, "utf8").trim().split("\n") : [];
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "privads-deps-"));
  chmodSync(dir, 0o755);
  chromium = join(dir, "chromium");
  aptLog = join(dir, "apt.log");
  // A python that imports onnx only once the stand-in apt-get has "installed" it.
  python = join(dir, "python3");
  writeFileSync(python, `#!/bin/sh\n[ -f ${join(dir, "onnx-installed")} ]\n`, { mode: 0o755 });
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("scripts/ensureSystemDeps.mjs", () => {
  it("does nothing when both are present", () => {
    writeFileSync(chromium, "#!/bin/sh\n", { mode: 0o755 });
    writeFileSync(join(dir, "onnx-installed"), "");
    const bin = fakeApt();
    const r = run({ PATH: `${bin}:/usr/bin:/bin`, PRIVADS_DEPS_UID: "0" });
    expect(r.status).toBe(0);
    expect(r.stdout + r.stderr).toBe("");
    expect(aptCalls()).toEqual([]);
  });

  it("as root with apt-get: updates, installs both with one line saying what and why, then passes", () => {
    const bin = fakeApt();
    const r = run({ PATH: `${bin}:/usr/bin:/bin`, PRIVADS_DEPS_UID: "0" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(aptCalls()).toEqual(["update -q", "install -y -q chromium python3-onnx"]);
    expect(r.stdout.trim().split("\n")).toEqual([
      "privads: installing chromium python3-onnx with apt-get (the browser tests drive a real headless Chromium; the ONNX export test runs onnx's own checker)",
    ]);
    expect(existsSync(chromium)).toBe(true);
  });

  it("installs only what is missing", () => {
    writeFileSync(chromium, "#!/bin/sh\n", { mode: 0o755 });
    const bin = fakeApt();
    const r = run({ PATH: `${bin}:/usr/bin:/bin`, PRIVADS_DEPS_UID: "0" });
    expect(r.status).toBe(0);
    expect(aptCalls()).toEqual(["update -q", "install -y -q python3-onnx"]);
  });

  it("fails, naming the command, when apt-get fails", () => {
    const bin = fakeApt({ fail: true });
    const r = run({ PATH: `${bin}:/usr/bin:/bin`, PRIVADS_DEPS_UID: "0" });
    expect(r.status).toBe(1);
    expect(aptCalls()).toEqual(["update -q"]);
    expect(r.stderr).toContain("apt-get update -q failed (exit code 100)");
    expect(r.stderr).toContain("apt-get update && apt-get install -y chromium python3-onnx");
  });

  it("not root: stops at once, naming what is missing and the exact command, installs nothing", () => {
    const bin = fakeApt();
    const r = run({ PATH: `${bin}:/usr/bin:/bin`, PRIVADS_DEPS_UID: "1000" });
    expect(r.status).toBe(1);
    expect(r.seconds).toBeLessThan(5);
    expect(aptCalls()).toEqual([]);
    expect(r.stderr).toContain(`npm test needs Chromium (${chromium}) and python3-onnx (for ${python})`);
    expect(r.stderr).toContain("sudo sh -c 'apt-get update && apt-get install -y chromium python3-onnx'");
  });

  it("without apt-get: says which packages to install with the system's package manager", () => {
    const empty = join(dir, "empty-bin");
    mkdirSync(empty);
    const r = run({ PATH: empty, PRIVADS_DEPS_UID: "0" });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("Install chromium and python3-onnx with your system's package manager");
  });

  it("as the real unprivileged user nobody (or the current non-root user): exits non-zero within seconds", () => {
    // The script is copied where nobody can read it: the checkout may sit under a private home.
    const script = join(dir, "ensureSystemDeps.mjs");
    copyFileSync(SCRIPT, script);
    chmodSync(script, 0o644);
    const isRoot = process.getuid?.() === 0;
    const started = performance.now();
    const r = spawnSync(process.execPath, [script], {
      encoding: "utf8",
      env: { PATH: "/usr/bin:/bin", PRIVADS_CHROMIUM: chromium, PYTHON: python },
      ...(isRoot ? { uid: NOBODY, gid: NOBODY } : {}),
    });
    expect(r.error).toBeUndefined();
    expect(r.status).toBe(1);
    expect((performance.now() - started) / 1000).toBeLessThan(5);
    expect(r.stderr).toContain("which npm cannot install");
    expect(r.stderr).toContain("apt-get install -y chromium python3-onnx");
  });
});
