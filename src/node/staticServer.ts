import { createReadStream } from "node:fs";
import { realpath, stat } from "node:fs/promises";
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
 * separators, NUL bytes and symlinks leading out are all refused with 404/400).
 */
export async function startStaticServer(options: StaticServerOptions): Promise<StaticServer> {
  const root = await realpath(resolve(options.root));
  const host = options.host ?? "127.0.0.1";
  const server = createServer((req, res) => {
    handle(root, req, res).catch(() => {
      if (!res.headersSent) send(res, 500, "internal error");
      else res.destroy();
    });
  });
  await new Promise<void>((ok, fail) => {
    server.once("error", fail);
    server.listen(options.port ?? 0, host, () => ok());
  });
  const { port } = server.address() as AddressInfo;
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

async function handle(root: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
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
  try {
    let info = await stat(file);
    if (info.isDirectory()) {
      file = join(file, "index.html");
      info = await stat(file);
    }
    const real = await realpath(file);
    if (!info.isFile() || (real !== root && !real.startsWith(root + sep))) return send(res, 404, "not found");
    res.writeHead(200, {
      "Content-Type": MIME_TYPES[extname(real).toLowerCase()] ?? "application/octet-stream",
      "Content-Length": info.size,
      "Cache-Control": "no-cache",
      "X-Content-Type-Options": "nosniff",
    });
    if (req.method === "HEAD") return void res.end();
    createReadStream(real).pipe(res);
  } catch {
    send(res, 404, "not found");
  }
}

function send(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8" });
  res.end(text + "\n");
}
