import { FEATURE_SETS, type FeatureSetName } from "../core/featureNames.js";
import type { MetricRow, TrainingResults } from "../results/trainingResults.js";
import { barChart, prChart, reliabilityChart, rocChart, SERIES, regularisationPathChart } from "./charts.js";

/** Row labels of the comparison table, naming each model's feature set and width. */
function labels(set: FeatureSetName): Record<(typeof SERIES)[number], string> {
  const width = FEATURE_SETS[set].length;
  return {
    heuristic: `heuristic (hand-set, ${set} set)`,
    plain_logistic: `plain logistic (${width} features)`,
    degree2_seed: `degree-2 logistic, seed set (${FEATURE_SETS.seed.length} features)`,
    degree2_logistic: `degree-2 logistic, ${set} set (${width} features, shipped)`,
    oracle: "oracle (hidden state, 200+ roll-outs)",
  };
}

const CSS = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #222; margin: 0; background: #fafafa; }
main { max-width: 1000px; margin: 0 auto; padding: 24px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
p.lead { color: #555; margin: 0 0 16px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; }
.card { background: #fff; border: 1px solid #e3e3e3; border-radius: 6px; padding: 10px 14px; min-width: 140px; }
.card b { display: block; font-size: 20px; } .card span { color: #666; font-size: 12px; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(440px, 1fr)); gap: 16px; }
figure.chart { background: #fff; border: 1px solid #e3e3e3; border-radius: 6px; margin: 0; padding: 10px; }
figure.chart > figcaption { font-weight: 600; margin-bottom: 6px; }
table { border-collapse: collapse; background: #fff; font-variant-numeric: tabular-nums; margin: 6px 0; }
th, td { border: 1px solid #e3e3e3; padding: 4px 8px; text-align: right; } th:first-child, td:first-child { text-align: left; }
thead th { background: #f0f0f0; }
.note { color: #666; font-size: 12px; }
`;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

const f4 = (v: number | null | undefined): string => (v === null || v === undefined ? "–" : v.toFixed(4));
const pct = (v: number): string => `${(v * 100).toFixed(2)} %`;

function table(head: string[], rows: string[][]): string {
  const th = head.map((h) => `<th>${escapeHtml(h)}</th>`).join("");
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join("")}</tr>`).join("\n");
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function chart(caption: string, svg: string): string {
  return `<figure class="chart"><figcaption>${escapeHtml(caption)}</figcaption>${svg}</figure>`;
}

function card(value: string, label: string): string {
  return `<div class="card"><b>${escapeHtml(value)}</b><span>${escapeHtml(label)}</span></div>`;
}

/**
 * The run's report: one self-contained HTML page (inline CSS, charts as inline SVG rendered
 * here with Observable Plot on a server-side DOM; no scripts, no external requests). It is a
 * pure function of the results and shows no timings, so the same seed gives the same bytes.
 */
export function renderReport(results: TrainingResults): string {
  const c = results.comparison;
  const h = results.held_out;
  const o = results.oracle;
  const metricHead = ["predictor", "ROC AUC", "PR AUC", "log loss", "norm. entropy", "Brier", "calib. ratio", "ECE"];
  const metricCells = (name: string, m: MetricRow): string[] => [
    name,
    f4(m.roc_auc),
    f4(m.pr_auc),
    f4(m.log_loss),
    f4(m.normalized_entropy),
    f4(m.brier),
    f4(m.calibration_ratio),
    f4(m.ece),
  ];
  const cfg = results.config;
  const reg = results.regularisation;
  const set = cfg.features;
  const names = FEATURE_SETS[set];
  const LABELS = labels(set);
  const comparisonRows = SERIES.flatMap((s) => (c.rows[s] ? [metricCells(LABELS[s], c.rows[s]!)] : []));
  const besideSeed = results.seed_model !== null;
  const profileRows = Object.entries(results.per_profile).map(([name, p]) => [
    name,
    String(p.n_samples),
    pct(p.positive_ratio),
    pct(p.mean_predicted),
    f4(p.heuristic_roc_auc),
    f4(p.plain_roc_auc),
    ...(besideSeed ? [f4(p.seed_model_roc_auc)] : []),
    f4(p.roc_auc),
    f4(o?.per_profile[name]?.model_roc_auc),
    f4(o?.per_profile[name]?.oracle_roc_auc),
  ]);
  const configRows: string[][] = [
    ["seed", String(results.seed)],
    ...(results.run_id === undefined ? [] : [["run id", results.run_id]]),
    ["windows (all / training / held-out)", `${results.n_samples} / ${results.split.train.n_samples} / ${results.split.held_out.n_samples}`],
    ["sessions (all / training / held-out)", `${results.n_sessions} / ${results.split.train.n_sessions} / ${results.split.held_out.n_sessions}`],
    ["positive rate", pct(results.positive_ratio)],
    ["features", `${set}: ${names.length} (${names.join(", ")})`],
    ["window", `size ${cfg.window.windowSize} s, step ${cfg.window.windowStep} s, min ${cfg.window.minActions} events, horizon ${cfg.window.horizon} s`],
    ["model", `degree ${cfg.model.degree} (${cfg.model.terms} terms), L2 C = ${cfg.model.C}, class weight ${cfg.model.class_weight}, ${cfg.model.solver}, tol ${cfg.model.tolerance}`],
    ["calibration", `Platt on out-of-fold margins: slope ${results.calibration.slope.toFixed(4)}, intercept ${results.calibration.intercept.toFixed(4)}`],
    ["cross-validation", `${cfg.cv.folds} folds grouped by ${cfg.cv.grouped_by}, stratified, on the training sessions`],
    ["held-out split", `${pct(cfg.split.held_out_fraction)} of sessions: ${cfg.split.rule}`],
    ["shipped model trained on", cfg.split.trained_on],
    [
      "C selection",
      reg.path
        ? `by grouped CV ROC AUC over ${reg.path.map((p) => p.C).join(", ")} (warm-started path, fits to tol ${cfg.model.cv_tolerance}): C = ${reg.C}`
        : `fixed with --C: ${reg.C}`,
    ],
    ["domain", cfg.model.domain_quantile === null ? "none (features not clamped)" : `each feature clamped to its [${cfg.model.domain_quantile}, ${1 - cfg.model.domain_quantile}] training quantiles before standardising`],
    ["oracle", o ? `${o.rollouts} roll-outs per window on ${o.n_samples} held-out windows (seeded sample), stream seed ${o.seed}` : "not run (no simulator state: trained from files)"],
  ];
  const perFeature = names.map((name) => ({ name, value: results.feature_importance.per_feature[name] }));
  const permutation = names.map((name) => ({
    name,
    value: results.feature_importance.permutation.auc_drop[name].mean,
    sd: results.feature_importance.permutation.auc_drop[name].sd,
  }));
  const topTerms = results.feature_importance.top_terms.map((t, i) => [String(i + 1), t.term, t.coefficient.toFixed(4)]);
  const cards = [
    card(f4(h.roc_auc), `held-out ROC AUC (shipped model, ${set} set)`),
    results.seed_model ? card(f4(results.seed_model.held_out.roc_auc), "held-out ROC AUC (seed-set model)") : "",
    o ? card(f4(o.roc_auc), "oracle ROC AUC (same sample)") : "",
    o ? card(`${(o.model_to_oracle * 100).toFixed(1)} %`, `model / oracle AUC (95 % CI ${(o.model_to_oracle_ci95[0] * 100).toFixed(1)}-${(o.model_to_oracle_ci95[1] * 100).toFixed(1)} %)`) : "",
    card(f4(h.calibration_ratio), "held-out calibration ratio"),
    card(f4(results.cv_results.roc_auc_mean), `CV ROC AUC ± ${f4(results.cv_results.roc_auc_std)}`),
    card(f4(results.heuristic.roc_auc), "heuristic ROC AUC (held-out)"),
  ].join("");
  const sections = [
    `<h1>PrivAds training report</h1>`,
    `<p class="lead">Ad-click prediction (click_ad within ${cfg.window.horizon} s of a window end) from page interactions. Every number below is on held-out sessions that neither training nor calibration saw, unless it says CV.</p>`,
    `<div class="cards">${cards}</div>`,
    `<h2>Comparison</h2>`,
    `<p class="note">${c.windows === "oracle_sample" ? `The ${c.n_samples} held-out windows the oracle scored (${c.n_positive} positive)` : `All ${c.n_samples} held-out windows (${c.n_positive} positive)`}. The heuristic is hand-set and not calibrated; the logistic models are fitted on the same training sessions and Platt-calibrated on their own out-of-fold margins${besideSeed ? " (the seed-set model at the same C)" : ""}; the oracle's Monte-Carlo estimate is add-half smoothed.</p>`,
    table(metricHead, comparisonRows),
    `<div class="grid">${chart("ROC curves", rocChart(c.curves.roc))}${chart("Precision-recall curves", prChart(c.curves.pr, c.n_positive / c.n_samples))}</div>`,
    `<h2>Calibration (shipped model, all ${h.n_samples} held-out windows)</h2>`,
    `<div class="grid">${chart(`Reliability, 10 bins: calibration ratio ${f4(h.calibration_ratio)}, ECE ${f4(h.ece)}`, reliabilityChart(h.reliability))}<div>${table(
      ["bin", "windows", "mean predicted", "observed"],
      h.reliability.map((b) => [`${b.lower.toFixed(1)}-${b.upper.toFixed(1)}`, String(b.count), f4(b.mean_predicted), f4(b.observed_rate)]),
    )}</div></div>`,
    `<h2>Per profile (held-out)</h2>`,
    table(
      [
        "profile",
        "windows",
        "positive rate",
        "mean predicted",
        "heuristic AUC",
        "plain AUC",
        ...(besideSeed ? ["seed-set model AUC"] : []),
        `${set} model AUC`,
        "model AUC (oracle sample)",
        "oracle AUC (oracle sample)",
      ],
      profileRows,
    ),
    `<h2>Feature importance</h2>`,
    `<div class="grid">${chart("Coefficient aggregate (share of |standardised coefficients|)", barChart(perFeature, "share", "#4e79a7"))}${chart(
      `Permutation importance (held-out ROC AUC drop, mean ± sd of ${results.feature_importance.permutation.repeats})`,
      barChart(permutation, "AUC drop", "#f28e2b"),
    )}</div>`,
    `<h3>Top 15 terms by |standardised coefficient|</h3>`,
    table(["#", "term", "coefficient"], topTerms),
    reg.path
      ? `<h2>Regularisation path</h2>${chart(
          `Grouped CV ROC AUC by C, mean ± sd of ${cfg.cv.folds} folds (red: chosen; dashed: plain model, ${reg.plain_cv.roc_auc_mean.toFixed(4)})`,
          regularisationPathChart(reg.path, reg.C, reg.plain_cv.roc_auc_mean),
        )}${table(
          ["C", "CV ROC AUC", "sd", "CV PR AUC", "iterations (5 folds)"],
          reg.path.map((p) => [String(p.C), f4(p.roc_auc_mean), f4(p.roc_auc_std), f4(p.pr_auc_mean), String(p.iterations)]),
        )}`
      : "",
    results.domain
      ? `<h2>Model domain</h2><p>Each feature is clamped to its [${results.domain.quantile}, ${1 - results.domain.quantile}] training quantiles before standardising, in training and in every runtime.</p>${table(
          ["rows", "count", "clamped (at least one feature)"],
          [
            ["held-out windows", results.domain.held_out.windows.toLocaleString("en-US"), pct(results.domain.held_out.clamped)],
            ...(results.domain.readers === null
              ? [["scripted readers' live readings", "–", "traces not available"]]
              : [
                  ["scripted readers' live readings (docs/readers.md)", results.domain.readers.readings.toLocaleString("en-US"), pct(results.domain.readers.clamped)],
                  ...Object.entries(results.domain.readers.per_reader).map(([name, share]) => [`&nbsp;&nbsp;${name}`, "", pct(share)]),
                ]),
          ],
        )}${table(
          ["feature", "held-out windows clamped"],
          Object.entries(results.domain.held_out.per_feature)
            .filter(([, share]) => share > 0)
            .sort((a, b) => b[1] - a[1])
            .map(([name, share]) => [name, pct(share)]),
        )}`
      : "",
    `<h2>Configuration</h2>`,
    table(["setting", "value"], configRows),
  ];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
${results.run_id === undefined ? "" : `<meta name="privads-run" content="${results.run_id}" data-seed="${results.seed}">\n`}<title>PrivAds training report (seed ${results.seed})</title>
<style>${CSS}</style>
</head>
<body>
<main>
${sections.join("\n")}
</main>
</body>
</html>
`;
}
