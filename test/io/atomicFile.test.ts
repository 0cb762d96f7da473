import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { CommandIO } from "../../src/cli/command.js";
import { main } from "../../src/cli/main.js";
import { AtomicFileWriter, copyFileAtomic, removeStaleTemporaries, writeFileAtomic } from "../../src/io/atomicFile.js";

const root = mkdtempSync(join(tmpdir(), "privads-atomic-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = () => {
  const dir = join(root, `case-${n++}`);
  mkdirSync(dir);
  return dir;
};

/** A process id that certainly ran and has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(child.stdout);
}

describe("writeFileAtomic", () => {
  it("writes the bytes and leaves no temporary", async () => {
    const dir = freshDir();
    await writeFileAtomic(join(dir, "a.json"), "new\n");
    await writeFileAtomic(join(dir, "b.bin"), new Uint8Array([0, 255, 7]));
    expect(readdirSync(dir).sort()).toEqual(["a.json", "b.bin"]);
    expect(readFileSync(join(dir, "a.json"), "utf8")).toBe("new\n");
    expect([...readFileSync(join(dir, "b.bin"))]).toEqual([0, 255, 7]);
  });

  it("fails when the target is a folder, leaving the folder and its neighbours as they were", async () => {
    const dir = freshDir();
    mkdirSync(join(dir, "target"));
    writeFileSync(join(dir, "target", "inside.txt"), "keep");
    await expect(writeFileAtomic(join(dir, "target"), "data")).rejects.toMatchObject({ code: "EISDIR" });
    expect(readdirSync(dir)).toEqual(["target"]);
    expect(readdirSync(join(dir, "target"))).toEqual(["inside.txt"]);
  });

  it("fails when a parent is a file, creating nothing", async () => {
    const dir = freshDir();
    writeFileSync(join(dir, "file"), "x");
    await expect(writeFileAtomic(join(dir, "file", "sub", "out.json"), "data")).rejects.toMatchObject({ code: expect.stringMatching(/ENOTDIR|EEXIST/) });
    expect(readdirSync(dir)).toEqual(["file"]);
  });

  it("removes the folders it created when the write fails", async () => {
    const dir = freshDir();
    await expect(writeFileAtomic(join(dir, "a", "b", "out.json"), 42 as unknown as string)).rejects.toThrow(TypeError);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("two concurrent writes of one target: the file is one of them, whole", async () => {
    const dir = freshDir();
    const a = "a".repeat(300_000);
    const b = "b".repeat(200_000);
    await Promise.all([writeFileAtomic(join(dir, "x"), a), writeFileAtomic(join(dir, "x"), b)]);
    expect([a, b]).toContain(readFileSync(join(dir, "x"), "utf8"));
    expect(readdirSync(dir)).toEqual(["x"]);
  });
});

describe("AtomicFileWriter", () => {
  it("shows nothing at the target until commit", async () => {
    const dir = freshDir();
    const path = join(dir, "out.csv");
    writeFileSync(path, "old");
    const writer = await AtomicFileWriter.create(path);
    await writer.write("new ");
    await writer.write("content");
    expect(readFileSync(path, "utf8")).toBe("old");
    await writer.commit();
    expect(readFileSync(path, "utf8")).toBe("new content");
    expect(readdirSync(dir)).toEqual(["out.csv"]);
    await expect(writer.write("more")).rejects.toThrow("already committed or aborted");
  });

  it("abort drops the temporary and the folders it created", async () => {
    const dir = freshDir();
    const writer = await AtomicFileWriter.create(join(dir, "x", "y", "out.csv"));
    await writer.write("partial");
    expect(readdirSync(join(dir, "x", "y")).filter((name) => name === "out.csv")).toEqual([]);
    await writer.abort();
    expect(readdirSync(dir)).toEqual([]);
  });

  it("a failed commit (the target is a folder) leaves nothing behind", async () => {
    const dir = freshDir();
    mkdirSync(join(dir, "out.csv"));
    const writer = await AtomicFileWriter.create(join(dir, "out.csv"));
    await writer.write("rows\n");
    await expect(writer.commit()).rejects.toMatchObject({ code: "EISDIR" });
    await writer.abort(); // what callers do in their catch: harmless after a failed commit
    expect(readdirSync(dir)).toEqual(["out.csv"]);
    expect(readdirSync(join(dir, "out.csv"))).toEqual([]);
  });

  it("privads extract --out FOLDER exits 1 and leaves nothing behind", async () => {
    const dir = freshDir();
    const input = join(dir, "in.jsonl");
    writeFileSync(input, '{"id":"a","events":[{"type":"click","t":1}],"adSignals":[]}\n');
    mkdirSync(join(dir, "out"));
    const io: CommandIO & { err: string } = { err: "", interactive: false, stdout: () => {}, stderr: (t) => void (io.err += t) };
    expect(await main(["extract", "--in", input, "--out", join(dir, "out")], io)).toBe(1);
    expect(io.err).toMatch(/^privads extract: error: EISDIR: illegal operation on a directory, rename /);
    expect(readdirSync(dir).sort()).toEqual(["in.jsonl", "out"]);
    expect(readdirSync(join(dir, "out"))).toEqual([]);
  });
});

describe("removeStaleTemporaries", () => {
  it("removes the temporaries of dead writers only", async () => {
    const dir = freshDir();
    const dead = `.model.json.${deadPid()}.0123abcd.tmp`;
    const live = `.model.json.${process.ppid}.0123abcd.tmp`; // our parent is running
    const own = `.model.json.${process.pid}.0123abcd.tmp`; // a write in progress in this process
    const other = `.other.json.${deadPid()}.0123abcd.tmp`; // another target's
    for (const name of [dead, live, own, other, "model.json"]) writeFileSync(join(dir, name), "x");
    expect(await removeStaleTemporaries(join(dir, "model.json"))).toEqual([join(dir, dead)]);
    expect(readdirSync(dir).sort()).toEqual([live, own, other, "model.json"].sort());
  });
});

describe("copyFileAtomic", () => {
  it("copies whole, and a missing source leaves the old target and no temporary", async () => {
    const dir = freshDir();
    writeFileSync(join(dir, "src.bin"), "payload");
    writeFileSync(join(dir, "dst.bin"), "old");
    await copyFileAtomic(join(dir, "src.bin"), join(dir, "dst.bin"));
    expect(readFileSync(join(dir, "dst.bin"), "utf8")).toBe("payload");
    await expect(copyFileAtomic(join(dir, "missing.bin"), join(dir, "dst.bin"))).rejects.toMatchObject({ code: "ENOENT" });
    await expect(copyFileAtomic(join(dir, "missing.bin"), join(dir, "new", "dst.bin"))).rejects.toMatchObject({ code: "ENOENT" });
    expect(readdirSync(dir).sort()).toEqual(["dst.bin", "src.bin"]);
    expect(readFileSync(join(dir, "dst.bin"), "utf8")).toBe("payload");
  });
});
