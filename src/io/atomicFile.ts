import { randomBytes } from "node:crypto";
import { createWriteStream, type WriteStream } from "node:fs";
import { mkdir, open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

function temporaryPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
}

/**
 * Writes `data` to `path` so that readers see the old file or the new one, never a part:
 * the bytes go to a temporary file beside it, are flushed to disk, then renamed over it.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = temporaryPath(path);
  try {
    const handle = await open(tmp, "w");
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

/** A streamed output that appears at its path only when `commit()` succeeds. */
export class AtomicFileWriter {
  private readonly stream: WriteStream;
  private failure: Error | undefined;

  private constructor(
    readonly path: string,
    private readonly tmp: string,
  ) {
    this.stream = createWriteStream(tmp);
    this.stream.on("error", (error) => (this.failure ??= error));
  }

  static async create(path: string): Promise<AtomicFileWriter> {
    await mkdir(dirname(path), { recursive: true });
    return new AtomicFileWriter(path, temporaryPath(path));
  }

  /** Queues text; resolves when the stream can take more (backpressure). */
  async write(text: string): Promise<void> {
    if (this.failure) throw this.failure;
    if (!this.stream.write(text)) await new Promise<void>((resolve) => this.stream.once("drain", resolve));
  }

  async commit(): Promise<void> {
    await new Promise<void>((resolve, reject) => this.stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
    if (this.failure) {
      await rm(this.tmp, { force: true });
      throw this.failure;
    }
    const handle = await open(this.tmp, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(this.tmp, this.path);
  }

  /** Drops everything written; the target path is untouched. */
  async abort(): Promise<void> {
    await new Promise<void>((resolve) => this.stream.end(() => resolve()));
    await rm(this.tmp, { force: true });
  }
}
