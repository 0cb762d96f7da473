import { type Command, type CommandIO, HelpRequested, UsageError } from "./command.js";
import { exportCommand } from "./commands/export.js";
import { extractCommand } from "./commands/extract.js";
import { generateCommand } from "./commands/generate.js";
import { pipelineCommand } from "./commands/pipeline.js";
import { predictCommand } from "./commands/predict.js";
import { serveCommand } from "./commands/serve.js";
import { trainCommand } from "./commands/train.js";

const COMMANDS: readonly Command[] = [pipelineCommand, generateCommand, extractCommand, trainCommand, exportCommand, predictCommand, serveCommand];

function globalUsage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    "Usage: privads <command> [flags]",
    "",
    "On-device ad-click prediction: simulate, extract, train and export models.",
    "",
    "Commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Run `privads <command> --help` for a command's flags.",
  ].join("\n");
}

const processIO: CommandIO = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  interactive: Boolean(process.stderr.isTTY),
};

/** Runs the CLI; resolves to the exit code (0 ok, 1 failure, 2 usage error). */
export async function main(argv: string[], io: CommandIO = processIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.stdout(globalUsage() + "\n");
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.stderr(`privads: unknown command ${JSON.stringify(name)}\n\n${globalUsage()}\n`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof HelpRequested) {
      io.stdout(command.usage + "\n");
      return 0;
    }
    if (error instanceof UsageError) {
      io.stderr(`privads ${name}: ${error.message}\n\n${command.usage}\n`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`privads ${name}: error: ${message}\n`);
    return 1;
  }
}
