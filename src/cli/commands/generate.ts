import { SyntheticGenerator } from "../../generator/sessionGenerator.js";
import { AtomicFileWriter } from "../../io/atomicFile.js";
import { formatSessionLine } from "../../io/sessionsJsonl.js";
import type { Command } from "../command.js";
import { integerFlag, parseFlags, requiredFlag, seedFlag } from "../flags.js";
import { PhaseProgress } from "../progressBar.js";

export const generateCommand: Command = {
  name: "generate",
  summary: "simulate sessions and write them as JSON Lines",
  usage: `Usage: privads generate --sessions N [--seed S] --out FILE.jsonl

Simulates N sessions of the six behaviour profiles (docs/generator.md) and writes one Session
object per line. The same seed gives the same bytes.

  --sessions N     sessions to simulate (1..10,000,000)
  --seed S         seed, 0..4294967295 (default 42)
  --out FILE       output file (written atomically)
  -h, --help       this help`,
  async run(argv, io) {
    const { values } = parseFlags(argv, { sessions: { type: "string" }, seed: { type: "string" }, out: { type: "string" } });
    const sessions = integerFlag("sessions", requiredFlag("sessions", values.sessions), 0, 1, 10_000_000);
    const seed = seedFlag(values.seed);
    const out = requiredFlag("out", values.out);
    const generator = new SyntheticGenerator(seed);
    const writer = await AtomicFileWriter.create(out);
    const progress = new PhaseProgress(io);
    let events = 0;
    try {
      let chunk = "";
      for (let i = 0; i < sessions; i++) {
        const { session } = generator.next();
        events += session.events.length;
        chunk += formatSessionLine(session);
        if (chunk.length > 1 << 20) {
          await writer.write(chunk);
          chunk = "";
          progress.update("generate", i + 1, sessions);
        }
      }
      await writer.write(chunk);
      await writer.commit();
    } catch (error) {
      await writer.abort();
      throw error;
    } finally {
      progress.stop();
    }
    io.stdout(`wrote ${sessions.toLocaleString("en-US")} sessions (${events.toLocaleString("en-US")} events) to ${out}\n`);
    return 0;
  },
};
