/** One `privads` subcommand. Each lives in `src/cli/commands/<name>.ts`. */
export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Full `--help` text: usage line, then one line per flag. */
  usage: string;
  /** Runs with the arguments after the command name; resolves to the exit code. */
  run(argv: string[], io: CommandIO): Promise<number>;
}

/** Where a command writes; tests pass their own. */
export interface CommandIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether progress bars may be drawn (a TTY on stderr). */
  interactive: boolean;
}

/** A bad flag or argument: the CLI prints the message and the usage, and exits with 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** `--help` was given: the CLI prints the command's usage and exits with 0. */
export class HelpRequested extends Error {
  constructor() {
    super("help requested");
    this.name = "HelpRequested";
  }
}
