import { statSync } from "node:fs";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { DEFAULT_FEATURE_SET, FEATURE_SET_NAMES, type FeatureSetName, isFeatureSetName } from "../core/featureNames.js";
import { HelpRequested, UsageError } from "./command.js";

type Options = NonNullable<ParseArgsConfig["options"]>;

/**
 * `util.parseArgs` in strict mode, with its errors turned into usage errors (exit 2). Every
 * command takes `-h`/`--help`: it throws {@link HelpRequested}, and the CLI prints the usage.
 */
export function parseFlags<T extends Options>(argv: string[], options: T) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { ...options, help: { type: "boolean", short: "h" } }, strict: true, allowPositionals: false });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if ((parsed.values as { help?: boolean }).help) throw new HelpRequested();
  return parsed;
}

/** An integer flag within [min, max]; `fallback` when absent. */
export function integerFlag(name: string, value: string | undefined, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!/^\s*-?\d+\s*$/.test(value) || !Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return parsed;
}

/** A flag the command cannot run without. */
export function requiredFlag(name: string, value: string | undefined): string {
  if (value === undefined || value === "") throw new UsageError(`--${name} is required`);
  return value;
}

export const DEFAULT_SEED = 42;
export const MAX_SEED = 0xffffffff;

export function seedFlag(value: string | undefined): number {
  return integerFlag("seed", value, DEFAULT_SEED, 0, MAX_SEED);
}

/**
 * `--C VALUE`: a fixed inverse L2 strength instead of the regularisation path (docs/model.md);
 * undefined when absent. `--tune`, the old opt-in to a C sweep, is refused with what replaced it.
 */
export function regularisationFlag(value: string | undefined, tune: boolean | undefined): number | undefined {
  if (tune) throw new UsageError("--tune is no longer needed: C is chosen by grouped CV on the regularisation path by default; --C VALUE fixes it (--C 1 is the first model's setting)");
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (value.trim() === "" || !Number.isFinite(parsed) || !(parsed > 0)) {
    throw new UsageError(`--C must be a positive finite number (e.g. 1, 0.01 or 1e-3), got ${JSON.stringify(value)}`);
  }
  return parsed;
}

/** `--features ads|seed` (default `ads`, docs/features.md). */
export function featureSetFlag(value: string | undefined): FeatureSetName {
  if (value === undefined) return DEFAULT_FEATURE_SET;
  if (!isFeatureSetName(value)) throw new UsageError(`--features must be one of ${FEATURE_SET_NAMES.join(", ")}, got ${JSON.stringify(value)}`);
  return value;
}

/**
 * Refuses an output that is the input file itself (the same path, or another name of the same
 * file: a symbolic or hard link), which the atomic rename would replace before it was read.
 */
export function refuseOverwritingInput(input: string, output: string): void {
  const inStat = statSync(input, { throwIfNoEntry: false });
  const outStat = statSync(output, { throwIfNoEntry: false });
  if (inStat === undefined || outStat === undefined) return;
  if (inStat.dev === outStat.dev && inStat.ino === outStat.ino) {
    throw new UsageError(`--out ${JSON.stringify(output)} is the input file ${JSON.stringify(input)}; write to another file`);
  }
}
