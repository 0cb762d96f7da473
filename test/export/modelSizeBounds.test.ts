import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { decodeOnnxModel } from "../../src/browser/decodeOnnxModel.js";
import { InteractionPredictor } from "../../src/browser/interactionPredictor.js";
import { MAX_PROTO_FIELDS } from "../../src/browser/protobufReader.js";
import { ModelFormatError } from "../../src/core/interactionModel.js";
import { MAX_MODEL_BYTES } from "../../src/core/modelContract.js";
import { buildOnnxModel } from "../../src/export/onnxExporter.js";
import { loadModelFile } from "../../src/node/loadModelFile.js";
import { randomModel } from "./testModel.js";

const MiB = 1024 * 1024;
const tmp = mkdtempSync(join(tmpdir(), "privads-bomb-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** `size` bytes of two-byte protobuf fields (field 1, varint 0): one object per 2 bytes for a naive decoder. */
function tinyFields(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let k = 0; k + 1 < size; k += 2) bytes[k] = 0x08;
  return bytes;
}

/** A metadata_props entry (field 14, read first) wrapping `size` bytes of tiny fields: the bomb one level down. */
function nestedTinyFields(size: number): Uint8Array {
  const inner = tinyFields(size);
  const header: number[] = [0x72]; // field 14, wire type 2
  for (let n = inner.length; ; n = Math.floor(n / 128)) {
    if (n < 128) {
      header.push(n);
      break;
    }
    header.push((n % 128) | 0x80);
  }
  const out = new Uint8Array(header.length + inner.length);
  out.set(header);
  out.set(inner, header.length);
  return out;
}

/** Runs `work`, returning its time and the heap it grew by (after a GC when exposed). */
function measure(work: () => void): { ms: number; heapMB: number } {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const heap = process.memoryUsage().heapUsed;
  const start = performance.now();
  work();
  const ms = performance.now() - start;
  return { ms, heapMB: (process.memoryUsage().heapUsed - heap) / MiB };
}

describe("model size and decode work are bounded before anything is allocated", () => {
  it("our own models are far below the bounds", () => {
    for (const set of ["ads", "seed"] as const) {
      const bytes = buildOnnxModel(randomModel(3, set));
      expect(bytes.length).toBeLessThan(MAX_MODEL_BYTES / 40);
      expect(() => decodeOnnxModel(bytes)).not.toThrow();
    }
  });

  /** Decodes `bomb`, returning what it threw and what that cost. */
  const refuse = (bomb: Uint8Array) => {
    let error: unknown;
    const cost = measure(() => {
      try {
        decodeOnnxModel(bomb, "bomb.onnx");
      } catch (e) {
        error = e;
      }
    });
    return { error, ...cost };
  };

  it("refuses a 30 MB file of tiny fields at once (before the fix: 2.9 s and 1.2 GB of RSS here)", () => {
    const bomb = tinyFields(30 * MiB);
    const { error, ms, heapMB } = refuse(bomb);
    expect(error).toBeInstanceOf(ModelFormatError);
    expect((error as Error).message).toMatch(/^bomb\.onnx: 31457280 bytes, over the 1048576-byte \(1 MiB\) limit of a PrivAds model/);
    expect(ms).toBeLessThan(50);
    expect(heapMB).toBeLessThan(5);
  });

  it.each([
    ["at the top level", tinyFields(MAX_MODEL_BYTES)],
    ["inside a metadata entry", nestedTinyFields(MAX_MODEL_BYTES - 8)],
  ])("refuses a 1 MiB file of tiny fields %s by counting fields as it reads", (_, bomb) => {
    expect(bomb.length).toBeLessThanOrEqual(MAX_MODEL_BYTES);
    const { error, ms, heapMB } = refuse(bomb);
    expect(error).toBeInstanceOf(ModelFormatError);
    expect((error as Error).message).toContain(`over ${MAX_PROTO_FIELDS} protobuf fields`);
    expect(ms).toBeLessThan(100);
    expect(heapMB).toBeLessThan(20);
  });

  it("loadModelFile refuses a 30 MB .onnx or .json file without reading it", async () => {
    for (const name of ["bomb.onnx", "bomb.json"]) {
      const path = join(tmp, name);
      writeFileSync(path, tinyFields(30 * MiB));
      const start = performance.now();
      await expect(loadModelFile(path)).rejects.toThrow(new RegExp(`${name}: 31457280 bytes, over the 1048576-byte`));
      expect(performance.now() - start).toBeLessThan(100);
    }
  });

  it("the predictor refuses a model whose Content-Length is over the bound without reading the body", async () => {
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(64 * 1024));
      },
    });
    const fetch = (async () => new Response(body, { headers: { "content-length": String(30 * MiB) } })) as typeof globalThis.fetch;
    const predictor = new InteractionPredictor({ modelUrl: "/m.onnx", fetch });
    await expect(predictor.initialize()).rejects.toThrow(/^\/m\.onnx: 31457280 bytes, over the 1048576-byte/);
    expect(pulled).toBeLessThanOrEqual(1); // the stream's own first pull, never read
  });

  it("the predictor stops a body without Content-Length at the bound and cancels the download", async () => {
    let sent = 0;
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 64 * 1024;
        controller.enqueue(new Uint8Array(64 * 1024));
      },
      cancel() {
        cancelled = true;
      },
    });
    const fetch = (async () => new Response(body)) as typeof globalThis.fetch;
    const predictor = new InteractionPredictor({ modelUrl: "/endless.onnx", fetch });
    await expect(predictor.initialize()).rejects.toThrow(/^\/endless\.onnx: \d+ bytes, over the 1048576-byte/);
    expect(cancelled).toBe(true);
    expect(sent).toBeLessThanOrEqual(MAX_MODEL_BYTES + 3 * 64 * 1024);
  });

  it("the predictor refuses model bytes passed directly beyond the bound", async () => {
    const predictor = new InteractionPredictor({ model: tinyFields(2 * MiB) });
    await expect(predictor.initialize()).rejects.toThrow(/InteractionPredictor model bytes: 2097152 bytes, over the/);
  });
});
