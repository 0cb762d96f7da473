import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { CommandIO } from "../../src/cli/command.js";
import { main } from "../../src/cli/main.js";

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
