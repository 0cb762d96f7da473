import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, watch, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseInteractionModel } from "../../src/core/interactionModel.js";
import { formatSessionLine } from "../../src/io/sessionsJsonl.js";
import { SyntheticGenerator } from "../../src/generator/sessionGenerator.js";

// Real processes of the built CLI (run `npm run build` first), killed with SIGKILL mid-write.
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CLI = join(ROOT, "bin/privads.js");
const HOLD = join(ROOT, "test/robustness/holdBeforeRename.mjs");
const tmp = mkdtempSync(join(tmpdir(), "privads-kill-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const isTemporary = (name: string) => name.startsWith(".") && name.endsWith(".tmp");

/** Every file of `dir` with its bytes (temporaries, which may be staging folders, left out). */
function files(dir: string): Map<string, Buffer> {
  return new Map(
    readdirSync(dir)
      .filter((name) => !isTemporary(name))
      .map((name) => [name, readFileSync(join(dir, name))]),
  );
}

function runCli(args: string[], preload?: string): ChildProcess {
  return spawn(process.execPath, [...(preload ? ["--import", preload] : []), CLI, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
}

/** Resolves when `probe()` holds, re-checking on every change fs.watch reports in `dir` (no blind sleeps). */
function whenDir<T>(dir: string, probe: () => T | undefined, what: string, child: ChildProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    const watcher = watch(dir);
    const done = (fn: () => void) => {
      watcher.close();
      child.off("exit", onExit);
      fn();
    };
    const check = () => {
      const value = probe();
      if (value !== undefined) done(() => resolve(value));
    };
    const onExit = (code: number | null) => done(() => reject(new Error(`the CLI exited (${code}) before ${what}`)));
    watcher.on("change", check);
    child.once("exit", onExit);
    check();
  });
}

/** Resolves with the stderr text once it contains `marker`. */
function whenStderr(child: ChildProcess, marker: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes(marker)) {
        child.stderr!.off("data", onData);
        child.off("exit", onExit);
        resolve(text);
      }
    };
    const onExit = (code: number | null) => reject(new Error(`the CLI exited (${code}) without ${JSON.stringify(marker)}; stderr: ${text}`));
    child.stderr!.on("data", onData);
    child.once("exit", onExit);
  });
}

async function runToEnd(args: string[]): Promise<void> {
  const child = runCli(args);
  let err = "";
  child.stderr!.on("data", (c: Buffer) => (err += c.toString()));
  const { code } = await exited(child);
  if (code !== 0) throw new Error(`privads ${args.join(" ")} failed (${code}): ${err}`);
}

function expectModelFilesLoad(dir: string): void {
  const model = parseInteractionModel(JSON.parse(readFileSync(join(dir, "interaction_predictor.json"), "utf8")), "old model");
  expect(model.coefficients).toHaveLength(377); // the default ads set: 26 features, 377 terms
  expect(JSON.parse(readFileSync(join(dir, "training_results.json"), "utf8")).n_samples).toBeGreaterThan(0);
}

describe("a killed run never leaves a half-written output", () => {
  const models = join(tmp, "models");
  let good: Map<string, Buffer>;

  beforeAll(async () => {
    if (!existsSync(join(ROOT, "dist/cli.js"))) throw new Error("run `npm run build` first");
    await runToEnd(["pipeline", "--samples", "3000", "--seed", "1", "--out", models, "--no-browser"]);
    good = files(models);
    expect([...good.keys()].sort()).toContain("interaction_predictor.json");
    expectModelFilesLoad(models);
  }, 30_000);

  it("pipeline killed (SIGKILL) between writing a temporary and renaming it: the old model files are byte-identical and load", async () => {
    const child = runCli(["pipeline", "--samples", "3000", "--seed", "2", "--out", models, "--no-browser"], HOLD);
    await whenStderr(child, "PRIVADS_TEST_HOLDING_BEFORE_RENAME");
    const pending = readdirSync(models).filter(isTemporary);
    expect(pending).toHaveLength(1); // the new model, complete on disk, not yet renamed
    child.kill("SIGKILL");
    expect(await exited(child)).toEqual({ code: null, signal: "SIGKILL" });

    const after = files(models);
    for (const [name, bytes] of good) expect(after.get(name)?.equals(bytes), name).toBe(true);
    expect([...after.keys()].filter((name) => !good.has(name) && !isTemporary(name))).toEqual([]);
    expectModelFilesLoad(models);
  }, 30_000);

  it("pipeline killed as soon as its first temporary appears (no fault injection): every target is the old file or a complete new one", async () => {
    const child = runCli(["pipeline", "--samples", "3000", "--seed", "3", "--out", models, "--no-browser"]);
    await whenDir(models, () => readdirSync(models).find(isTemporary), "a temporary file", child);
    child.kill("SIGKILL");
    expect((await exited(child)).signal).toBe("SIGKILL");
    const after = files(models);
    let replaced = 0;
    for (const [name, bytes] of good) {
      const now = after.get(name);
      expect(now, name).toBeDefined();
      if (now!.equals(bytes)) continue;
      replaced++; // the kill landed after this rename: the new file must be whole
      const text = now!.toString("utf8");
      if (name.endsWith(".json")) expect(() => JSON.parse(text), name).not.toThrow();
      else if (name.endsWith(".html")) expect(text.trimEnd().endsWith("</html>"), name).toBe(true);
      else expect(now!.length, name).toBeGreaterThan(0);
    }
    expectModelFilesLoad(models);
    console.log(`[robustness] pipeline killed at the first temporary: ${replaced} of ${good.size} targets already replaced (whole), the rest byte-identical`);
  }, 30_000);

  it("extract killed mid-stream (input from a pipe, so the kill is certainly mid-write): old CSV byte-identical; the next run removes the dead temporary", async () => {
    const dir = join(tmp, "extract");
    mkdirSync(dir);
    const out = join(dir, "windows.csv");
    writeFileSync(out, "old,csv\n1,2\n");
    const fifo = join(dir, "sessions.pipe");
    execFileSync("mkfifo", [fifo]);
    const child = runCli(["extract", "--in", fifo, "--out", out]);
    const feed = createWriteStream(fifo);
    const feedErrors: string[] = [];
    feed.on("error", (error: NodeJS.ErrnoException) => feedErrors.push(error.code ?? error.message)); // EPIPE once the reader is killed
    const generator = new SyntheticGenerator(5);
    let lines = "";
    for (let i = 0; i < 300; i++) lines += formatSessionLine(generator.next().session);
    feed.write(lines); // the pipe stays open: the CLI waits for more, its output half-written
    // Wait until rows (not just the header) reached the temporary.
    const temporary = await whenDir(
      dir,
      () => readdirSync(dir).find((n) => isTemporary(n) && readFileSync(join(dir, n), "utf8").split("\n").length > 100),
      "rows in the temporary",
      child,
    );
    child.kill("SIGKILL");
    expect((await exited(child)).signal).toBe("SIGKILL");
    feed.destroy();
    expect(feedErrors.filter((code) => code !== "EPIPE")).toEqual([]);
    expect(readFileSync(out, "utf8")).toBe("old,csv\n1,2\n");
    expect(readdirSync(dir).sort()).toEqual([temporary, "sessions.pipe", "windows.csv"].sort());

    // A later successful run replaces the target and cleans up the dead writer's temporary.
    const input = join(dir, "sessions.jsonl");
    writeFileSync(input, lines);
    await runToEnd(["extract", "--in", input, "--out", out]);
    expect(readdirSync(dir).sort()).toEqual(["sessions.jsonl", "sessions.pipe", "windows.csv"]);
    expect(readFileSync(out, "utf8").startsWith("session_id,t,")).toBe(true);
  }, 30_000);
});
