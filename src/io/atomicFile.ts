import { randomBytes } from "node:crypto";
import { constants, createWriteStream, rmSync, type WriteStream } from "node:fs";
import { access, copyFile, mkdir, open, readdir, rename, rm, rmdir, stat, statfs, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";

/** `.NAME.PID.RANDOM.tmp`, beside the target: same file system, so the rename is atomic. */
function temporaryPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
}

/** @internal Whether process `pid` still runs (a temporary or staging folder of a live writer is left alone). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"; // exists, owned by someone else
  }
}

/**
 * Removes temporaries of `path` left by writers that died (SIGKILL, power loss): those whose
 * process id no longer runs. Temporaries of live processes are left alone. Best effort.
 * @internal
 */
export async function removeStaleTemporaries(path: string): Promise<string[]> {
  const dir = dirname(path);
  const prefix = `.${basename(path)}.`;
  const removed: string[] = [];
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith(".tmp")) continue;
    const match = /^(\d+)\.[0-9a-f]{8}\.tmp$/.exec(name.slice(prefix.length));
    if (!match) continue;
    const pid = Number(match[1]);
    if (pid === process.pid || isAlive(pid)) continue;
    await rm(join(dir, name), { force: true }).catch(() => {});
    removed.push(join(dir, name));
  }
  return removed;
}

/**
 * File systems that are views of kernel state, not storage (statfs magic numbers): nothing
 * written there is a file, and Node's recursive mkdir loops forever under /proc.
 */
const PSEUDO_FILE_SYSTEMS = new Map<number, string>([
  [0x9fa0, "proc"],
  [0x62656572, "sysfs"],
  [0x1cd1, "devpts"],
  [0x27e0eb, "cgroup"],
  [0x63677270, "cgroup2"],
  [0x64626720, "debugfs"],
  [0x74726163, "tracefs"],
  [0x73636673, "securityfs"],
  [0xcafe4a11, "bpf"],
  [0x62656570, "configfs"],
  [0x6165676c, "pstore"],
  [0xde5e81e4, "efivarfs"],
]);

/** An output location that cannot hold files: names the path and says what is valid. */
export class OutputLocationError extends Error {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`cannot write to ${path}: ${reason}; choose a writable folder on a disk (or tmpfs)`);
    this.name = "OutputLocationError";
  }
}

/** The deepest existing ancestor of `dir` (itself if it exists) and the missing parts below it, outermost first. */
async function nearestExisting(dir: string): Promise<{ existing: string; missing: string[] }> {
  const missing: string[] = [];
  let current = resolve(dir);
  for (;;) {
    try {
      await stat(current);
      return { existing: current, missing };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "ENOENT" && code !== "ENOTDIR") throw error;
      const parent = dirname(current);
      if (parent === current) throw error; // no root: cannot happen on a real system
      missing.unshift(current);
      current = parent;
    }
  }
}

/**
 * Checks, without creating anything, that `dir` is (or can become) a folder of files: its
 * nearest existing ancestor must be a folder, writable, and not on a kernel pseudo file
 * system (/proc, /sys, ...). Throws an {@link OutputLocationError}; commands call it before
 * any long work so a bad `--out` fails first (docs/robustness.md, "Limits: output sets").
 */
export async function checkOutputFolder(dir: string): Promise<void> {
  const { existing, missing } = await nearestExisting(dir);
  const info = await stat(existing);
  if (!info.isDirectory()) throw Object.assign(new OutputLocationError(dir, `${existing} is a file, not a folder`), { code: missing.length > 0 ? "ENOTDIR" : "EEXIST" });
  const fs = await statfs(existing).catch(() => undefined); // not available everywhere: best effort
  const pseudo = fs === undefined ? undefined : PSEUDO_FILE_SYSTEMS.get(fs.type);
  if (pseudo !== undefined) throw new OutputLocationError(dir, `${existing} is on the ${pseudo} pseudo file system (kernel state, not storage)`);
  try {
    await access(existing, constants.W_OK);
  } catch (error) {
    throw Object.assign(new OutputLocationError(dir, `${existing} is not writable (${(error as NodeJS.ErrnoException).code})`), { cause: error });
  }
}

/**
 * Creates folder `dir` and its missing parents, one level at a time after
 * {@link checkOutputFolder} (a recursive mkdir spins forever on procfs); returns the folders it
 * created, deepest first, so a failed write can remove them again.
 * @internal
 */
export async function ensureFolder(dir: string): Promise<string[]> {
  await checkOutputFolder(dir);
  const { missing } = await nearestExisting(dir);
  const created: string[] = [];
  try {
    for (const part of missing) {
      try {
        await mkdir(part);
        created.unshift(part);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "EEXIST" && (await stat(part)).isDirectory()) continue; // made by a concurrent writer
        throw Object.assign(new OutputLocationError(dir, `cannot create folder ${part} (${code ?? (error as Error).message})`), { code, cause: error });
      }
    }
  } catch (error) {
    await removeCreatedFolders(created);
    throw error;
  }
  return created;
}

/** Creates the parent folders of `path` (see {@link ensureFolder}). */
function makeParents(path: string): Promise<string[]> {
  return ensureFolder(dirname(path));
}

/** @internal Removes folders {@link ensureFolder} created, deepest first, each only if empty. */
export async function removeCreatedFolders(created: readonly string[]): Promise<void> {
  for (const dir of created) {
    try {
      await rmdir(dir); // only if empty: never removes anything it did not create
    } catch {
      return;
    }
  }
}

const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
/** Temporaries and staging folders of this process, removed if a signal ends it. */
const removeOnExit = new Set<string>();

function onSignal(signal: NodeJS.Signals): void {
  for (const path of removeOnExit) {
    try {
      rmSync(path, { recursive: true, force: true });
    } catch {
      // best effort: the next write of the folder removes what is left
    }
  }
  removeOnExit.clear();
  for (const s of SIGNALS) process.off(s, onSignal);
  // Nobody else listens: end the process by the same signal, as it would have ended without us.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

/**
 * Removes `path` (a temporary file or a staging folder) if SIGINT, SIGTERM or SIGHUP ends the
 * process before the returned release function is called; the signal then ends the process
 * as before (exit by that signal) unless the host listens for it too. Handlers are attached only
 * while something is registered. SIGKILL cannot be caught: the next write of the folder cleans up.
 * @internal
 */
export function removeOnSignal(path: string): () => void {
  if (removeOnExit.size === 0) for (const s of SIGNALS) process.on(s, onSignal);
  removeOnExit.add(path);
  return () => {
    if (!removeOnExit.delete(path)) return;
    if (removeOnExit.size === 0) for (const s of SIGNALS) process.off(s, onSignal);
  };
}

/** fsync of the folder, so the rename itself survives a power loss. Not possible everywhere (Windows): best effort. */
async function syncFolder(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, "r");
    await handle.sync();
  } catch {
    // ignore: the data itself was synced before the rename
  } finally {
    await handle?.close().catch(() => {});
  }
}

/** Flushes a finished temporary to disk, then renames it over the target. */
async function syncAndRename(tmp: string, target: string): Promise<void> {
  const handle = await open(tmp, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, target);
}

/**
 * Replaces `target` with what `fill` writes to a fresh temporary beside it: readers see the
 * old file or the new one, never a part. On any error the temporary and any folder this call
 * created are removed and the old file (if any) is untouched.
 */
async function replaceAtomically(target: string, fill: (tmp: string) => Promise<void>): Promise<void> {
  const created = await makeParents(target);
  await removeStaleTemporaries(target);
  const tmp = temporaryPath(target);
  const release = removeOnSignal(tmp);
  try {
    await fill(tmp);
    await syncAndRename(tmp, target);
  } catch (error) {
    await rm(tmp, { force: true });
    await removeCreatedFolders(created);
    throw error;
  } finally {
    release();
  }
  await syncFolder(dirname(target));
}

/** Writes `data` to `path` atomically (temporary beside it, fsync, rename). */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await replaceAtomically(path, (tmp) => writeFile(tmp, data, { flag: "wx" }));
}

/**
 * Copies `source` to `target` atomically, for large files that should not be read into
 * memory (e.g. onnxruntime-web's wasm). Same guarantees as {@link writeFileAtomic}.
 */
export async function copyFileAtomic(source: string, target: string): Promise<void> {
  await replaceAtomically(target, (tmp) => copyFile(source, tmp, constants.COPYFILE_EXCL));
}

/**
 * A streamed output that appears at its path only when `commit()` succeeds: until then the
 * bytes go to a temporary beside it. `abort()`, a failed `commit()` or a killed process leave
 * the target as it was (a killed process leaves its temporary, which the next write of the
 * same target removes).
 */
export class AtomicFileWriter {
  private readonly stream: WriteStream;
  private failure: Error | undefined;
  private finished = false;
  private readonly release: () => void;

  private constructor(
    readonly path: string,
    private readonly tmp: string,
    private readonly createdFolders: readonly string[],
  ) {
    this.release = removeOnSignal(tmp);
    this.stream = createWriteStream(tmp, { flags: "wx" });
    this.stream.on("error", (error) => (this.failure ??= error));
  }

  static async create(path: string): Promise<AtomicFileWriter> {
    const created = await makeParents(path);
    await removeStaleTemporaries(path);
    return new AtomicFileWriter(path, temporaryPath(path), created);
  }

  /** Queues text; resolves when the stream can take more (backpressure). */
  async write(text: string): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.finished) throw new Error(`AtomicFileWriter: ${this.path} is already committed or aborted`);
    if (!this.stream.write(text)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          this.stream.off("drain", done);
          this.stream.off("close", done);
          resolve();
        };
        this.stream.on("drain", done);
        this.stream.on("close", done); // an error closes the stream without a drain
      });
      if (this.failure) throw this.failure;
    }
  }

  /** Flushes, syncs and renames the temporary over the target. On failure nothing is left behind. */
  async commit(): Promise<void> {
    if (this.finished) throw new Error(`AtomicFileWriter: ${this.path} is already committed or aborted`);
    this.finished = true;
    try {
      await new Promise<void>((resolve, reject) => this.stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
      if (this.failure) throw this.failure;
      await syncAndRename(this.tmp, this.path);
      this.release();
    } catch (error) {
      await this.cleanUp();
      throw error;
    }
    await syncFolder(dirname(this.path));
  }

  /** Drops everything written; the target path is untouched. Safe to call after a failed commit. */
  async abort(): Promise<void> {
    this.finished = true;
    await this.cleanUp();
  }

  private async cleanUp(): Promise<void> {
    if (!this.stream.closed) await new Promise<void>((resolve) => this.stream.destroy().once("close", () => resolve()));
    await rm(this.tmp, { force: true });
    this.release();
    await removeCreatedFolders(this.createdFolders);
  }
}
