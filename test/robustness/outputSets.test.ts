import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statfsSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type * as FsPromises from "node:fs/promises";
import { afterAll, describe, expect, it, vi } from "vitest";
import { checkOutputFolder, OutputLocationError, writeFileAtomic } from "../../src/io/atomicFile.js";
import {
  MANIFEST_FILE,
  type OutputFolder,
  recoverOutputFolder,
  readOutputManifest,
  simulateCrashAtStep,
  SimulatedCrash,
  verifyOutputSet,
  writeOutputSet,
} from "../../src/io/atomicFileSet.js";

/** Injected ENOSPC (the fallback where no tmpfs can be mounted): the write number `failAt` fails. */
const inject = vi.hoisted(() => ({ failAt: -1 }));
vi.mock("node:fs/promises", async (importOriginal) => {
  const original = await importOriginal<typeof FsPromises>();
  const full = () => Object.assign(new Error("ENOSPC: no space left on device (injected)"), { code: "ENOSPC" });
  return {
    ...original,
    writeFile: (...args: Parameters<typeof original.writeFile>) => (inject.failAt-- === 0 ? Promise.reject(full()) : original.writeFile(...args)),
    copyFile: (...args: Parameters<typeof original.copyFile>) => (inject.failAt-- === 0 ? Promise.reject(full()) : original.copyFile(...args)),
  };
});

const root = mkdtempSync(join(tmpdir(), "privads-sets-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = (name = "case") => {
  const dir = join(root, `${name}-${n++}`);
  mkdirSync(dir);
  return dir;
};

/** Every name in `dir` (one level of subfolders) that is a temporary or a staging folder. */
const leftovers = (dir: string) => (existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String).filter((p) => p.split("/").some((part) => part.startsWith("."))) : []);

/** A run's two folders: every file names the run id and seed in its text, like the real files. */
function runFolders(a: string, b: string, runId: string, size = 2000, withSub = false): OutputFolder[] {
  const pad = "x".repeat(size);
  const body = (name: string) => `${name} run ${runId} seed 7 ${pad}\n`;
  return [
    { dir: a, files: ["interaction_predictor.json", "training_results.json", "report.html"].map((name) => ({ name, data: body(name) })) },
    {
      dir: b,
      files: [
        ...["interaction_predictor.onnx", "interaction_predictor.json", "demo.html"].map((name) => ({ name, data: body(name) })),
        ...(withSub ? [{ name: "ort/runtime.wasm", data: body("wasm") }] : []),
      ],
    },
  ];
}

/** Both folders verify against their manifests, carry one run id in every file, and hold no temporary. */
function expectOneCompleteRun(dirs: string[]): string {
  const ids = dirs.map((dir) => {
    const manifest = verifyOutputSet(dir);
    for (const file of manifest.files) expect(readFileSync(join(dir, file.name), "utf8"), `${dir}/${file.name}`).toContain(`run ${manifest.run_id} seed 7`);
    // nothing of the set that is not listed (the previous set's extra files were removed)
    const listed = new Set(manifest.files.map((f) => f.name));
    for (const name of readdirSync(dir, { recursive: true }).map(String)) {
      if (name !== MANIFEST_FILE && !existsSync(join(dir, name, "."))) expect(listed.has(name), `${dir}/${name} not in the manifest`).toBe(true);
    }
    expect(leftovers(dir)).toEqual([]);
    return manifest.run_id;
  });
  expect(new Set(ids).size, `run ids ${ids.join(", ")}`).toBe(1);
  return ids[0];
}

describe("writeOutputSet: a run's folders change together or not at all", () => {
  it("a crash (as SIGKILL would stop it) at every step of the commit: before recovery each folder is whole or marked changing, after it both hold one run", async () => {
    let crashes = 0;
    const outcomes = new Map<string, number>();
    for (let at = 0; ; at++) {
      const a = fresh("a");
      const b = fresh("b");
      await writeOutputSet(runFolders(a, b, "old0000000000000", 2000, true), { runId: "old0000000000000", seed: 7 });
      simulateCrashAtStep(at);
      let crashed = false;
      try {
        await writeOutputSet(runFolders(a, b, "new0000000000000", 3000), { runId: "new0000000000000", seed: 7 });
      } catch (error) {
        if (!(error instanceof SimulatedCrash)) throw error;
        crashed = true;
      }
      simulateCrashAtStep(-1);
      if (!crashed) break;
      crashes++;
      // A reader right after the crash: a manifest always describes the files beside it.
      for (const dir of [a, b]) if (readOutputManifest(dir) !== null) verifyOutputSet(dir);
      // The next run's first act: recovery, from either folder.
      const own = { ownProcess: true }; // the crash was simulated in this process
      recoverOutputFolder(at % 2 === 0 ? a : b, own);
      recoverOutputFolder(a, own);
      recoverOutputFolder(b, own);
      const id = expectOneCompleteRun([a, b]);
      outcomes.set(id, (outcomes.get(id) ?? 0) + 1);
    }
    console.log(`[robustness] output sets: ${crashes} crash points, after recovery ${JSON.stringify(Object.fromEntries(outcomes))}`);
    expect(crashes).toBeGreaterThan(10);
    expect(outcomes.get("old0000000000000")).toBe(1); // only a crash at the commit point itself keeps the old run
    expect(outcomes.get("new0000000000000")).toBe(crashes - 1);
  });

  it("an invalid second folder fails before anything is replaced", async () => {
    const a = fresh("a");
    const b = fresh("b");
    await writeOutputSet(runFolders(a, b, "old0000000000000"), { runId: "old0000000000000", seed: 7 });
    const before = readFileSync(join(a, "interaction_predictor.json"), "utf8");
    const file = join(root, `plain-file-${n++}`);
    writeFileSync(file, "x");
    const [first] = runFolders(a, b, "new0000000000000");
    await expect(writeOutputSet([first, { dir: join(file, "browser"), files: [{ name: "x.json", data: "{}" }] }], { runId: "new0000000000000", seed: 7 })).rejects.toThrow(
      /is a file, not a folder/,
    );
    expect(readFileSync(join(a, "interaction_predictor.json"), "utf8")).toBe(before);
    expectOneCompleteRun([a, b]);
  });
});

/** Mounts a tmpfs of `bytes` at a fresh folder; undefined when this system does not allow it. */
function mountTmpfs(bytes: number): string | undefined {
  const dir = fresh("tmpfs");
  try {
    execFileSync(process.env.PRIVADS_TEST_NO_MOUNT ? "false" : "mount", ["-t", "tmpfs", "-o", `size=${bytes}`, "tmpfs", dir], { stdio: "ignore" });
    return dir;
  } catch {
    return undefined;
  }
}

describe("a full disk", () => {
  it("at every amount of free space (a real small tmpfs, else an injected ENOSPC at each write): the folders hold the old run or the new one, never a mix, and no temporary", async () => {
    const mount = mountTmpfs(256 * 1024);
    if (mount === undefined) {
      const a = fresh("a");
      const b = fresh("b");
      await writeOutputSet(runFolders(a, b, "old0000000000000", 4000, true), { runId: "old0000000000000", seed: 7 });
      let failAt = 0;
      for (; ; failAt++) {
        inject.failAt = failAt;
        try {
          await writeOutputSet(runFolders(a, b, "new0000000000000", 12_000), { runId: "new0000000000000", seed: 7 });
          break;
        } catch (error) {
          expect((error as NodeJS.ErrnoException).code).toBe("ENOSPC");
          expect(expectOneCompleteRun([a, b])).toBe("old0000000000000");
        }
      }
      inject.failAt = -1;
      expect(expectOneCompleteRun([a, b])).toBe("new0000000000000");
      console.log(`[robustness] no tmpfs mount here: ENOSPC injected at each of ${failAt} writes in turn, then the new set`);
      expect(failAt).toBeGreaterThan(5);
      return;
    }
    try {
      const a = join(mount!, "models");
      const b = join(mount!, "browser");
      await writeOutputSet(runFolders(a, b, "old0000000000000", 4000, true), { runId: "old0000000000000", seed: 7 });
      const filler = join(mount!, "filler");
      const results: string[] = [];
      // Free space from none to enough, in 4 KiB pages: each step moves the ENOSPC to a later write.
      for (let free = 0; ; free += 4096) {
        rmSync(filler, { force: true });
        const stats = statfsSync(mount!);
        const available = stats.bavail * stats.bsize;
        writeFileSync(filler, new Uint8Array(Math.max(0, available - free)));
        try {
          await writeOutputSet(runFolders(a, b, "new0000000000000", 12_000), { runId: "new0000000000000", seed: 7 });
          results.push("new");
          break;
        } catch (error) {
          expect((error as NodeJS.ErrnoException).code).toBe("ENOSPC");
          results.push("old");
          expect(expectOneCompleteRun([a, b])).toBe("old0000000000000");
        }
      }
      rmSync(filler, { force: true });
      expect(expectOneCompleteRun([a, b])).toBe("new0000000000000");
      console.log(`[robustness] full tmpfs: ${results.length - 1} failed writes (ENOSPC at each position), then the new set`);
      expect(results.length).toBeGreaterThan(5);
    } finally {
      execFileSync("umount", [mount!]);
    }
  });
});

describe("output locations are checked before any work (issue: /proc spun at 100 % CPU)", () => {
  const within = <T>(promise: Promise<T>, ms: number) =>
    Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`still running after ${ms} ms`)), ms))]);

  it.runIf(process.platform === "linux").each(["/proc/self/privads-out", "/proc/privads/a/b", "/sys/privads"])("%s is refused with a message, at once", async (dir) => {
    await expect(within(checkOutputFolder(dir), 2000)).rejects.toThrow(OutputLocationError);
    await expect(within(checkOutputFolder(dir), 2000)).rejects.toThrow(/pseudo file system .* choose a writable folder/);
    await expect(within(writeFileAtomic(join(dir, "x.json"), "{}"), 2000)).rejects.toThrow(OutputLocationError);
  });

  it("a path below a file is refused naming the file", async () => {
    const file = join(fresh(), "f");
    writeFileSync(file, "x");
    await expect(checkOutputFolder(join(file, "sub"))).rejects.toThrow(`${file} is a file, not a folder`);
  });
});
