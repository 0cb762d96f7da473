import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseReaderTrace, type ReaderTrace } from "../evaluation/readerTraces.js";

/**
 * The scripted readers' traces in `dir` (every `*.json`, by name), or undefined when the folder
 * does not exist (an installed package ships no test data). A file that is not a trace is an
 * error naming it.
 */
export async function readReaderTraces(dir: string): Promise<ReaderTrace[] | undefined> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name.endsWith(".json")).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  return Promise.all(
    names.map(async (name) => {
      const file = join(dir, name);
      let json: unknown;
      try {
        json = JSON.parse(await readFile(file, "utf8"));
      } catch (error) {
        throw new Error(`${file}: not JSON (${(error as Error).message})`, { cause: error });
      }
      return parseReaderTrace(json, file);
    }),
  );
}

/** Where a checkout keeps the readers' traces (test/fixtures/readers, docs/readers.md), from the bundled CLI's folder. */
export const READER_TRACES_DIR = new URL("../test/fixtures/readers/", import.meta.url);
