import type { ActionType, InteractionPredictor } from "privads";
import { useClickPrediction, usePrivAds } from "privads/react";
import { useEffect, useState } from "react";
import { featureContributions, type Contribution } from "./featureContributions";
import { formatProbability } from "./formatProbability";
import { Sparkline, type SparkPoint } from "./Sparkline";

const HISTORY = 120;

function formatValue(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(3);
}


export function LivePanel({ predictor, runtime }: { predictor: InteractionPredictor; runtime: string }) {
  const { probability, features, featureSet, source, ready, error, t, eventCount, adsInView, pointerOnAd } = useClickPrediction();
  const { tracker, downloadSession } = usePrivAds();
  const [history, setHistory] = useState<SparkPoint[]>([]);
  const [contributions, setContributions] = useState<Contribution[]>([]);
  const [recent, setRecent] = useState<ActionType[]>([]);

  useEffect(() => {
    if (probability === null) return;
    setHistory((points) => {
      const last = points[points.length - 1];
      const next = last && last.t === t ? points.slice(0, -1) : points;
      return [...next, { t, p: probability }].slice(-HISTORY);
    });
  }, [probability, t]);

  useEffect(() => {
    if (probability === null || features === null || source === null || featureSet === null) return;
    let current = true;
    featureContributions(features, featureSet, probability, source, predictor).then(
      (list) => current && setContributions(list.slice(0, 5)),
      () => current && setContributions([]),
    );
    return () => {
      current = false;
    };
  }, [features, featureSet, probability, source, predictor]);

  useEffect(() => {
    if (!tracker) return;
    return tracker.onEvent((event) => setRecent((list) => [event.type, ...list].slice(0, 8)));
  }, [tracker]);

  const status = error
    ? `model unavailable (${error.message}); heuristic fallback. Run "npm run demo" to train and export one.`
    : ready
      ? `model ready (${runtime})`
      : "loading model; heuristic meanwhile";
  return (
    <aside className="panel" aria-label="PrivAds live prediction">
      <h2>Live prediction</h2>
      <output
        className="probability"
        data-testid="probability"
        data-probability={probability === null ? "" : String(probability)}
        data-t={String(t)}
        data-source={source ?? ""}
        data-ready={String(ready)}
        data-event-count={String(eventCount)}
        data-feature-set={featureSet ?? ""}
        data-ads-in-view={String(adsInView)}
        data-pointer-on-ad={String(pointerOnAd)}
      >
        {probability === null ? "–" : formatProbability(probability)}
      </output>
      <p className="caption">chance of an ad click in the next 30 s</p>
      <ul className="ad-state" data-testid="ad-state" aria-label="Ad state">
        <li className={adsInView > 0 ? "on" : "off"} data-testid="ad-in-view">
          ad in view: <strong>{adsInView > 0 ? (adsInView === 1 ? "yes" : `yes (${adsInView})`) : "no"}</strong>
        </li>
        <li className={pointerOnAd ? "on" : "off"} data-testid="pointer-on-ad">
          pointer on ad: <strong>{pointerOnAd ? "yes" : "no"}</strong>
        </li>
      </ul>
      <p className={`source source-${source ?? "none"}`} data-testid="source">
        source: <strong>{source ?? "–"}</strong>
        {featureSet ? ` (${featureSet === "ads" ? "26 features, ads set" : "20 features, seed set"})` : ""} · {eventCount} actions in window · t = {t.toFixed(1)} s
      </p>
      <p className={error ? "status error" : "status"}>{status}</p>
      <Sparkline points={history} />
      <h3>Top contributing features</h3>
      <table className="features">
        <tbody>
          {contributions.map((c) => (
            <tr key={c.name}>
              <td>{c.name}</td>
              <td>{formatValue(c.value)}</td>
              <td className={c.effect >= 0 ? "up" : "down"}>
                {c.effect >= 0 ? "+" : "−"}
                {(Math.abs(c.effect) * 100).toFixed(2)} pp
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Recent actions</h3>
      <ol className="recent" data-testid="recent">
        {recent.map((type, i) => (
          <li key={i}>{type}</li>
        ))}
      </ol>
      <button type="button" className="download" data-testid="download" onClick={() => downloadSession("privads-session.jsonl")} disabled={!tracker}>
        Download my session (JSONL)
      </button>
      <p className="privacy">Recorded: action type, time, scroll depth; how many ads are in view and whether the pointer is on one. Nothing leaves this tab.</p>
    </aside>
  );
}
