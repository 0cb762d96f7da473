/**
 * The exact ONNX graph PrivAds exports, declared once as data. The exporter
 * (`src/export/onnxExporter.ts`) writes it and the builtin runtime's decoder
 * (`src/browser/decodeOnnxModel.ts`) accepts nothing else. Platform-neutral, no imports:
 * it sits in src/onnx so the writer (Node) and the reader (browser bundle) share it.
 */

/** ONNX IR version (onnx 1.12's checker accepts <= 8). */
export const ONNX_IR_VERSION = 8;
/** Default-domain operator set: every op used here is unchanged since 13. */
export const ONNX_OPSET = 13;
export const ONNX_PRODUCER = "privads";

export const INPUT_NAME = "features";
export const OUTPUT_NAME = "click_probability";
/** Symbolic batch dimension of the input and output. */
export const BATCH_DIM = "N";

/** ONNX TensorProto.DataType codes used by the graph. */
export const ONNX_FLOAT = 1;
export const ONNX_INT64 = 7;

/**
 * Initializer (constant) tensor names. Shapes follow the model's feature count F (26 for the
 * `ads` set, 20 for `seed`) and its T = termCount(F) degree-2 terms (377 or 230); file order
 * and shapes: {@link initializerLayout}.
 */
export const INITIALIZERS = {
  domainLow: "domain_low", // float [1, F]: only in a graph that clamps
  domainHigh: "domain_high", // float [1, F]
  mean: "scaler_mean", // float [F]
  scale: "scaler_scale", // float [F]
  scoreMin: "standard_score_min", // float scalar: -MAX_STANDARD_SCORE
  scoreMax: "standard_score_max", // float scalar: +MAX_STANDARD_SCORE
  left: "term_left_index", // int64 [T - F]: i of each product z_i * z_j
  right: "term_right_index", // int64 [T - F]: j of each product
  weights: "coefficients", // float [T, 1]
  intercept: "intercept", // float [1]
  calSlope: "calibration_slope", // float [1]
  calIntercept: "calibration_intercept", // float [1]
} as const;

export type InitializerName = (typeof INITIALIZERS)[keyof typeof INITIALIZERS];

/**
 * The initializers in file order as `[name, dims, data type]`: the domain's two first when the
 * graph clamps (a model with a domain), then the ten every graph has.
 */
export function initializerLayout(F: number, T: number, clamped: boolean): Array<[InitializerName, number[], number]> {
  const I = INITIALIZERS;
  const FLOAT = ONNX_FLOAT;
  const always: Array<[InitializerName, number[], number]> = [
    [I.mean, [F], FLOAT],
    [I.scale, [F], FLOAT],
    [I.scoreMin, [], FLOAT],
    [I.scoreMax, [], FLOAT],
    [I.left, [T - F], ONNX_INT64],
    [I.right, [T - F], ONNX_INT64],
    [I.weights, [T, 1], FLOAT],
    [I.intercept, [1], FLOAT],
    [I.calSlope, [1], FLOAT],
    [I.calIntercept, [1], FLOAT],
  ];
  // [1, F], not [F]: Max and Min broadcast them over the batch (Clip takes only scalar bounds).
  return clamped ? [[I.domainLow, [1, F], FLOAT], [I.domainHigh, [1, F], FLOAT], ...always] : always;
}

/** One graph node: op type, inputs, outputs and integer attributes. */
export interface LayoutNode {
  readonly op: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes: Readonly<Record<string, number>>;
}

/** The clamp to the model's domain, `min(max(x, low), high)` as clampToDomain computes it. */
const CLAMP_NODES: readonly LayoutNode[] = [
  { op: "Max", inputs: [INPUT_NAME, INITIALIZERS.domainLow], outputs: ["above_low"], attributes: {} },
  { op: "Min", inputs: ["above_low", INITIALIZERS.domainHigh], outputs: ["clamped"], attributes: {} },
];

/**
 * The nodes in topological (file) order: 12, or 14 when the graph clamps to the model's domain
 * first (the two {@link CLAMP_NODES}, whose output standardisation then reads).
 */
export function graphNodes(clamped: boolean): readonly LayoutNode[] {
  return [
    ...(clamped ? CLAMP_NODES : []),
    { op: "Sub", inputs: [clamped ? "clamped" : INPUT_NAME, INITIALIZERS.mean], outputs: ["centered"], attributes: {} },
    { op: "Div", inputs: ["centered", INITIALIZERS.scale], outputs: ["scaled"], attributes: {} },
    // Bounds z so the squares cannot overflow float32 (src/core/standardScoreBound.ts).
    { op: "Clip", inputs: ["scaled", INITIALIZERS.scoreMin, INITIALIZERS.scoreMax], outputs: ["standardized"], attributes: {} },
    { op: "Gather", inputs: ["standardized", INITIALIZERS.left], outputs: ["term_left"], attributes: { axis: 1 } },
    { op: "Gather", inputs: ["standardized", INITIALIZERS.right], outputs: ["term_right"], attributes: { axis: 1 } },
    { op: "Mul", inputs: ["term_left", "term_right"], outputs: ["quadratic_terms"], attributes: {} },
    { op: "Concat", inputs: ["standardized", "quadratic_terms"], outputs: ["terms"], attributes: { axis: 1 } },
    { op: "MatMul", inputs: ["terms", INITIALIZERS.weights], outputs: ["linear"], attributes: {} },
    { op: "Add", inputs: ["linear", INITIALIZERS.intercept], outputs: ["margin"], attributes: {} },
    { op: "Mul", inputs: ["margin", INITIALIZERS.calSlope], outputs: ["scaled_margin"], attributes: {} },
    { op: "Add", inputs: ["scaled_margin", INITIALIZERS.calIntercept], outputs: ["logit"], attributes: {} },
    { op: "Sigmoid", inputs: ["logit"], outputs: [OUTPUT_NAME], attributes: {} },
  ];
}

/** `metadata_props` keys. Values are strings; JSON where noted. */
export const METADATA_KEYS = {
  format: "privads.format", // MODEL_FORMAT
  formatVersion: "privads.format_version", // "1"
  featureNames: "privads.feature_names", // JSON string[F]
  // "ads" or "seed". Files written before feature sets lack it; they are all `seed` (20).
  featureSet: "privads.feature_set",
  windowConfig: "privads.window_config", // JSON WindowConfig
  horizon: "privads.horizon_seconds", // decimal string
  scalerMean: "privads.scaler_mean", // JSON number[F], full float64 precision (imputation)
  termOrder: "privads.term_order", // JSON string[T]
  graph: "privads.graph", // human-readable formula
  checksum: "privads.constants_crc32", // CRC-32 (hex) of the initializers' raw_data, in file order
} as const;

/** The formula in words (graph doc string and `privads.graph`); a graph without a domain keeps the words it always had. */
export function graphDescription(clamped: boolean): string {
  const x = clamped ? "min(max(features, domain_low), domain_high)" : "features";
  return (
    "p = sigmoid(calibration_slope * (intercept + coefficients . phi(z)) + calibration_intercept), " +
    `z = clip((${x} - scaler_mean) / scaler_scale, standard_score_min, standard_score_max), phi(z) = [z, z_i * z_j for i <= j]`
  );
}
