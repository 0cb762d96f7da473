import { createHash, randomBytes } from "node:crypto";
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync } from "node:fs";
import { copyFile, mkdir, open, readFile, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { ensureFolder, isAlive, removeCreatedFolders, removeOnSignal } from "./atomicFile.js";

/** The file in an output folder that names its complete set (written last: the folder's commit point). */
export const MANIFEST_FILE = "privads-manifest.json";
export const MANIFEST_FORMAT = "privads-output-set";
export const MANIFEST_VERSION = 1;
/** Inside a staging folder: the transaction's journal, written once every folder's files are on disk. */
const JOURNAL_FILE = "journal.json";
const STAGING = ".privads-staging.";
const COMMIT = ".privads-commit.";
const TXN_NAME = /^\.privads-(staging|commit)\.(\d+)\.([0-9a-f]{8})\.tmp$/;
/** Names of set files: a file or one subfolder level (`ort/x.wasm`); no dot files (temporaries start with a dot). */
const SET_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]*(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)?$/;

/** One file of a set: its bytes, or a file to copy (large, e.g. onnxruntime-web's wasm). */
export type OutputFile = { name: string; data: string | Uint8Array } | { name: string; copyFrom: string };

/** The files one run writes into one folder. */
export interface OutputFolder {
  dir: string;
  files: readonly OutputFile[];
}

/** What identifies the run in every manifest. */
export interface OutputStamp {
  runId: string;
  /** The run's seed; null when unknown (an export of an old model). */
  seed: number | null;
}

/** `privads-manifest.json`: the folder's complete set. Deterministic (no paths, no times): same run, same bytes. */
export interface OutputManifest {
  format: typeof MANIFEST_FORMAT;
  version: typeof MANIFEST_VERSION;
  run_id: string;
  seed: number | null;
  files: Array<{ name: string; bytes: number; sha256: string }>;
}

interface Journal {
  transaction: string;
  /** Absolute folders of the transaction; the first holds the commit point. */
  folders: string[];
  files: string[];
  /** Files of the folder's previous set that the new set does not have. */
  replaces: string[];
}

const stagingName = (txn: string) => `${STAGING}${txn}.tmp`;
const commitName = (txn: string) => `${COMMIT}${txn}.tmp`;

/** Test hook: throws at the n-th step of a commit or recovery (0-based), as a SIGKILL there would stop it. @internal */
let crashAt = -1;
let steps = 0;
export class SimulatedCrash extends Error {}
/** @internal */
export function simulateCrashAtStep(n: number): void {
  crashAt = n;
  steps = 0;
}
function step(): void {
  if (crashAt >= 0 && steps++ === crashAt) {
    crashAt = -1;
    throw new SimulatedCrash("simulated crash");
  }
}

function syncDirSync(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch {
    // not possible everywhere (Windows): best effort, the data was synced before the renames
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function readJsonSync<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as T;
  } catch {
    return undefined;
  }
}

/**
 * Moves one folder's staged set into place: removes the live manifest (the folder is now
 * "changing"), renames every staged file over its target, removes files of the previous set
 * the new one lacks, then renames the new manifest in (the folder's commit point) and removes
 * the staging folder. Synchronous, so no signal handler runs in between; idempotent, so a
 * recovery after a SIGKILL anywhere in it finishes it.
 */
function applySync(dir: string, stage: string): void {
  const journal = readJsonSync<Journal>(join(stage, JOURNAL_FILE));
  if (journal !== undefined && existsSync(join(stage, MANIFEST_FILE))) {
    step();
    rmSync(join(dir, MANIFEST_FILE), { force: true });
    syncDirSync(dir);
    const subfolders = new Set<string>();
    for (const name of journal.files) {
      const from = join(stage, name);
      if (!existsSync(from)) continue; // moved by an earlier, interrupted attempt
      const to = join(dir, name);
      if (name.includes("/")) {
        mkdirSync(dirname(to), { recursive: true }); // one level below `dir`, which exists
        subfolders.add(dirname(to));
      }
      step();
      renameSync(from, to);
    }
    for (const name of journal.replaces) {
      step();
      rmSync(join(dir, name), { force: true });
      if (name.includes("/")) {
        try {
          rmdirSync(dirname(join(dir, name))); // only if empty
        } catch {
          // still used
        }
      }
    }
    for (const sub of subfolders) syncDirSync(sub);
    syncDirSync(dir);
    step();
    renameSync(join(stage, MANIFEST_FILE), join(dir, MANIFEST_FILE));
    syncDirSync(dir);
  }
  step();
  rmSync(stage, { recursive: true, force: true });
}

/** Finishes a committed transaction whose commit folder is `commit` in `primary`: every other folder first, the primary last. */
function rollForwardSync(primary: string, commit: string): void {
  const journal = readJsonSync<Journal>(join(commit, JOURNAL_FILE));
  if (journal !== undefined) {
    for (const folder of journal.folders.slice(1)) {
      const stage = join(folder, stagingName(journal.transaction));
      if (existsSync(stage)) applySync(folder, stage);
    }
  }
  applySync(primary, commit);
}

/**
 * Brings `dir` to one run's complete set after a writer died (SIGKILL, power loss): a
 * transaction past its commit point is finished in every folder it touches, one before it is
 * dropped in every folder; dead writers' temporaries (`.NAME.PID.RANDOM.tmp`) are removed.
 * Writers of live processes are left alone (`ownProcess: true` treats this process's as dead:
 * for tests that simulate a crash in process). Every set write calls it first. Returns what it did.
 */
export function recoverOutputFolder(dir: string, options: { ownProcess?: boolean } = {}): { rolledForward: string[]; rolledBack: string[]; removed: string[] } {
  const done = { rolledForward: [] as string[], rolledBack: [] as string[], removed: [] as string[] };
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return done;
  }
  const here = resolve(dir);
  // Commit folders first: they decide whether staging folders elsewhere roll forward.
  const ordered = [...names].sort((a, b) => Number(b.startsWith(COMMIT)) - Number(a.startsWith(COMMIT)));
  for (const name of ordered) {
    const txn = TXN_NAME.exec(name);
    if (txn !== null) {
      const pid = Number(txn[2]);
      if (pid === process.pid ? !options.ownProcess : isAlive(pid)) continue;
      const transaction = `${txn[2]}.${txn[3]}`;
      const path = join(here, name);
      if (!existsSync(path)) continue; // handled with its transaction's primary
      if (txn[1] === "commit") {
        rollForwardSync(here, path);
        done.rolledForward.push(transaction);
        continue;
      }
      const journal = readJsonSync<Journal>(join(path, JOURNAL_FILE));
      const primary = journal?.folders[0];
      if (journal !== undefined && primary !== undefined && primary !== here && existsSync(join(primary, commitName(transaction)))) {
        rollForwardSync(primary, join(primary, commitName(transaction)));
        done.rolledForward.push(transaction);
        continue;
      }
      // Not committed: drop it here and in the other folders it staged into.
      for (const folder of journal?.folders ?? []) rmSync(join(folder, stagingName(transaction)), { recursive: true, force: true });
      rmSync(path, { recursive: true, force: true });
      done.rolledBack.push(transaction);
      continue;
    }
    const temporary = /^\..+\.(\d+)\.[0-9a-f]{8}\.tmp$/.exec(name);
    if (temporary !== null) {
      const pid = Number(temporary[1]);
      if (pid === process.pid ? !options.ownProcess : isAlive(pid)) continue;
      rmSync(join(here, name), { recursive: true, force: true });
      done.removed.push(join(here, name));
    }
  }
  return done;
}

/** The folder's manifest, or null when it has none (never written by a set, or a set is changing). */
export function readOutputManifest(dir: string): OutputManifest | null {
  const manifest = readJsonSync<OutputManifest>(join(dir, MANIFEST_FILE));
  return manifest !== undefined && manifest.format === MANIFEST_FORMAT ? manifest : null;
}

/**
 * Checks that `dir` holds exactly the set its manifest names (every file's size and SHA-256);
 * returns the manifest, or throws naming the first file that differs. A reader that pairs
 * files of a folder (a model with its results) calls it first.
 */
export function verifyOutputSet(dir: string): OutputManifest {
  const manifest = readOutputManifest(dir);
  if (manifest === null) throw new Error(`${join(dir, MANIFEST_FILE)}: missing; the folder holds no complete set (a write was interrupted: the next write recovers it)`);
  for (const file of manifest.files) {
    const path = join(dir, file.name);
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch (error) {
      throw new Error(`${path}: listed in ${MANIFEST_FILE} (run ${manifest.run_id}) but unreadable (${(error as NodeJS.ErrnoException).code})`, { cause: error });
    }
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    if (bytes.length !== file.bytes || sha256 !== file.sha256) throw new Error(`${path}: not the file of run ${manifest.run_id} named in ${MANIFEST_FILE} (sha256 ${sha256}, expected ${file.sha256})`);
  }
  return manifest;
}

async function writeAndSync(path: string, data: string | Uint8Array): Promise<void> {
  await writeFile(path, data, { flag: "wx" });
  await syncFile(path);
}

async function syncFile(path: string): Promise<void> {
  const handle = await open(path, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Merges folders that resolve to the same path (later files of one name win) and checks the names. */
function groupFolders(folders: readonly OutputFolder[]): Array<{ dir: string; files: Map<string, OutputFile> }> {
  const groups = new Map<string, Map<string, OutputFile>>();
  for (const folder of folders) {
    const dir = resolve(folder.dir);
    const files = groups.get(dir) ?? new Map<string, OutputFile>();
    for (const file of folder.files) {
      if (!SET_NAME.test(file.name) || file.name === MANIFEST_FILE) {
        throw new RangeError(`output file name ${JSON.stringify(file.name)} in ${dir}: use letters, digits, ".", "_", "-" and at most one "/" (not ${MANIFEST_FILE})`);
      }
      files.set(file.name, file);
    }
    groups.set(dir, files);
  }
  return [...groups].map(([dir, files]) => ({ dir, files }));
}

/**
 * Writes a run's outputs into one or more folders so that they change together or not at
 * all. Every folder's files are first written and synced into a staging folder inside it
 * (`.privads-staging.PID.RANDOM.tmp`, same file system, so renames are atomic) with its
 * manifest; any error (a full disk, a bad folder) removes the staging and changes nothing.
 * Then, synchronously: the first folder's staging is renamed to `.privads-commit.*` (the
 * commit point of the whole run), every folder's files are renamed in, each folder's manifest
 * last. A SIGKILL before the commit point leaves the old sets (the next write drops the
 * staging), after it the next write finishes the new sets ({@link recoverOutputFolder}); a
 * signal before it removes the staging. Returns the written paths, in the given order.
 */
export async function writeOutputSet(folders: readonly OutputFolder[], stamp: OutputStamp): Promise<string[]> {
  const groups = groupFolders(folders);
  const transaction = `${process.pid}.${randomBytes(4).toString("hex")}`;
  const staged: Array<{ dir: string; stage: string; created: string[]; release: () => void; journal: Journal }> = [];
  try {
    for (const { dir, files } of groups) {
      const created = await ensureFolder(dir);
      recoverOutputFolder(dir);
      const stage = join(dir, stagingName(transaction));
      const release = removeOnSignal(stage);
      const entry = { dir, stage, created, release, journal: { transaction, folders: groups.map((g) => g.dir), files: [...files.keys()], replaces: [] as string[] } };
      staged.push(entry);
      await mkdir(stage);
      const listed: OutputManifest["files"] = [];
      for (const file of files.values()) {
        const target = join(dir, file.name);
        const existing = await stat(target).catch(() => undefined);
        if (existing?.isDirectory()) throw Object.assign(new Error(`cannot write ${target}: it is a folder`), { code: "EISDIR" });
        const path = join(stage, file.name);
        if (file.name.includes("/")) await mkdir(dirname(path), { recursive: true }); // inside the fresh staging folder
        let bytes: Uint8Array;
        if ("data" in file) {
          bytes = typeof file.data === "string" ? Buffer.from(file.data, "utf8") : file.data;
          await writeAndSync(path, bytes);
        } else {
          await copyFile(file.copyFrom, path);
          await syncFile(path);
          bytes = await readFile(path);
        }
        listed.push({ name: file.name, bytes: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex") });
      }
      const manifest: OutputManifest = { format: MANIFEST_FORMAT, version: MANIFEST_VERSION, run_id: stamp.runId, seed: stamp.seed, files: listed };
      await writeAndSync(join(stage, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + "\n");
      const previous = readOutputManifest(dir);
      entry.journal.replaces = (previous?.files ?? []).map((f) => f.name).filter((name) => !files.has(name) && SET_NAME.test(name));
    }
    // Journals last: a staging folder with a journal is complete.
    for (const { stage, journal } of staged) {
      await writeAndSync(join(stage, JOURNAL_FILE), JSON.stringify(journal) + "\n");
      syncDirSync(stage);
    }
  } catch (error) {
    for (const { stage, created, release } of staged) {
      await rm(stage, { recursive: true, force: true });
      release();
      await removeCreatedFolders(created);
    }
    throw error;
  }
  const [first, ...rest] = staged;
  const commit = join(first.dir, commitName(transaction));
  try {
    step();
    renameSync(first.stage, commit); // the commit point
    syncDirSync(first.dir);
    for (const { dir, stage } of rest) applySync(dir, stage);
    applySync(first.dir, commit);
  } finally {
    for (const { release } of staged) release();
  }
  return groups.flatMap(({ dir, files }) => [...files.keys()].map((name) => join(dir, name)));
}
