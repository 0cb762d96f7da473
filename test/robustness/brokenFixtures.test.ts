import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import type { CommandIO } from "../../src/cli/command.js";
import { main } from "../../src/cli/main.js";
import { FEATURE_NAMES } from "../../src/core/featureNames.js";
import { formatSessionLine } from "../../src/io/sessionsJsonl.js";
import { SyntheticGenerator } from "../../src/generator/sessionGenerator.js";
import { readSessionsJsonl } from "../../src/io/sessionsJsonl.js";

const FIXTURES = fileURLToPath(new URL("../fixtures/broken/", import.meta.url));
/** The broken fixtures are old logs (no adSignals): their event problems are read under the seed set. */
const SEED_SET = ["--features", "seed"];
const MISSING_SIGNALS = "adSignals: missing; the ads feature set needs ad signals (train older logs with --features seed)";
const tmp = mkdtempSync(join(tmpdir(), "privads-broken-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io: CommandIO & { out: string; err: string } = {
    out: "",
    err: "",
    interactive: false,
    stdout: (t) => void (io.out += t),
    stderr: (t) => void (io.err += t),
  };
  const code = await main(argv, io);
  return { code, out: io.out, err: io.err };
}

/** What V8 says about a line that is not JSON (its wording changes between Node versions). */
function jsonError(file: string, line: number): string {
  try {
    JSON.parse(readFileSync(join(FIXTURES, file), "utf8").split("\n")[line - 1]);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`${file}:${line} is valid JSON`);
}

const T_PROBLEM = "must be a finite number >= 0 (seconds since page load), got";
const TYPES = "scroll_down, scroll_up, click, hover, wait, focus_window, blur_window, close_tab, click_ad";

/** One fixture per failure kind: file -> the exact `FILE:LINE: field: problem` tail after the file name. */
const CASES: Array<[file: string, tail: string]> = [
  ["unknown-type.jsonl", `:2: events[1].type: must be one of ${TYPES}, got "swipe"`],
  ["negative-t.jsonl", `:2: events[0].t: ${T_PROBLEM} -0.5`],
  ["decreasing-t.jsonl", ":2: events[3].t: must not decrease: 2 after 3"],
  ["nan-string-t.jsonl", `:2: events[0].t: ${T_PROBLEM} "NaN"`],
  ["infinite-t.jsonl", `:2: events[1].t: ${T_PROBLEM} Infinity`], // 1e999 parses to Infinity
  ["null-t.jsonl", `:2: events[0].t: ${T_PROBLEM} null`],
  ["missing-t.jsonl", `:2: events[0].t: ${T_PROBLEM} nothing (the field is missing)`],
  ["depth-above-one.jsonl", ":2: events[0].depth: must be a number in [0, 1], got 1.5"],
  ["depth-null.jsonl", ":2: events[0].depth: must be a number in [0, 1], got null"],
  ["missing-id.jsonl", ":2: id: must be a non-empty string, got nothing (the field is missing)"],
  ["empty-id.jsonl", ':2: id: must be a non-empty string, got ""'],
  ["numeric-id.jsonl", ":2: id: must be a non-empty string, got 42"],
  ["malformed-json.jsonl", `:2: (line): is not valid JSON (${jsonError("malformed-json.jsonl", 2)})`],
  ["truncated-last-line.jsonl", `:2: (line): is not valid JSON (${jsonError("truncated-last-line.jsonl", 2)})`],
  ["after-close-tab.jsonl", ":2: events[2]: comes after close_tab (events[1]), which ends the session"],
  ["duplicate-id.jsonl", ':3: id: duplicates an earlier session id "good-1"'],
  ["not-an-object.jsonl", ":2: (record): must be a JSON object {id, profile?, events, adSignals?}, got an array"],
  ["events-not-array.jsonl", ":2: events: must be an array of events, got an object"],
  ["event-not-object.jsonl", ':2: events[0]: must be an object {type, t, depth?}, got "click"'],
  ["unknown-profile.jsonl", ':2: profile: must be one of rushed_reader, careful_reader, distracted_user, focused_reader, click_happy, mobile_user, got "bot"'],
];

/** Every file of a folder tree with its bytes and mtime, to prove nothing was created or changed. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    out[path] = entry.isDirectory() ? "(dir)" : `${statSync(path).mtimeMs} ${readFileSync(path, "base64")}`;
  }
  return out;
}

describe("broken event logs (test/fixtures/broken)", () => {
  it("has a case for every fixture (and a fixture for every case)", () => {
    const files = readdirSync(FIXTURES).filter((f) => f.endsWith(".jsonl") && f !== "mixed.jsonl" && !f.startsWith("valid-"));
    expect(files.sort()).toEqual(CASES.map(([file]) => file).sort());
  });

  it.each(CASES)("extract %s: exit 1, the exact message, no output created or changed", async (file, tail) => {
    const dir = join(tmp, `extract-${file}`);
    mkdirSync(dir);
    writeFileSync(join(dir, "old.csv"), "previous contents\n");
    const before = snapshot(dir);
    const input = join(FIXTURES, file);
    for (const out of [join(dir, "old.csv"), join(dir, "new.csv"), join(dir, "deep", "er", "new.csv")]) {
      const { code, out: stdout, err } = await run("extract", "--in", input, "--out", out, ...SEED_SET);
      expect(code).toBe(1);
      expect(stdout).toBe("");
      expect(err).toBe(`privads extract: error: ${input}${tail}\n`);
      expect(snapshot(dir)).toEqual(before); // no target, no temporary, no created folder
    }
  });

  it.each(CASES)("train --events %s: exit 1, the same message, the previous model untouched", async (file, tail) => {
    const dir = join(tmp, `train-${file}`);
    mkdirSync(dir);
    writeFileSync(join(dir, "interaction_predictor.json"), '{"previous":true}\n');
    const before = snapshot(dir);
    const input = join(FIXTURES, file);
    const { code, err } = await run("train", "--events", input, "--out", dir, ...SEED_SET);
    expect(code).toBe(1);
    expect(err).toBe(`privads train: error: ${input}${tail}\n`);
    expect(snapshot(dir)).toEqual(before);
  });

  it("--skip-invalid keeps the good sessions and summarises the bad ones by reason", async () => {
    const input = join(FIXTURES, "mixed.jsonl");
    const out = join(tmp, "mixed.csv");
    const { code, out: stdout, err } = await run("extract", "--in", input, "--out", out, "--skip-invalid", ...SEED_SET);
    expect(code).toBe(0);
    expect(stdout).toBe(`wrote 3 windows from 2 sessions to ${out} (5 invalid sessions skipped)\n`);
    expect(err).toBe(
      [
        `skipped: ${input}:2: (line): is not valid JSON (${jsonError("mixed.jsonl", 2)})`,
        `skipped: ${input}:3: events[1].t: must not decrease: 2 after 3`,
        `skipped: ${input}:6: events[0].t: ${T_PROBLEM} "NaN"`,
        `skipped: ${input}:7: events[1].t: must not decrease: 4 after 5`,
        `skipped: ${input}:8: id: duplicates an earlier session id "good-1"`,
        "skipped 5 invalid sessions:",
        `  2 x t decreases (first: ${input}:3: events[1].t)`,
        `  1 x malformed JSON (first: ${input}:2: (line))`,
        `  1 x t is not a finite number (first: ${input}:6: events[0].t)`,
        `  1 x duplicate session id (first: ${input}:8: id)`,
        "",
      ].join("\n"),
    );
    const [header, ...rows] = readFileSync(out, "utf8").trimEnd().split("\n");
    expect(header).toBe(["session_id", "t", ...FEATURE_NAMES, "label"].join(","));
    const byName = rows.map((line) => {
      const f = line.split(",");
      return { id: f[0], t: Number(f[1]), label: Number(f[f.length - 1]), v: Object.fromEntries(FEATURE_NAMES.map((n, i) => [n, Number(f[2 + i])])) };
    });
    expect(byName.map((r) => [r.id, r.t, r.label])).toEqual([
      ["good-1", 10, 1], // click_ad at 14 is in (10, 40]
      ["good-1", 20, 0], // ... and not in (20, 50]; session ends at 25, so no window at 30
      ["good-2", 10, 0], // ends at 15: one window
    ]);
    // Hand calculation, good-1 at t = 10: events at 1, 2, 3, 4, 6 (depths 0.2, 0.2, 0.2, 0.4, 0.4).
    const g = byName[0].v;
    expect(g.time_since_last_action).toBe(4);
    expect(g.avg_time_between_actions).toBe(1.25); // (6 - 1) / 4
    expect(g.max_idle_gap).toBe(4);
    expect(g.interaction_density).toBe(0.5); // 5 / 10
    expect(Math.abs(g.scroll_velocity - 0.02)).toBeLessThanOrEqual(1e-15); // |0.4 - 0.2| / 10
    const h = -(2 * 0.4 * Math.log2(0.4) + 0.2 * Math.log2(0.2)) / Math.log2(9); // counts 2, 1, 2
    expect(Math.abs(g.action_entropy - h)).toBeLessThanOrEqual(1e-12);
    // good-2 at t = 10: blurred from 3 to 7 -> focused 6 of 10 s.
    expect(byName[2].v.attention_score).toBe(0.6);
  });

  it("train --events --skip-invalid prints the same per-reason summary as extract", async () => {
    const input = join(FIXTURES, "mixed.jsonl");
    const { err } = await run("train", "--events", input, "--out", join(tmp, "train-mixed"), "--skip-invalid", ...SEED_SET);
    expect(err).toContain(`skipped 5 invalid sessions:\n  2 x t decreases (first: ${input}:3: events[1].t)\n`);
  });

  it("--skip-invalid over a file with no valid session fails and writes nothing", async () => {
    const dir = join(tmp, "all-bad");
    mkdirSync(dir);
    const input = join(FIXTURES, "negative-t.jsonl");
    const only = join(dir, "only-bad.jsonl");
    writeFileSync(only, readFileSync(input, "utf8").split("\n")[1] + "\n");
    const before = snapshot(dir);
    const { code, err } = await run("extract", "--in", only, "--out", join(dir, "out.csv"), "--skip-invalid", ...SEED_SET);
    expect(code).toBe(1);
    expect(err).toBe(
      `skipped: ${only}:1: events[0].t: ${T_PROBLEM} -0.5\n` +
        `skipped 1 invalid session:\n  1 x negative t (first: ${only}:1: events[0].t)\n` +
        `privads extract: error: all 1 sessions of ${only} are invalid; nothing written\n`,
    );
    expect(snapshot(dir)).toEqual(before);
  });

  it("a missing input file is a clear error, and nothing is written", async () => {
    const dir = join(tmp, "missing");
    mkdirSync(dir);
    const input = join(dir, "nope.jsonl");
    const { code, err } = await run("extract", "--in", input, "--out", join(dir, "sub", "out.csv"));
    expect(code).toBe(1);
    expect(err).toBe(`privads extract: error: cannot read ${input} (no such file)\n`);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("accepts a byte order mark and CRLF line ends (valid-bom-crlf.jsonl)", async () => {
    const ids: string[] = [];
    for await (const s of readSessionsJsonl(join(FIXTURES, "valid-bom-crlf.jsonl"))) ids.push(s.id);
    expect(ids).toEqual(["good-1", "good-2"]);
  });
});

describe("sessions without adSignals under the ads set (the default)", () => {
  // 200 generated sessions, one of them (line 37) written as an old log would be: no adSignals.
  const dir = join(tmp, "no-signals");
  const input = join(dir, "logs.jsonl");
  const generator = new SyntheticGenerator(5);
  const lines = Array.from({ length: 200 }, (_, i) => {
    const { session } = generator.next();
    if (i !== 36) return formatSessionLine(session);
    const { adSignals: _dropped, ...old } = session;
    return formatSessionLine(old);
  });
  mkdirSync(dir, { recursive: true });
  writeFileSync(input, lines.join(""));

  it("extract: exit 1 naming file, line and field; nothing written", async () => {
    const before = snapshot(dir);
    const { code, err } = await run("extract", "--in", input, "--out", join(dir, "w.csv"));
    expect(code).toBe(1);
    expect(err).toBe(`privads extract: error: ${input}:37: ${MISSING_SIGNALS}\n`);
    expect(snapshot(dir)).toEqual(before);
  });

  it("train --events: the same message, the previous model untouched", async () => {
    const out = join(dir, "model");
    mkdirSync(out);
    writeFileSync(join(out, "interaction_predictor.json"), '{"previous":true}\n');
    const before = snapshot(dir);
    const { code, err } = await run("train", "--events", input, "--out", out);
    expect(code).toBe(1);
    expect(err).toBe(`privads train: error: ${input}:37: ${MISSING_SIGNALS}\n`);
    expect(snapshot(dir)).toEqual(before);
  });

  it("--skip-invalid skips that session under its own reason", async () => {
    const { code, err } = await run("extract", "--in", input, "--out", join(dir, "skip.csv"), "--skip-invalid");
    expect(code).toBe(0);
    expect(err).toBe(`skipped: ${input}:37: ${MISSING_SIGNALS}\nskipped 1 invalid session:\n  1 x adSignals missing (first: ${input}:37: adSignals)\n`);
  });

  it("train --events --features seed trains the 20-feature model from the same file", async () => {
    const out = join(dir, "seed-model");
    const { code, err } = await run("train", "--events", input, "--out", out, "--features", "seed");
    expect(err).toBe("");
    expect(code).toBe(0);
    const model = JSON.parse(readFileSync(join(out, "interaction_predictor.json"), "utf8"));
    expect(model.featureNames).toEqual([...FEATURE_NAMES]);
    expect(model.terms.length).toBe(230);
    const results = JSON.parse(readFileSync(join(out, "training_results.json"), "utf8"));
    expect(results.config.features).toBe("seed");
    expect(results.seed_model).toBeNull();
  });
});
