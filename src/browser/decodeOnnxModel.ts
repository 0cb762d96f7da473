import { FEATURE_SETS, featureSetOf } from "../core/featureNames.js";
import { checkModelContract, checkModelFormat, checkModelSize, type ModelContractLabels, type UncheckedModelContract } from "../core/modelContract.js";
import { ModelFormatError } from "../core/modelFormatError.js";
import { MAX_STANDARD_SCORE } from "../core/standardScoreBound.js";
import { polynomialTerms } from "../core/polynomialTerms.js";
import { crc32Hex } from "../onnx/crc32.js";
import type { ModelParameters } from "./modelParameters.js";
import { BATCH_DIM, graphNodes, INITIALIZERS, initializerLayout, INPUT_NAME, METADATA_KEYS, ONNX_FLOAT, ONNX_INT64, ONNX_IR_VERSION, ONNX_OPSET, OUTPUT_NAME } from "../onnx/onnxLayout.js";
import { fieldBudget, readMessage, readPackedVarints, readString, WIRE_BYTES, WIRE_VARINT, type ProtoField } from "./protobufReader.js";

/** A decoded, structure-checked PrivAds model file. */
export interface DecodedOnnxModel {
  readonly parameters: ModelParameters;
  /** All `metadata_props`, as strings. */
  readonly metadata: Readonly<Record<string, string>>;
}

/**
 * What one protobuf field must hold: `null` anything (names, doc strings, parts checked
 * elsewhere); a number or string exactly that varint or UTF-8 string (absent reads as 0 or "",
 * the protobuf default); a list of numbers or strings exactly that repeated field (packed
 * varints too); a {@link Layout} one such nested message; a list of layouts exactly that many
 * messages, in order.
 */
type Expected = null | number | string | readonly number[] | readonly string[] | Layout | readonly Layout[];

/**
 * A message's fields by field number (onnx.proto3): the name messages print and what it must
 * hold. Fields not listed are rejected. `label` adds to the path of a list item (a node's op).
 */
interface Layout {
  readonly [field: number]: readonly [string, Expected];
  readonly label?: string;
}

/** Field 2 of TensorProto.data_type and of the value infos' elem_type: float32. */
const valueInfo = (name: string, columns: number): Layout => ({
  1: ["name", name],
  2: ["type", { 1: ["tensor_type", { 1: ["elem_type", ONNX_FLOAT], 2: ["shape", { 1: ["dim", [{ 2: ["dim_param", BATCH_DIM] }, { 1: ["dim_value", columns] }]] }] }] }],
  3: ["doc_string", null],
});

/**
 * The whole file as `buildOnnxModel` writes it for F features (T = F + products terms), with or
 * without the clamp to a domain, as data: the walker in {@link checkLayout} compares a file with
 * it and names the path of the first difference. Initializer values are read and checked after
 * it (checksum, contract).
 */
function modelLayout(F: number, T: number, clamped: boolean): Layout {
  const graph: Layout = {
    1: [
      "node",
      graphNodes(clamped).map(
        (node): Layout => ({
        label: `(${node.op})`,
        1: ["input", node.inputs],
        2: ["output", node.outputs],
        3: ["name", null],
        4: ["op_type", node.op],
        // AttributeProto: name, i, type INT (2).
        5: ["attribute", Object.entries(node.attributes).map(([name, i]): Layout => ({ 1: ["name", name], 3: ["i", i], 20: ["type", 2] }))],
        6: ["doc_string", null],
        7: ["domain", ""],
      })),
    ],
    2: ["name", null],
    // TensorProto: dims, data_type, name, raw_data (values: read below), doc_string. Only
    // raw_data carries values: the exporter never writes float_data or int64_data.
    5: ["initializer", initializerLayout(F, T, clamped).map(([name, dims, type]): Layout => ({ label: `(${name})`, 1: ["dims", dims], 2: ["data_type", type], 8: ["name", name], 9: ["raw_data", null], 12: ["doc_string", null] }))],
    10: ["doc_string", null],
    11: ["input", [valueInfo(INPUT_NAME, F)]],
    12: ["output", [valueInfo(OUTPUT_NAME, 1)]],
    13: ["value_info", null],
  };
  return {
    1: ["ir_version", ONNX_IR_VERSION],
    2: ["producer_name", null],
    3: ["producer_version", null],
    4: ["domain", null],
    5: ["model_version", null],
    6: ["doc_string", null],
    7: ["graph", graph],
    8: ["opset_import", [{ 1: ["domain", ""], 2: ["version", ONNX_OPSET] }]],
    14: ["metadata_props", null],
  };
}

/**
 * Decodes `.onnx` bytes and checks they hold exactly the graph `buildOnnxModel` writes for the
 * model's feature set, with the domain clamp or without (IR version, opset, node op types and order, tensor names, shapes `[N,F]`
 * etc. and types, term indices, metadata). Files written before feature sets (no
 * `privads.feature_set`, the 20 `seed` features) still load. Anything else throws
 * `ModelFormatError` naming `source` and what differs (the path of a structural difference,
 * e.g. `graph node 3 (Gather) input must be [...], got [...]`).
 */
export function decodeOnnxModel(bytes: Uint8Array, source = "model.onnx"): DecodedOnnxModel {
  const fail = (msg: string): never => {
    throw new ModelFormatError(`${source}: ${msg}`);
  };
  if (!(bytes instanceof Uint8Array) || bytes.length === 0) fail("empty file, expected ONNX bytes");
  // Bounds first (docs/robustness.md): the size, then the fields read, counted as they are.
  checkModelSize(bytes.length, source);
  const first = bytes[0];
  if (first === 0x7b || first === 0x5b) fail("looks like JSON, not an ONNX file");
  const budget = fieldBudget();
  const fields = readMessage(bytes, source, budget);
  const message = (f: ProtoField | undefined, where: string): ProtoField[] =>
    readMessage(f?.wire === WIRE_BYTES ? f.bytes : fail(`${where}: expected a message, got ${f ? `wire type ${f.wire}` : "none"}`), `${source}: ${where}`, budget);
  const text = (f: ProtoField, where: string) => readString(f, `${source}: ${where}`);

  // Metadata first: a foreign ONNX file is told apart by it before any graph detail.
  const metadata: Record<string, string> = {};
  for (const f of fields.filter((f) => f.field === 14)) {
    const entry = message(f, "metadata_props");
    const key = entry.find((e) => e.field === 1);
    const value = entry.find((e) => e.field === 2);
    if (key) metadata[text(key, "metadata key")] = value ? text(value, "metadata value") : "";
  }
  const format = metadata[METADATA_KEYS.format];
  const version = integerOrText(metadata[METADATA_KEYS.formatVersion]);
  checkModelFormat(format, version, ONNX_LABELS, source);

  // Parsed here, checked with the constants below (checkModelContract).
  const json = (key: string): unknown => {
    const value = metadata[key];
    if (value === undefined) return fail(`metadata "${key}" is missing`);
    try {
      return JSON.parse(value);
    } catch {
      return fail(`metadata "${key}" is not valid JSON`);
    }
  };
  const featureNames = json(METADATA_KEYS.featureNames);
  const termOrder = json(METADATA_KEYS.termOrder);
  const windowConfig = json(METADATA_KEYS.windowConfig);
  const scalerMean = json(METADATA_KEYS.scalerMean);
  // The names fix the width F every shape is checked against.
  const featureSet = Array.isArray(featureNames) && featureNames.every((n) => typeof n === "string") ? featureSetOf(featureNames) : undefined;
  if (featureSet === undefined) {
    // Bad names are reported now, in the contract's own words (the JSON model's too).
    checkModelContract({ format, version, featureNames } as UncheckedModelContract, ONNX_LABELS, source);
    return fail("unreachable: the contract rejects these names");
  }
  // Files written before feature sets lack the key, and they are all of the `seed` set.
  const declaredSet = metadata[METADATA_KEYS.featureSet];
  if ((declaredSet ?? "seed") !== featureSet) {
    fail(`metadata "${METADATA_KEYS.featureSet}" must be "${featureSet}", the set its feature names spell out, got ${JSON.stringify(declaredSet)}`);
  }
  const F = FEATURE_SETS[featureSet].length;
  const terms = polynomialTerms(F);

  /** Compares `list` (one message's fields) with `layout`; `path` names the message in errors. */
  const checkLayout = (list: ProtoField[], layout: Layout, path: string): void => {
    const at = path || "model";
    for (const f of list) if (!layout[f.field]) fail(`${at}: unexpected field ${f.field} (not part of the PrivAds graph)`);
    for (const key in layout) {
      const [name, expected] = layout[+key] ?? [];
      if (expected == null) continue; // `label`, or a field any value of which is accepted
      const where = `${path && `${path} `}${name}`;
      const hits = list.filter((f) => f.field === +key);
      if (typeof expected !== "object") {
        if (hits.length > 1) fail(`${where}: expected at most one, found ${hits.length}`);
        const actual = hits.length === 0 ? (typeof expected === "number" ? 0 : "") : scalar(hits[0], typeof expected, where);
        if (actual !== expected) fail(`${where} must be ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
      } else if (!Array.isArray(expected)) {
        if (hits.length !== 1) fail(`${where}: expected exactly one, found ${hits.length}`);
        checkLayout(message(hits[0], where), expected as Layout, where);
      } else if (typeof expected[0] === "object") {
        if (hits.length !== expected.length) fail(`${at} has ${hits.length} ${name}s, expected ${expected.length}`);
        (expected as readonly Layout[]).forEach((item, i) => {
          const itemPath = `${where} ${i}${item.label ? ` ${item.label}` : ""}`;
          checkLayout(message(hits[i], itemPath), item, itemPath);
        });
      } else {
        // A repeated scalar: numbers may come packed into one length-delimited field.
        const kind = typeof expected[0] === "string" ? "string" : "number";
        const actual = hits.flatMap((f) => (kind === "number" && f.wire === WIRE_BYTES ? readPackedVarints(f, `${source}: ${where}`, budget) : [scalar(f, kind, where)]));
        if (JSON.stringify(actual) !== JSON.stringify(expected)) fail(`${where} must be ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
      }
    }
  };
  const scalar = (f: ProtoField, kind: string, where: string): number | string => {
    if (kind === "string") return text(f, where);
    return f.wire === WIRE_VARINT ? f.int : fail(`${where}: expected a varint, got wire type ${f.wire}`);
  };
  // The two graphs differ by the clamp's two nodes: their count says which one to hold the file to.
  const graph = message(fields.find((f) => f.field === 7), "graph");
  const clamped = graph.filter((f) => f.field === 1).length === graphNodes(true).length;
  checkLayout(fields, modelLayout(F, terms.length, clamped), "");

  // The structure matched: the graph holds the initializers in layout order, each with its
  // name, type and dims. Their values are in raw_data (little-endian).
  const rawParts: Uint8Array[] = [];
  const values = graph
    .filter((f) => f.field === 5)
    .map((f) => {
      const tensor = message(f, "initializer");
      const name = text(tensor.find((t) => t.field === 8)!, "initializer name");
      const int64 = tensor.find((t) => t.field === 2)!.int === ONNX_INT64;
      const count = tensor.filter((t) => t.field === 1).flatMap((t) => readPackedVarints(t, name, budget)).reduce((a, b) => a * b, 1);
      const raw = tensor.find((t) => t.field === 9)?.bytes ?? new Uint8Array(0);
      const width = int64 ? 8 : 4;
      if (raw.length !== count * width) fail(`initializer "${name}": raw_data has ${raw.length} bytes, expected ${count * width}`);
      rawParts.push(raw);
      const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
      return Float64Array.from({ length: count }, (_, k) => (int64 ? Number(view.getBigInt64(k * 8, true)) : view.getFloat32(k * 4, true)));
    });
  const checksum = metadata[METADATA_KEYS.checksum];
  if (checksum === undefined) fail(`metadata "${METADATA_KEYS.checksum}" is missing`);
  if (checksum !== crc32Hex(rawParts)) {
    fail(`the graph's constants do not match their checksum (metadata "${METADATA_KEYS.checksum}"): the file is corrupt`);
  }
  // In layout order; finiteness: the contract checks the model's numbers, the comparisons below the rest.
  const [domainLow, domainHigh] = clamped ? values.splice(0, 2) : [];
  const [mean, scale, scoreMin, scoreMax, left, right, coefficients, [intercept], [calibrationSlope], [calibrationIntercept]] = values;
  // The model contract, as for the JSON model: the metadata's names, window and full-precision
  // means, and the graph's constants.
  const contract = checkModelContract(
    { format, version, featureNames, window: windowConfig, mean: scalerMean, scale, terms: termOrder, coefficients, intercept, calibrationSlope, calibrationIntercept, domainLow, domainHigh },
    ONNX_LABELS,
    source,
  );
  terms.slice(F).forEach(([i, j], k) => {
    if (left[k] !== i || right[k] !== j) fail(`term index tensors differ from the fixed term order at product ${k}`);
  });
  // The runtimes apply the bound themselves; a graph with another one would disagree with them.
  if (scoreMin[0] !== -MAX_STANDARD_SCORE || scoreMax[0] !== MAX_STANDARD_SCORE) {
    fail(`the standardised-feature bounds must be -${MAX_STANDARD_SCORE} and ${MAX_STANDARD_SCORE}`);
  }
  const imputationMean = Float64Array.from(contract.mean);
  imputationMean.forEach((v, i) => {
    if (Math.fround(v) !== mean[i]) fail(`metadata "${METADATA_KEYS.scalerMean}"[${i}] = ${v} does not match the graph's mean ${mean[i]}`);
  });
  return {
    metadata,
    parameters: {
      featureSet: contract.featureSet,
      domain: contract.domain,
      mean,
      scale,
      coefficients,
      intercept,
      calibrationSlope,
      calibrationIntercept,
      window: contract.window,
      imputationMean,
    },
  };
}

/** Where the ONNX file keeps each contract field (error messages name these). */
const ONNX_LABELS: ModelContractLabels = {
  format: `metadata "${METADATA_KEYS.format}"`,
  version: `metadata "${METADATA_KEYS.formatVersion}"`,
  featureNames: `metadata "${METADATA_KEYS.featureNames}"`,
  window: `metadata "${METADATA_KEYS.windowConfig}"`,
  mean: `metadata "${METADATA_KEYS.scalerMean}"`,
  scale: `initializer "${INITIALIZERS.scale}"`,
  terms: `metadata "${METADATA_KEYS.termOrder}"`,
  coefficients: `initializer "${INITIALIZERS.weights}"`,
  intercept: `initializer "${INITIALIZERS.intercept}"`,
  calibrationSlope: `initializer "${INITIALIZERS.calSlope}"`,
  calibrationIntercept: `initializer "${INITIALIZERS.calIntercept}"`,
  domainLow: `initializer "${INITIALIZERS.domainLow}"`,
  domainHigh: `initializer "${INITIALIZERS.domainHigh}"`,
};

/** Metadata values are strings; the version is compared as the number a decimal string spells. */
function integerOrText(text: string | undefined): number | string | undefined {
  return text !== undefined && /^(0|[1-9][0-9]*)$/.test(text) ? Number(text) : text;
}
