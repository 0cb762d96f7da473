import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";

/** The Chromium binary: PRIVADS_CHROMIUM, else the system's /usr/bin/chromium. */
export const CHROMIUM_PATH = process.env.PRIVADS_CHROMIUM ?? "/usr/bin/chromium";

/**
 * Flags for every launch: no sandbox (containers and CI run as root), no GPU, and none of the
 * browser's own traffic (updates, sync, first-run pages), so a test that counts the page's
 * requests sees only the page's. Smooth scrolling off: a wheel event lands at once instead of
 * animating in real time, so tests await the scroll event rather than wait for an animation.
 */
export const CHROMIUM_FLAGS: readonly string[] = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-smooth-scrolling",
];

export interface ChromiumOptions {
  /** Page size; default 1400 x 900. */
  viewport?: { width: number; height: number };
}

/** A running headless Chromium; `close()` also deletes its profile. */
export interface LaunchedChromium {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/**
 * The one way tests and benchmarks start Chromium: headless, a fresh profile in a new temporary
 * folder (no state shared between runs or files), the flags above.
 */
export async function launchChromium(options: ChromiumOptions = {}): Promise<LaunchedChromium> {
  const profile = await mkdtemp(join(tmpdir(), "privads-chromium-"));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      viewport: options.viewport ?? { width: 1400, height: 900 },
      acceptDownloads: true,
      args: [...CHROMIUM_FLAGS],
    });
  } catch (error) {
    await rm(profile, { recursive: true, force: true });
    throw error;
  }
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
