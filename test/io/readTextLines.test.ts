import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DataFileError } from "../../src/io/dataFileError.js";
import { LINE_PROBLEMS, MAX_RECORD_BYTES, readTextLines, type ReadTextLinesOptions } from "../../src/io/readTextLines.js";

const tmp = mkdtempSync(join(tmpdir(), "privads-lines-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let files = 0;
function fileWith(content: string | Uint8Array): string {
  const file = join(tmp, `f${++files}.txt`);
  writeFileSync(file, content);
  return file;
}

async function lines(file: string, options?: ReadTextLinesOptions) {
  const out: Array<[number, string]> = [];
  for await (const { line, text } of readTextLines(file, options)) out.push([line, text]);
  return out;
}

const bytes = (...parts: Array<string | number[]>) => Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "utf8") : Buffer.from(p))));

describe("readTextLines", () => {
  it("numbers lines from 1, skips blank ones, drops a BOM and the CR of CRLF, reads a last line without LF", async () => {
    const file = fileWith(bytes([0xef, 0xbb, 0xbf], "a\r\n\r\n  \nb\nc"));
    expect(await lines(file)).toEqual([
      [1, "a"],
      [4, "b"],
      [5, "c"],
    ]);
  });

  it("decodes characters split across read chunks (multi-byte UTF-8 at every offset)", async () => {
    const line = "é€😀".repeat(30_000); // 270,000 bytes: several 64 KiB chunks, boundaries inside characters
    const file = fileWith(`${line}\n${line}\n`);
    expect(await lines(file)).toEqual([
      [1, line],
      [2, line],
    ]);
  });

  it.each([
    ["a Latin-1 é", bytes('{"id":"caf', [0xe9], '"}'), "byte 0xe9 at byte 11"],
    ["a lone continuation byte", bytes("ab", [0x80]), "byte 0x80 at byte 3"],
    ["an overlong slash", bytes("x", [0xc0, 0xaf]), "byte 0xc0 at byte 2"],
    ["a UTF-16 surrogate", bytes([0xed, 0xa0, 0x80]), "byte 0xed at byte 1"],
    ["a truncated sequence at the end", bytes("ok", [0xe2, 0x82]), "byte 0xe2 at byte 3"],
    ["0xff", bytes([0xff]), "byte 0xff at byte 1"],
  ])("refuses %s naming file, line and byte (not replaced by U+FFFD)", async (_label, bad, where) => {
    const file = fileWith(Buffer.concat([bytes("fine\n"), bad, bytes("\nafter\n")]));
    await expect(lines(file)).rejects.toThrow(new DataFileError(file, 2, "(line)", `is not valid UTF-8 (${where} of the line); save the file as UTF-8`).message);
  });

  it("keeps two ids apart that differ only in invalid bytes: the first is refused, not turned into U+FFFD", async () => {
    const file = fileWith(Buffer.concat([bytes('{"id":"a'), Buffer.from([0xff]), bytes('"}\n{"id":"a'), Buffer.from([0xfe]), bytes('"}\n')]));
    await expect(lines(file)).rejects.toThrow(`${file}:1: (line): is not valid UTF-8 (byte 0xff at byte 9 of the line)`);
  });

  it("refuses a line over the maximum record size at once, naming file and line", async () => {
    const file = fileWith(`short\n${"x".repeat(1025)}\nnot reached\n`);
    await expect(lines(file, { maxLineBytes: 1024 })).rejects.toThrow(new DataFileError(file, 2, "(line)", "is longer than the maximum record size of 1 KiB").message);
    expect(await lines(fileWith(`${"x".repeat(1024)}\n`), { maxLineBytes: 1024 })).toHaveLength(1); // the limit itself (the LF is not counted)
  });

  it("with onBadLine: reports and skips bad lines, reading on", async () => {
    const file = fileWith(Buffer.concat([bytes(`${"x".repeat(5000)}\nok 2\n`), Buffer.from([0xff]), bytes("\nok 4\n", "y".repeat(3000))]));
    const bad: DataFileError[] = [];
    expect(await lines(file, { maxLineBytes: 1000, onBadLine: (e) => bad.push(e) })).toEqual([
      [2, "ok 2"],
      [4, "ok 4"],
    ]);
    expect(bad.map((e) => [e.line, e.reason])).toEqual([
      [1, LINE_PROBLEMS.tooLong],
      [3, LINE_PROBLEMS.notUtf8],
      [5, LINE_PROBLEMS.tooLong],
    ]);
  });

  it("documents a default of 64 MiB", () => {
    expect(MAX_RECORD_BYTES).toBe(64 * 1024 * 1024);
  });

  it("says why a file cannot be read", async () => {
    await expect(lines(join(tmp, "missing.txt"))).rejects.toThrow(`cannot read ${join(tmp, "missing.txt")} (no such file)`);
    await expect(lines(tmp)).rejects.toThrow(`cannot read ${tmp} (it is a folder)`);
  });
});
