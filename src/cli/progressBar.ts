import cliProgress from "cli-progress";
import type { CommandIO } from "./command.js";

/** Progress bars for long phases, drawn on stderr only when it is a terminal. */
export class PhaseProgress {
  private bar: cliProgress.SingleBar | undefined;
  private phase = "";

  constructor(private readonly io: CommandIO) {}

  update(phase: string, done: number, total: number): void {
    if (!this.io.interactive) return;
    if (phase !== this.phase) {
      this.bar?.stop();
      this.phase = phase;
      this.bar = new cliProgress.SingleBar(
        { format: `${phase.padEnd(16)} [{bar}] {percentage}% | {value}/{total}`, stream: process.stderr, hideCursor: true, clearOnComplete: false },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(total, done);
    } else {
      this.bar?.update(done);
    }
    if (done >= total) {
      this.bar?.stop();
      this.bar = undefined;
    }
  }

  stop(): void {
    this.bar?.stop();
    this.bar = undefined;
  }
}
