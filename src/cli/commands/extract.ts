import { extractSessionWindows } from "../../core/sessionWindows.js";
import { SlidingWindowExtractor } from "../../core/slidingWindowExtractor.js";
import { AtomicFileWriter } from "../../io/atomicFile.js";
import { readSessionsJsonl } from "../../io/sessionsJsonl.js";
import { formatWindowRows, WINDOWS_CSV_HEADER } from "../../io/windowsCsv.js";
import type { Command } from "../command.js";
import { UsageError } from "../command.js";
import { parseFlags, requiredFlag } from "../flags.js";

export const extractCommand: Command = {
  name: "extract",
  summary: "turn JSON Lines sessions into labelled windows (CSV)",
  usage: `Usage: privads extract --in FILE.jsonl --out FILE.csv [--skip-invalid]

Writes one row per eligible window: session_id, t, the 20 features, label
(label = a click_ad within the next 30 s). Windows: 120 s, every 10 s, >= 5 events.

  --in FILE        sessions, one JSON object per line (--events is an alias)
  --out FILE       output CSV (written atomically; nothing is written on error)
  --skip-invalid   skip bad sessions (reported on stderr) instead of stopping
  -h, --help       this help`,
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      in: { type: "string" },
      events: { type: "string" },
      out: { type: "string" },
      "skip-invalid": { type: "boolean" },
    });
    if (values.help) {
      io.stdout(this.usage + "\n");
      return 0;
    }
    if (values.in !== undefined && values.events !== undefined) throw new UsageError("give --in or --events, not both");
    const input = requiredFlag("in", values.in ?? values.events);
    const out = requiredFlag("out", values.out);
    const extractor = new SlidingWindowExtractor();
    const writer = await AtomicFileWriter.create(out);
    let sessions = 0;
    let rows = 0;
    let skipped = 0;
    try {
      await writer.write(WINDOWS_CSV_HEADER);
      const source = readSessionsJsonl(input, {
        skipInvalid: values["skip-invalid"],
        onSkip: (error) => {
          skipped++;
          io.stderr(`skipped: ${error.message}\n`);
        },
      });
      for await (const session of source) {
        const windows = extractSessionWindows(session.events, extractor);
        sessions++;
        rows += windows.t.length;
        if (windows.t.length > 0) await writer.write(formatWindowRows(session.id, windows));
      }
      await writer.commit();
    } catch (error) {
      await writer.abort();
      throw error;
    }
    io.stdout(`wrote ${rows.toLocaleString("en-US")} windows from ${sessions.toLocaleString("en-US")} sessions to ${out}${skipped ? ` (${skipped} invalid sessions skipped)` : ""}\n`);
    return 0;
  },
};
