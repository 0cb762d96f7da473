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
 * Initializer (constant) tensors, in file order. Shapes follow the model's feature count F
 * (26 for the `ads` set, 20 for `seed`) and its T = termCount(F) degree-2 terms (377 or 230).
 */
export const INITIALIZERS = {
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

/** One graph node: op type, inputs, outputs and integer attributes. */
export interface LayoutNode {
  readonly op: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes: Readonly<Record<string, number>>;
}

/** The 12 nodes, in topological (file) order. */
export const GRAPH_NODES: readonly LayoutNode[] = [
  { op: "Sub", inputs: [INPUT_NAME, INITIALIZERS.mean], outputs: ["centered"], attributes: {} },
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

export const GRAPH_DESCRIPTION =
  "p = sigmoid(calibration_slope * (intercept + coefficients . phi(z)) + calibration_intercept), " +
  "z = clip((features - scaler_mean) / scaler_scale, standard_score_min, standard_score_max), phi(z) = [z, z_i * z_j for i <= j]";
