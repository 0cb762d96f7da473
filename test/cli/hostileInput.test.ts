import { spawn, spawnSync } from "node:child_process";
import { linkSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { CommandIO } from "../../src/cli/command.js";
import { main } from "../../src/cli/main.js";
import { FEATURE_SETS } from "../../src/core/featureNames.js";
import { parseCsvLine, parseCsvNumber } from "../../src/io/csvLine.js";
import { formatWindowRows, readWindowsCsv, windowsCsvHeader } from "../../src/io/windowsCsv.js";

/**
 * Hostile inputs through the real CLI (issue 13): each is generated here and run through
 * `main`; it must end in a one-line `FILE:LINE: field: ...` error, exit 1, quickly, with no
 * output and no temporary left behind.
 */
const tmp = join(tmpdir(), `privads-hostile-${process.pid}`);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function run(...argv: string[]) {
  const io = { out: "", err: "", interactive: false, stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) };
  const code = await main(argv, io satisfies CommandIO);
  return { code, out: io.out, err: io.err };
}

let cases = 0;
/** A fresh, empty folder with one input file in it; returns both paths. */
function folderWith(name: string, content: string | Uint8Array): { dir: string; file: string } {
  const dir = join(tmp, `case-${++cases}`);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  writeFileSync(file, content);
  return { dir, file };
}

const EVENTS = '[{"type":"click","t":0},{"type":"click","t":1},{"type":"click","t":2},{"type":"click","t":3},{"type":"click","t":4}';
const session = (id: string, end: string, signals = "[]") => `{"id":${JSON.stringify(id)},"events":${EVENTS},{"type":"close_tab","t":${end}}],"adSignals":${signals}}`;

describe("timestamps beyond MAX_EVENT_SECONDS (item 2)", () => {
  it.each([
    ["1e12", "1000000000000"],
    ["1e308", "1e+308"],
  ])("extract and train --events stop at the line of t = %s, fast, leaving nothing behind", async (literal, shown) => {
    const { dir, file } = folderWith("logs.jsonl", `${session("ok", "30")}\n${session("far", literal)}\n`);
    for (const argv of [
      ["extract", "--in", file, "--out", join(dir, "out.csv")],
      ["train", "--events", file, "--out", join(dir, "models")],
    ]) {
      const started = performance.now();
      const { code, err } = await run(...argv);
      expect(performance.now() - started).toBeLessThan(2000);
      expect(code).toBe(1);
      expect(err).toBe(`privads ${argv[0]}: error: ${file}:2: events[5].t: must be at most 100000000 (seconds since page load, about 3.2 years), got ${shown}\n`);
      expect(readdirSync(dir)).toEqual(["logs.jsonl"]);
    }
  });

  it("holds ad signals to the same bound", async () => {
    const { dir, file } = folderWith("logs.jsonl", `${session("s", "30", '[{"type":"ads_in_view","t":1e300,"value":1}]')}\n`);
    const { code, err } = await run("extract", "--in", file, "--out", join(dir, "out.csv"));
    expect(code).toBe(1);
    expect(err).toContain(`${file}:1: adSignals[0].t: must be at most 100000000`);
    expect(readdirSync(dir)).toEqual(["logs.jsonl"]);
  });
});

describe("a line over the maximum record size (item 7)", () => {
  it("extract stops with FILE:LINE and the 64 MiB limit, no stack trace, no temporary (64 MiB + 1 streamed through a pipe)", async () => {
    const dir = join(tmp, "fifo");
    mkdirSync(dir, { recursive: true });
    const fifo = join(dir, "huge.jsonl");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    // One valid line, then a line one byte over 64 MiB, generated on the fly.
    const writer = spawn("sh", ["-c", `{ printf '%s\\n' '${session("ok", "30")}'; head -c ${64 * 1024 * 1024 + 1} /dev/zero | tr '\\0' x; printf '\\n'; } > '${fifo}'`], {
      stdio: "ignore",
    });
    const { code, err } = await run("extract", "--in", fifo, "--out", join(dir, "out.csv"));
    writer.kill();
    expect(code).toBe(1);
    expect(err).toBe(`privads extract: error: ${fifo}:2: (line): is longer than the maximum record size of 64 MiB\n`);
    expect(readdirSync(dir)).toEqual(["huge.jsonl"]);
  });
});

describe("invalid UTF-8 (item 11)", () => {
  /** A session line saved as Latin-1, as an old editor would: é is the single byte 0xe9. */
  const latin1 = (id: string) => Buffer.from(session(id, "30"), "latin1");

  it("extract stops at the line, naming the byte; --skip-invalid skips it under its own reason", async () => {
    const { dir, file } = folderWith("logs.jsonl", Buffer.concat([latin1("café"), Buffer.from("\n"), latin1("cafè"), Buffer.from("\n")]));
    const strict = await run("extract", "--in", file, "--out", join(dir, "out.csv"));
    expect(strict.code).toBe(1);
    expect(strict.err).toBe(`privads extract: error: ${file}:1: (line): is not valid UTF-8 (byte 0xe9 at byte 11 of the line); save the file as UTF-8\n`);
    expect(readdirSync(dir)).toEqual(["logs.jsonl"]);
    const skipping = await run("extract", "--in", file, "--out", join(dir, "out.csv"), "--skip-invalid");
    expect(skipping.code).toBe(1); // every session is invalid: nothing to write
    expect(skipping.err).toContain(`  2 x invalid UTF-8 (first: ${file}:1: (line))`);
  });
});

describe("session ids read back from our own CSV (item 6)", () => {
  /** A session with one click_ad 15 s in, so its first windows are positive and later ones not. */
  const clicky = (id: string) =>
    `{"id":${JSON.stringify(id)},"adSignals":[],"events":[${[0, 1, 2, 3, 4, 5, 6, 7].map((t) => `{"type":"click","t":${t}}`).join(",")},{"type":"click_ad","t":15},{"type":"scroll_down","t":100,"depth":0.5},{"type":"close_tab","t":200}]}`;
  const awkward = ["a,b", 'say "hi"', '"', ",", " lead", "trail ", " both ", "x\"\",,\"", "é€😀", "=1+1"];

  it("extract writes awkward ids (comma, quote, spaces) that readWindowsCsv and predict read back exactly", async () => {
    const { dir, file } = folderWith("logs.jsonl", awkward.map(clicky).join("\n") + "\n");
    const csv = join(dir, "windows.csv");
    expect((await run("extract", "--in", file, "--out", csv)).code).toBe(0);
    const data = await readWindowsCsv(csv);
    expect(data.sessionIds).toEqual(awkward);
    const scored = join(dir, "scored.csv");
    const predicted = await run("predict", "--model", "test/fixtures/ads-model-50k-seed42.json", "--in", csv, "--out", scored);
    expect(predicted.err).toBe("");
    const rows = readFileSync(scored, "utf8").trimEnd().split("\n").slice(1);
    expect(rows).toHaveLength(data.n);
    expect([...new Set(rows.map((row) => parseCsvLine(row)[0]))]).toEqual(awkward);
  });

  it.each([
    ["a newline", "a\nb", "U+000A at character 2"],
    ["a CR", "a\rb", "U+000D at character 2"],
    ["a CRLF", "ab\r\n", "U+000D at character 3"],
    ["a tab", "\tx", "U+0009 at character 1"],
    ["a NUL", "x\u0000", "U+0000 at character 2"],
    ["a C1 control", "x\u0085", "U+0085 at character 2"],
  ])("refuses an id with %s at ingestion, naming file, line and character", async (_label, id, where) => {
    const { dir, file } = folderWith("logs.jsonl", `${clicky("fine")}\n${clicky(id)}\n`);
    const { code, err } = await run("extract", "--in", file, "--out", join(dir, "windows.csv"));
    expect(code).toBe(1);
    expect(err).toBe(
      `privads extract: error: ${file}:2: id: must not contain control characters (line breaks, tabs, U+0000-U+001F, U+007F-U+009F); found ${where} of ${JSON.stringify(id)}\n`,
    );
    expect(readdirSync(dir)).toEqual(["logs.jsonl"]);
  });

  it("the CSV writer and reader hold the same rule", async () => {
    const windows = { t: [10], features: new Float64Array(20), labels: Uint8Array.of(0) };
    expect(() => formatWindowRows("a\nb", windows, "seed")).toThrow("formatWindowRows: session id must not contain control characters");
    const row = `"a\rb",10,${new Array(20).fill(0).join(",")},0\n`;
    const { file } = folderWith("w.csv", windowsCsvHeader("seed") + row);
    await expect(readWindowsCsv(file)).rejects.toThrow(
      `${file}:2: session_id: must not contain control characters (line breaks, tabs, U+0000-U+001F, U+007F-U+009F); found U+000D at character 2 of "a\\rb"`,
    );
  });
});

describe("minor holes (item 12)", () => {
  const MODEL = join("test", "fixtures", "ads-model-50k-seed42.json");

  it.each(["same path", "symbolic link", "hard link"])("extract and predict refuse an --out that is their input (%s), which stays intact", async (how) => {
    const { dir, file } = folderWith("logs.jsonl", `${session("a", "30")}\n`);
    const out = how === "same path" ? file : join(dir, "other-name");
    if (how === "symbolic link") symlinkSync(file, out);
    if (how === "hard link") linkSync(file, out);
    const before = readFileSync(file);
    for (const argv of [
      ["extract", "--in", file, "--out", out],
      ["predict", "--model", MODEL, "--in", file, "--out", out],
    ]) {
      const { code, err } = await run(...argv);
      expect(code).toBe(2);
      expect(err).toContain(`privads ${argv[0]}: --out ${JSON.stringify(out)} is the input file ${JSON.stringify(file)}; write to another file`);
      expect(readFileSync(file)).toEqual(before);
    }
  });

  it("CSV numbers are decimal only: 0x10, 0b1, 0o7, Infinity, .5, 1_000 and 1e999 are refused", async () => {
    for (const text of ["0x10", "0b1", "0o7", "Infinity", "-Infinity", "NaN", ".5", "5.", "1_000", "+1", "1e999", "", " "]) expect(parseCsvNumber(text), text).toBeUndefined();
    for (const [text, value] of [["12", 12], [" -0.5 ", -0.5], ["1e-7", 1e-7], ["1.5E+300", 1.5e300], ["-0", -0], ["0", 0]] as const) expect(parseCsvNumber(text)).toBe(value);
    const header = `session_id,t,${FEATURE_SETS.ads.join(",")},label`;
    const { dir, file: ads } = folderWith("w.csv", `${header}\ns,10,${new Array(25).fill("1").join(",")},0x10,0\n`);
    await expect(readWindowsCsv(ads)).rejects.toThrow(`${ads}:2: pointer_on_ad_seconds: must be a finite number, got "0x10" (decimal, like 12, -0.5 or 1e-7)`);
    const predicted = await run("predict", "--model", MODEL, "--in", ads, "--out", join(dir, "scored.csv"));
    expect(predicted.code).toBe(1);
    expect(predicted.err).toBe(`privads predict: error: ${ads}:2: pointer_on_ad_seconds (column 28): must be a finite number, got "0x10" (decimal, like 12, -0.5 or 1e-7)\n`);
  });

  it("predict's errors carry the same prefix as every command's (privads predict: error: ...)", async () => {
    const { code, err } = await run("predict", "--model", join(tmp, "missing.json"), "--in", "x.csv", "--out", join(tmp, "y.csv"));
    expect(code).toBe(1);
    expect(err).toMatch(/^privads predict: error: /);
  });

  it("a JSON model with 1e999 where a number belongs is reported as Infinity, not null", async () => {
    const text = readFileSync(MODEL, "utf8");
    for (const [edit, message] of [
      [(t: string) => t.replace(/"version": *1/, '"version": 1e999'), "version must be 1, got Infinity"],
      [(t: string) => t.replace(/"intercept": *-?[0-9.e-]+/, '"intercept": -1e999'), "intercept must be a finite number, got -Infinity"],
    ] as const) {
      const { dir, file } = folderWith("model.json", edit(text));
      const { code, err } = await run("predict", "--model", file, "--in", file, "--out", join(dir, "out.csv"));
      expect(code).toBe(1);
      expect(err).toContain(message);
    }
  });
});
