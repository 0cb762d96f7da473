import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import type { BrowserContext } from "playwright-core";
import { startStaticServer, type StaticServer } from "../../src/node/staticServer.js";
import { launchChromium, type LaunchedChromium } from "./chromium.js";

/** A fixture page served from 127.0.0.1 with its script bundled from TypeScript source, and a fresh Chromium. */
export interface BundledPageSite {
  url: string;
  context: BrowserContext;
  close(): Promise<void>;
}

export interface BundledPageOptions {
  /** Absolute path of the page's TypeScript entry. */
  entry: string;
  /** File name the bundle is served under (the html refers to it, or the test adds it). */
  script: string;
  /** index.html. */
  html: string;
}

/** Bundles `entry`, serves it with `html` from a temporary folder and starts Chromium; `close()` removes everything. */
export async function startBundledPageSite({ entry, script, html }: BundledPageOptions): Promise<BundledPageSite> {
  const dir = await mkdtemp(join(tmpdir(), "privads-page-"));
  let server: StaticServer | undefined;
  let browser: LaunchedChromium | undefined;
  try {
    const result = await build({ entryPoints: [entry], bundle: true, format: "esm", platform: "browser", target: "es2022", write: false, logLevel: "warning" });
    await writeFile(join(dir, script), result.outputFiles[0].text);
    await writeFile(join(dir, "index.html"), html);
    server = await startStaticServer({ root: dir });
    browser = await launchChromium();
  } catch (error) {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const running = browser;
  const served = server;
  return {
    url: served.url,
    context: running.context,
    async close() {
      await running.close();
      await served.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
