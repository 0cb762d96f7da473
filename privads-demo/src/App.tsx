import { InteractionPredictor, type RuntimeName } from "privads";
import { PrivAdsProvider } from "privads/react";
import { useState } from "react";
import { Article } from "./Article";
import { LivePanel } from "./LivePanel";

/** `?runtime=onnxruntime-web` switches from the builtin runtime (needs `privads export --with-onnxruntime-web`). */
function chosenRuntime(): "builtin" | "onnxruntime-web" {
  return new URLSearchParams(window.location.search).get("runtime") === "onnxruntime-web" ? "onnxruntime-web" : "builtin";
}

export function App() {
  const [runtime] = useState<RuntimeName>(chosenRuntime);
  // The predictor is created here (not by the provider) so the panel can also ask it which
  // features move the probability. Constructing it has no side effects; loading starts in the provider.
  const [predictor] = useState(
    () =>
      new InteractionPredictor({
        modelUrl: `${import.meta.env.BASE_URL}models/interaction_predictor.onnx`,
        runtime,
        wasmPaths: `${import.meta.env.BASE_URL}models/ort/`,
      }),
  );
  return (
    <PrivAdsProvider predictor={predictor} intervalMs={1000}>
      <div className="layout">
        <div className="gutter" aria-hidden="true" />
        <Article />
        <LivePanel predictor={predictor} runtime={runtime} />
      </div>
    </PrivAdsProvider>
  );
}
