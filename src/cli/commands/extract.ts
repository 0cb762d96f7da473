import { extractSessionWindows } from "../../core/sessionWindows.js";
import { SlidingWindowExtractor } from "../../core/slidingWindowExtractor.js";
import { AtomicFileWriter } from "../../io/atomicFile.js";
import { readSessionsJsonl } from "../../io/sessionsJsonl.js";
import { SkippedRecords } from "../../io/skippedRecords.js";
import { formatWindowRows, windowsCsvHeader } from "../../io/windowsCsv.js";
import type { Command } from "../command.js";
import { UsageError } from "../command.js";
import { featureSetFlag, parseFlags, refuseOverwritingInput, requiredFlag } from "../flags.js";

export const extractCommand: Command = {
  name: "extract",
  summary: "turn JSON Lines sessions into labelled windows (CSV)",
  usage: `Usage: privads extract --in FILE.jsonl --out FILE.csv [--features ads|seed] [--skip-invalid]

Writes one row per eligible window: session_id, t, the set's features, label
(label = a click_ad within the next 30 s). Windows: 120 s, every 10 s, >= 5 events.

  --in FILE        sessions, one JSON object per line (--events is an alias)
  --out FILE       output CSV (written atomically; nothing is written on error)
  --features SET   ads (default: the 20 interaction features and the 6 ad features; every
                   session needs adSignals) or seed (the 20 only; for logs without ad signals)
  --skip-invalid   skip bad sessions instead of stopping; stderr lists the first 10
                   and one summary line per reason (count, first file:line)
  -h, --help       this help`,
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      in: { type: "string" },
      events: { type: "string" },
      out: { type: "string" },
      "skip-invalid": { type: "boolean" },
      features: { type: "string" },
    });
    if (values.in !== undefined && values.events !== undefined) throw new UsageError("give --in or --events, not both");
    const input = requiredFlag("in", values.in ?? values.events);
    const out = requiredFlag("out", values.out);
    const featureSet = featureSetFlag(values.features);
    refuseOverwritingInput(input, out);
    const extractor = new SlidingWindowExtractor({}, featureSet);
    const writer = await AtomicFileWriter.create(out);
    let sessions = 0;
    let rows = 0;
    const skipped = new SkippedRecords(io.stderr);
    try {
      await writer.write(windowsCsvHeader(featureSet));
      const source = readSessionsJsonl(input, { skipInvalid: values["skip-invalid"], onSkip: skipped.add, requireAdSignals: featureSet === "ads" });
      for await (const session of source) {
        const windows = extractSessionWindows(session.events, extractor, session.adSignals);
        sessions++;
        rows += windows.t.length;
        if (windows.t.length > 0) await writer.write(formatWindowRows(session.id, windows, featureSet));
      }
      if (sessions === 0 && skipped.count > 0) {
        io.stderr(skipped.summary());
        throw new Error(`all ${skipped.count.toLocaleString("en-US")} sessions of ${input} are invalid; nothing written`);
      }
      await writer.commit();
    } catch (error) {
      await writer.abort();
      throw error;
    }
    if (skipped.count > 0) io.stderr(skipped.summary());
    io.stdout(
      `wrote ${rows.toLocaleString("en-US")} windows from ${sessions.toLocaleString("en-US")} sessions to ${out}${skipped.count ? ` (${skipped.count.toLocaleString("en-US")} invalid sessions skipped)` : ""}\n`,
    );
    return 0;
  },
};
