import { describe, expect, it } from "vitest";
import type { CommandIO } from "../../src/cli/command.js";
import { UsageError } from "../../src/cli/command.js";
import { BYTES_PER_SAMPLE, explainTooFewWindows, MAX_SAMPLES, maxSamplesFor, MIN_SAMPLES, samplesFlag } from "../../src/cli/commands/pipeline.js";
import { main } from "../../src/cli/main.js";
import { rocAuc } from "../../src/training/classificationMetrics.js";
import { groupedStratifiedKFold } from "../../src/training/groupedKFold.js";

async function run(...argv: string[]) {
  const io = { out: "", err: "", interactive: false, stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) };
  const code = await main(argv, io satisfies CommandIO);
  return { code, err: io.err };
}

const GiB = 1024 ** 3;

describe("pipeline --samples bounds (item 9)", () => {
  it.each(["100", "1999", "2000001", "1e6"])("refuses --samples %s with a usage error naming the range, before simulating anything", async (value) => {
    const { code, err } = await run("pipeline", "--samples", value, "--no-browser", "--out", "/nonexistent/never-written");
    expect(code).toBe(2);
    expect(err).toContain(`privads pipeline: --samples must be an integer from 2000 to 2000000, got ${JSON.stringify(value)}`);
  });

  it("documents 2,000 to 2,000,000 and accepts the bounds when memory allows", () => {
    expect([MIN_SAMPLES, MAX_SAMPLES]).toEqual([2_000, 2_000_000]);
    expect(samplesFlag("2000", 64 * GiB)).toBe(2_000);
    expect(samplesFlag("2000000", 64 * GiB)).toBe(2_000_000);
    expect(samplesFlag(undefined, 4 * GiB)).toBe(50_000);
  });

  it("bounds the maximum by the machine's memory (3/4 of it, about 6 KB per window)", () => {
    expect(maxSamplesFor(8 * GiB)).toBe(1_014_442); // (6144 MiB - 200 MiB) / 6 KiB = 1,014,442.7
    expect(BYTES_PER_SAMPLE).toBe(6 * 1024);
    expect(() => samplesFlag("1500000", 8 * GiB)).toThrow(UsageError);
    expect(() => samplesFlag("1500000", 8 * GiB)).toThrow("--samples 1500000 needs about 8.8 GB of memory, more than 3/4 of this machine's 8.0 GB; use at most 1,014,442");
    expect(samplesFlag("1000000", 8 * GiB)).toBe(1_000_000);
  });

  it("words the training code's too-few-windows errors for the user, and leaves other errors alone", () => {
    const internal: Error[] = [];
    try {
      groupedStratifiedKFold(Int32Array.of(0, 1, 2), Uint8Array.of(0, 1, 0), 5, 1);
    } catch (error) {
      internal.push(error as Error);
    }
    try {
      rocAuc([0.1, 0.2], Uint8Array.of(0, 0));
    } catch (error) {
      internal.push(error as Error);
    }
    expect(internal).toHaveLength(2);
    for (const error of internal) {
      const explained = explainTooFewWindows(error, 2000, 7) as Error;
      expect(explained.message).toMatch(/^2,000 windows of seed 7 hold too few of one class to cross-validate and evaluate \(.+\); run with more --samples or another --seed$/);
      expect(explained.message).toContain(error.message);
    }
    const other = new Error("cannot write models/x.json (EACCES)");
    expect(explainTooFewWindows(other, 2000, 7)).toBe(other);
  });
});
