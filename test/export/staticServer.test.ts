import { request } from "node:http";
import { connect } from "node:net";
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStaticServer, type StaticServer } from "../../src/node/staticServer.js";

const tmp = mkdtempSync(join(tmpdir(), "privads-serve-"));
const root = join(tmp, "public");
let server: StaticServer;

beforeAll(async () => {
  mkdirSync(join(root, "ort"), { recursive: true });
  writeFileSync(join(root, "index.html"), "<p>index</p>");
  writeFileSync(join(root, "demo.html"), "<p>demo</p>");
  writeFileSync(join(root, "interaction_predictor.js"), "export {};");
  writeFileSync(join(root, "interaction_predictor.onnx"), new Uint8Array([8, 8]));
  writeFileSync(join(root, "ort", "ort-wasm-simd-threaded.wasm"), new Uint8Array([0, 97, 115, 109]));
  writeFileSync(join(root, "ort", "ort.wasm.bundle.min.mjs"), "export {};");
  writeFileSync(join(tmp, "secret.txt"), "secret");
  symlinkSync(join(tmp, "secret.txt"), join(root, "link.txt"));
  server = await startStaticServer({ root });
});
afterAll(async () => {
  await server.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** Raw HTTP (fetch would normalise `..` away before sending). */
function get(path: string, method = "GET", on = server, headers: Record<string, string> = {}): Promise<{ status: number; type: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port: on.port, path, method, headers }, (res) => {
      let body = "";
      res.setEncoding("latin1");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, type: res.headers["content-type"], body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("startStaticServer", () => {
  it("listens on 127.0.0.1 only", () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it.each([
    ["/demo.html", "text/html; charset=utf-8"],
    ["/interaction_predictor.js", "text/javascript; charset=utf-8"],
    ["/ort/ort.wasm.bundle.min.mjs", "text/javascript; charset=utf-8"],
    ["/ort/ort-wasm-simd-threaded.wasm", "application/wasm"],
    ["/interaction_predictor.onnx", "application/octet-stream"],
    ["/", "text/html; charset=utf-8"],
    ["/demo.html?runtime=builtin", "text/html; charset=utf-8"],
  ])("serves %s as %s", async (path, type) => {
    const res = await get(path);
    expect(res.status).toBe(200);
    expect(res.type).toBe(type);
  });

  it.each(["/../secret.txt", "/ort/../../secret.txt", "/%2e%2e/secret.txt", "/ort/%2e%2e%2f%2e%2e%2fsecret.txt", "/..%5csecret.txt", "/link.txt", "/demo.html%00.txt", "/missing.js", "/%E0%A4%A"])(
    "refuses %s without leaking anything outside the root",
    async (path) => {
      const res = await get(path);
      expect([400, 404]).toContain(res.status);
      expect(res.body).not.toContain("secret");
    },
  );

  it("answers HEAD without a body and refuses other methods", async () => {
    const head = await get("/demo.html", "HEAD");
    expect(head.status).toBe(200);
    expect(head.body).toBe("");
    expect((await get("/demo.html", "POST")).status).toBe(405);
  });
});

describe("startStaticServer against DNS rebinding", () => {
  it.each(["127.0.0.1", "localhost", "LOCALHOST", "[::1]"])("answers Host %s:PORT", async (name) => {
    expect((await get("/demo.html", "GET", server, { host: `${name}:${server.port}` })).status).toBe(200);
  });

  it.each(["evil.example", "attacker.test:PORT", "localhost", "127.0.0.1:1", "localhost.evil.example:PORT", "127.0.0.2:PORT"])(
    "refuses Host %j with 421 and no file content",
    async (host) => {
      const res = await get("/demo.html", "GET", server, { host: host.replace("PORT", String(server.port)) });
      expect(res.status).toBe(421);
      expect(res.body).not.toContain("demo");
    },
  );

  it("refuses an HTTP/1.0 request without a Host header with 421", async () => {
    const reply = await new Promise<string>((resolve, reject) => {
      let text = "";
      const socket = connect(server.port, "127.0.0.1", () => socket.end("GET /demo.html HTTP/1.0\r\n\r\n"));
      socket.setEncoding("latin1");
      socket.on("data", (chunk: string) => (text += chunk));
      socket.on("end", () => resolve(text));
      socket.on("error", reject);
    });
    expect(reply).toMatch(/^HTTP\/1\.[01] 421 /);
    expect(reply).not.toContain("<p>demo</p>");
  });
});

describe("startStaticServer when the file changes between the check and the read", () => {
  // Tests run as root, where chmod 000 does not stop a read: the hook swaps the file for
  // something else after the server's checks and before it opens it.
  // Before the fix the first case left the request hanging on an unhandled stream error (which
  // kills `privads serve`) and the FIFO blocked the open forever.
  const cases: Array<[string, number, (file: string) => void]> = [
    ["deleted", 404, (file) => unlinkSync(file)],
    ["replaced by a directory", 404, (file) => (unlinkSync(file), mkdirSync(file))],
    ["replaced by a FIFO (whose open would block)", 404, (file) => (unlinkSync(file), execFileSync("mkfifo", [file]))],
  ];
  it.each(cases)("answers a file %s with %i and keeps serving", { timeout: 5_000 }, async (_, status, swap) => {
    const dir = mkdtempSync(join(tmpdir(), "privads-serve-race-"));
    writeFileSync(join(dir, "a.js"), "export {};");
    writeFileSync(join(dir, "b.js"), "export {};");
    const racy = await startStaticServer({ root: dir, beforeOpen: (file) => (file.endsWith("a.js") ? swap(file) : undefined) });
    try {
      expect((await get("/a.js", "GET", racy)).status).toBe(status);
      expect((await get("/b.js", "GET", racy)).status).toBe(200);
    } finally {
      await racy.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(process.getuid?.() === 0)("answers an unreadable file with 403 and keeps serving (non-root only)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "privads-serve-perm-"));
    writeFileSync(join(dir, "a.js"), "export {};");
    chmodSync(join(dir, "a.js"), 0o000);
    const locked = await startStaticServer({ root: dir });
    try {
      expect((await get("/a.js", "GET", locked)).status).toBe(403);
      expect((await get("/", "GET", locked)).status).toBe(404);
    } finally {
      await locked.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
