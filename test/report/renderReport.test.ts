import { readFileSync, rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderReport } from "../../src/report/renderReport.js";
import { smallRun } from "./reportFixture.js";

let run: Awaited<ReturnType<typeof smallRun>>;
beforeAll(async () => {
  run = await smallRun();
});
afterAll(() => rmSync(run.dir, { recursive: true, force: true }));

describe("report.html", () => {
  it("is one self-contained page: inline CSS and SVG, no script, no external reference", () => {
    const html = readFileSync(run.report, "utf8");
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\b(src|href)="(?!data:|#)/i); // only data: and in-page links
    expect(html).not.toMatch(/url\((?!#)/i);
    expect(html).not.toMatch(/@import/i);
    expect(html.match(/<svg/g)?.length).toBeGreaterThanOrEqual(6); // ROC, PR, reliability, 2 importance bars, tuning
    for (const text of ["Comparison", "oracle", "Per profile", "Permutation importance", "Configuration", "Regularisation sweep"]) expect(html).toContain(text);
  });

  it("is a pure function of the results, without timings", () => {
    const results = JSON.parse(readFileSync(run.results, "utf8"));
    const html = readFileSync(run.report, "utf8");
    expect(renderReport(results)).toBe(html);
    const other = { ...results, timings_ms: { fit: 1, cross_validate: 2 }, peak_rss_mb: 1 };
    expect(renderReport(other)).toBe(html);
  });

  it("shows the comparison numbers from the results", () => {
    const results = JSON.parse(readFileSync(run.results, "utf8"));
    const html = readFileSync(run.report, "utf8");
    for (const row of Object.values(results.comparison.rows) as Array<{ roc_auc: number } | null>) {
      if (row) expect(html).toContain(`<td>${row.roc_auc.toFixed(4)}</td>`);
    }
    expect(html).toContain(results.held_out.calibration_ratio.toFixed(4));
  });

  it("gives the same bytes for the same seed", async () => {
    const again = await smallRun();
    try {
      expect(readFileSync(again.report)).toEqual(readFileSync(run.report));
      expect(readFileSync(again.dir + "/interaction_predictor.json")).toEqual(readFileSync(run.dir + "/interaction_predictor.json"));
    } finally {
      rmSync(again.dir, { recursive: true, force: true });
    }
  });
});
