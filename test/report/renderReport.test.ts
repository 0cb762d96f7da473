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
    expect(html.match(/<svg/g)?.length).toBeGreaterThanOrEqual(6); // ROC, PR, reliability, 2 importance bars, regularisation path
    for (const text of ["Comparison", "oracle", "Per profile", "Permutation importance", "Configuration", "Regularisation path", "Model domain"]) expect(html).toContain(text);
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

  it("shows heuristic, plain, seed model, ads model and oracle in that order, and per profile", () => {
    const results = JSON.parse(readFileSync(run.results, "utf8"));
    const html = readFileSync(run.report, "utf8");
    expect(results.config.features).toBe("ads");
    const labels = [
      "heuristic (hand-set, ads set)",
      "plain logistic (26 features)",
      "degree-2 logistic, seed set (20 features)",
      "degree-2 logistic, ads set (26 features, shipped)",
      "oracle (hidden state, 200+ roll-outs)",
    ];
    const at = labels.map((label) => html.indexOf(`<td>${label}</td>`));
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(html).toContain(`<td>${results.comparison.rows.degree2_seed.roc_auc.toFixed(4)}</td>`);
    expect(html).toContain("<th>seed-set model AUC</th><th>ads model AUC</th>");
    for (const [name, p] of Object.entries(results.per_profile) as Array<[string, { seed_model_roc_auc: number | null; heuristic_roc_auc: number | null }]>) {
      const row = html.slice(html.indexOf(`<tr><td>${name}</td>`));
      if (p.seed_model_roc_auc !== null) expect(row).toContain(`<td>${p.seed_model_roc_auc.toFixed(4)}</td>`);
      if (p.heuristic_roc_auc !== null) expect(row).toContain(`<td>${p.heuristic_roc_auc.toFixed(4)}</td>`);
    }
    expect(html).toContain("pointer_on_ad_seconds"); // the importance charts and the feature list name the ad features
  });

  it("a seed-set run's page has no seed row or column and names the 20 features", () => {
    const results = JSON.parse(readFileSync(run.results, "utf8"));
    // The same page shape a --features seed run gives (its results differ only in these keys for the report).
    const seedRun = { ...results, config: { ...results.config, features: "seed" }, seed_model: null, comparison: { ...results.comparison, rows: { ...results.comparison.rows, degree2_seed: null } } };
    const html = renderReport(seedRun);
    expect(html).not.toContain("seed set (20 features)</td>");
    expect(html).not.toContain("seed-set model AUC");
    expect(html).toContain("<td>degree-2 logistic, seed set (20 features, shipped)</td>");
    expect(html).toContain("<td>plain logistic (20 features)</td>");
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
