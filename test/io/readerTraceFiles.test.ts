import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readReaderTraces } from "../../src/io/readerTraceFiles.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "privads-traces-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("readReaderTraces", () => {
  it("reads the repository's stored traces, and says undefined for a missing folder", async () => {
    const traces = await readReaderTraces(fileURLToPath(new URL("../fixtures/readers/", import.meta.url)));
    expect(traces!.map((t) => t.reader)).toEqual(["adRester", "quick", "slow", "steady", "tabSwitcher"]);
    expect(await readReaderTraces(join(dir, "absent"))).toBeUndefined();
  });

  it("names a file that is not JSON", async () => {
    await writeFile(join(dir, "broken.json"), "{ not json");
    await expect(readReaderTraces(dir)).rejects.toThrow(`${join(dir, "broken.json")}: not JSON`);
  });
});
