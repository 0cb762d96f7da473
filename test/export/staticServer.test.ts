import { request } from "node:http";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
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
function get(path: string, method = "GET"): Promise<{ status: number; type: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port: server.port, path, method }, (res) => {
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
