import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Session } from "../../src/core/session.js";
import { DataFileError } from "../../src/io/dataFileError.js";
import { formatSessionLine, readSessionsJsonl } from "../../src/io/sessionsJsonl.js";

const dir = mkdtempSync(join(tmpdir(), "privads-jsonl-"));
const good = '{"id":"a","profile":"click_happy","events":[{"type":"click","t":1,"depth":0.2},{"type":"close_tab","t":2}]}';

async function readAll(path: string, skipInvalid = false): Promise<{ sessions: Session[]; skipped: string[] }> {
  const sessions: Session[] = [];
  const skipped: string[] = [];
  for await (const s of readSessionsJsonl(path, { skipInvalid, onSkip: (e) => skipped.push(e.message) })) sessions.push(s);
  return { sessions, skipped };
}

function file(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, lines.join("\n") + "\n");
  return path;
}

describe("readSessionsJsonl", () => {
  it("round-trips sessions written by formatSessionLine", async () => {
    const sessions: Session[] = [
      { id: "s1", profile: "mobile_user", events: [{ type: "scroll_down", t: 0.1 + 0.2, depth: 1 / 3 }, { type: "wait", t: 5.3 }] },
      { id: "s2", events: [] },
    ];
    const path = join(dir, "round.jsonl");
    writeFileSync(path, sessions.map(formatSessionLine).join(""));
    expect((await readAll(path)).sessions).toEqual(sessions);
  });

  const cases: Array<[string, string, string]> = [
    ["malformed JSON", "{not json", "(line): is not valid JSON"],
    ["missing id", '{"events":[]}', "id: must be a non-empty string"],
    ["unknown type", '{"id":"x","events":[{"type":"swipe","t":1}]}', "events[0].type: must be one of scroll_down"],
    ["negative t", '{"id":"x","events":[{"type":"click","t":-1}]}', "events[0].t: must be a finite number >= 0"],
    ["non-monotonic t", '{"id":"x","events":[{"type":"click","t":3},{"type":"click","t":2}]}', "events[1].t: must not decrease: 2 after 3"],
    ["depth outside 0..1", '{"id":"x","events":[{"type":"scroll_down","t":1,"depth":1.2}]}', "events[0].depth: must be a number in [0, 1], got 1.2"],
    ["event after close_tab", '{"id":"x","events":[{"type":"close_tab","t":1},{"type":"click","t":2}]}', "events[1]: comes after close_tab"],
    ["unknown profile", '{"id":"x","profile":"bot","events":[]}', "profile: must be one of rushed_reader"],
    ["string t (NaN-like)", '{"id":"x","events":[{"type":"click","t":"NaN"}]}', 'events[0].t: must be a finite number >= 0 (seconds since page load), got "NaN"'],
  ];

  it.each(cases)("stops at %s, naming file, line and field", async (_label, bad, message) => {
    const path = file("bad.jsonl", [good, bad]);
    const error = await readAll(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataFileError);
    expect((error as DataFileError).message).toContain(`${path}:2: ${message}`);
  });

  it("rejects duplicate session ids", async () => {
    const path = file("dup.jsonl", [good, good]);
    await expect(readAll(path)).rejects.toThrow(`${path}:2: id: duplicates an earlier session id "a"`);
  });

  it("skips bad sessions on request and reports each", async () => {
    const path = file("mixed.jsonl", ["{oops", good, '{"id":"b","events":[{"type":"click","t":-5}]}', ""]);
    const { sessions, skipped } = await readAll(path, true);
    expect(sessions.map((s) => s.id)).toEqual(["a"]);
    expect(skipped).toHaveLength(2);
    expect(skipped[0]).toContain(":1: (line)");
    expect(skipped[1]).toContain(":3: events[0].t");
  });
});
