import { mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, type LaunchedChromium } from "../support/chromium.js";
import { smallRun } from "./reportFixture.js";

// `npm run screenshots` refreshes the README's picture; plain test runs leave docs/ alone.
const SCREENSHOT_DIR = process.env.UPDATE_SCREENSHOTS ? fileURLToPath(new URL("../../docs/images/", import.meta.url)) : join(tmpdir(), "privads-screenshots");
const SCREENSHOT = join(SCREENSHOT_DIR, "report.png");
const PICTURE_RUN = process.env.UPDATE_SCREENSHOTS ? { samples: 50_000, oracleWindows: 2000, rollouts: 200, tune: false } : undefined;
let run: Awaited<ReturnType<typeof smallRun>>;
let browser: LaunchedChromium;

beforeAll(async () => {
  // The README's picture shows a default-size run (50,000 windows); the test itself a small one.
  run = await smallRun(42, PICTURE_RUN);
  // The README's screenshot is taken at this width.
  browser = await launchChromium({ viewport: { width: 1100, height: 900 } });
});
afterAll(async () => {
  await browser?.close();
  rmSync(run.dir, { recursive: true, force: true });
});

describe("report.html in Chromium", () => {
  it("renders every chart offline, with no console errors and no network request", async () => {
    const page = await browser.context.newPage();
    const url = pathToFileURL(run.report).href;
    const blocked: string[] = [];
    await page.route("**/*", (route) => {
      if (route.request().url() === url) return route.continue();
      blocked.push(route.request().url());
      return route.abort();
    });
    const errors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(url, { waitUntil: "load" });
    const charts = await page.$$eval("figure.chart", (figures) =>
      figures.map((figure) => {
        // The chart's own SVG: the largest one (a colour legend adds small swatch SVGs).
        const area = (el: Element) => el.getBoundingClientRect().width * el.getBoundingClientRect().height;
        const svg = Array.from(figure.querySelectorAll("svg")).sort((a, b) => area(b) - area(a))[0];
        const box = svg?.getBoundingClientRect();
        const drawn = Array.from(svg?.querySelectorAll("path, rect, circle") ?? []).filter((el) => {
          if (el.tagName === "path") return (el.getAttribute("d") ?? "").length > 10;
          const b = el.getBoundingClientRect();
          return b.width > 0 && b.height > 0;
        }).length;
        return { caption: figure.querySelector("figcaption")?.textContent ?? "", width: box?.width ?? 0, height: box?.height ?? 0, drawn };
      }),
    );
    // ROC, PR, reliability, two importance charts, and the C sweep when the run tuned C.
    expect(charts.length).toBeGreaterThanOrEqual(PICTURE_RUN ? 5 : 6);
    for (const chart of charts) {
      expect(chart.width, chart.caption).toBeGreaterThan(100);
      expect(chart.height, chart.caption).toBeGreaterThan(100);
      expect(chart.drawn, chart.caption).toBeGreaterThan(3);
    }
    // ROC and PR draw one line per predictor (4 with the oracle), ROC and reliability a diagonal.
    const rocLines = await page.$$eval("figure.chart svg [aria-label='line'] path", (paths) => paths.length);
    expect(rocLines).toBeGreaterThanOrEqual(10);
    expect(errors).toEqual([]);
    expect(blocked).toEqual([]);
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    await page.close();
  });
});
