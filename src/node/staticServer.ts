import { constants } from "node:fs";
import { open, realpath, stat, type FileHandle } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, resolve, sep } from "node:path";

/** MIME types by extension; anything else is served as application/octet-stream. */
export const MIME_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".onnx": "application/octet-stream",
  ".map": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".csv": "text/csv; charset=utf-8",
};

export interface StaticServerOptions {
  /** Folder to serve. */
  root: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1; the server is for local use only. */
  host?: string;
  /**
   * Called with the resolved file path after the checks and before the file is opened; tests
   * use it to change the file in between (a race the server must survive). @internal
   */
  beforeOpen?: (file: string) => Promise<void> | void;
}

export interface StaticServer {
  /** e.g. `http://127.0.0.1:5173/` */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * A small static file server for the exported browser files: GET/HEAD only, no directory
 * listings (a folder serves its index.html), no access outside `root` (`..`, encoded
 * separators, NUL bytes and symlinks leading out are all refused with 404/400). Only requests
 * whose `Host` is this server by a loopback name (`127.0.0.1:PORT`, `localhost:PORT`,
 * `[::1]:PORT`) are answered; others get 421, so a DNS-rebinding page cannot read the folder.
 * A file that cannot be opened or read (permissions, removed or replaced meanwhile) gets
 * 403/404/500 for that request only; the server keeps running (docs/robustness.md).
 */
export async function startStaticServer(options: StaticServerOptions): Promise<StaticServer> {
  const root = await realpath(resolve(options.root));
  const host = options.host ?? "127.0.0.1";
  let allowedHosts: ReadonlySet<string> = new Set();
  const server = createServer((req, res) => {
    if (!allowedHosts.has((req.headers.host ?? "").toLowerCase())) {
      return send(res, 421, "misdirected request: this server answers only to its loopback address (Host 127.0.0.1, localhost or [::1] with its port)");
    }
    handle(root, req, res, options.beforeOpen).catch(() => {
      if (!res.headersSent) send(res, 500, "internal error");
      else res.destroy();
    });
  });
  await new Promise<void>((ok, fail) => {
    server.once("error", fail);
    server.listen(options.port ?? 0, host, () => ok());
  });
  const { port } = server.address() as AddressInfo;
  allowedHosts = loopbackHosts(host, port);
  return {
    url: `http://${host}:${port}/`,
    port,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

/**
 * The `Host` values a browser sends for this server: loopback names with the port (and without
 * it on port 80, the default), plus the address it listens on, lower case.
 */
function loopbackHosts(host: string, port: number): ReadonlySet<string> {
  const names = new Set(["127.0.0.1", "localhost", "[::1]", host.includes(":") ? `[${host}]` : host]);
  return new Set([...names].flatMap((name) => (port === 80 ? [name, `${name}:${port}`] : [`${name}:${port}`])).map((h) => h.toLowerCase()));
}

/** The status for a failed open or read: 403 for permissions, 404 for gone, 500 otherwise. */
function statusOf(error: unknown): [number, string] {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "EACCES" || code === "EPERM") return [403, "forbidden"];
  if (code === "ENOENT" || code === "ENOTDIR" || code === "EISDIR" || code === "ELOOP") return [404, "not found"];
  return [500, "internal error"];
}

async function handle(root: string, req: IncomingMessage, res: ServerResponse, beforeOpen: StaticServerOptions["beforeOpen"]): Promise<void> {
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.setHeader("Allow", "GET, HEAD");
    return send(res, 405, "method not allowed");
  }
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname);
  } catch {
    return send(res, 400, "bad request");
  }
  if (pathname.includes("\0") || pathname.includes("\\")) return send(res, 400, "bad request");
  let file = resolve(root, "." + pathname);
  if (file !== root && !file.startsWith(root + sep)) return send(res, 404, "not found");
  let real: string;
  try {
    let info = await stat(file);
    if (info.isDirectory()) {
      file = join(file, "index.html");
      info = await stat(file);
    }
    real = await realpath(file);
    if (!info.isFile() || (real !== root && !real.startsWith(root + sep))) return send(res, 404, "not found");
  } catch (error) {
    const [status, text] = statusOf(error);
    return send(res, status, text);
  }
  // The file may change between the checks above and here: it is opened once, checked again
  // through the open handle (O_NONBLOCK: a FIFO put in its place must not block the open), and
  // served from that handle, so what is sent is what was checked.
  let opened: FileHandle;
  try {
    await beforeOpen?.(real);
    opened = await open(real, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const [status, text] = statusOf(error);
    return send(res, status, text);
  }
  try {
    const info = await opened.stat();
    if (!info.isFile()) {
      await opened.close();
      return send(res, 404, "not found");
    }
    res.writeHead(200, {
      "Content-Type": MIME_TYPES[extname(real).toLowerCase()] ?? "application/octet-stream",
      "Content-Length": info.size,
      "Cache-Control": "no-cache",
      "X-Content-Type-Options": "nosniff",
    });
    if (req.method === "HEAD") {
      await opened.close();
      return void res.end();
    }
  } catch (error) {
    await opened.close().catch(() => undefined);
    throw error;
  }
  // A read error once the headers are out can only cut the response short.
  const stream = opened.createReadStream({ autoClose: true });
  stream.on("error", () => res.destroy());
  res.on("close", () => stream.destroy());
  stream.pipe(res);
}

function send(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8" });
  res.end(text + "\n");
}
