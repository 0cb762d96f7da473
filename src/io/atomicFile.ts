import { randomBytes } from "node:crypto";
import { constants, createWriteStream, type WriteStream } from "node:fs";
import { copyFile, mkdir, open, readdir, rename, rm, rmdir, writeFile } from "node:fs/promises";
import { basename, dirname, join, relative, sep } from "node:path";

/** `.NAME.PID.RANDOM.tmp`, beside the target: same file system, so the rename is atomic. */
function temporaryPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
}

function isAlive(pid: number): boolean {
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
 * Creates the parent folders of `path`; returns the ones it created, deepest first, so a
 * failed write can remove them again and leave the file system as it found it.
 */
async function makeParents(path: string): Promise<string[]> {
  const dir = dirname(path);
  const first = await mkdir(dir, { recursive: true });
  if (first === undefined) return [];
  const created = [first];
  const rest = relative(first, dir);
  if (rest !== "") {
    let current = first;
    for (const part of rest.split(sep)) created.push((current = join(current, part)));
  }
  return created.reverse();
}

async function removeCreatedFolders(created: readonly string[]): Promise<void> {
  for (const dir of created) {
    try {
      await rmdir(dir); // only if empty: never removes anything it did not create
    } catch {
      return;
    }
  }
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
  try {
    await fill(tmp);
    await syncAndRename(tmp, target);
  } catch (error) {
    await rm(tmp, { force: true });
    await removeCreatedFolders(created);
    throw error;
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

  private constructor(
    readonly path: string,
    private readonly tmp: string,
    private readonly createdFolders: readonly string[],
  ) {
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
    await removeCreatedFolders(this.createdFolders);
  }
}
