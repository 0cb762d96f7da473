import { FEATURE_SETS, featureSetOf } from "../core/featureNames.js";
import { checkModelContract, checkModelFormat, type ModelContractLabels, type UncheckedModelContract } from "../core/modelContract.js";
import { ModelFormatError } from "../core/modelFormatError.js";
import { MAX_STANDARD_SCORE } from "../core/standardScoreBound.js";
import { polynomialTerms } from "../core/polynomialTerms.js";
import { crc32Hex } from "../onnx/crc32.js";
import type { ModelParameters } from "./modelParameters.js";
import {
  GRAPH_NODES,
  INITIALIZERS,
  INPUT_NAME,
  METADATA_KEYS,
  ONNX_FLOAT,
  ONNX_INT64,
  ONNX_IR_VERSION,
  ONNX_OPSET,
  OUTPUT_NAME,
} from "../onnx/onnxLayout.js";
import { readMessage, readPackedVarints, readString, WIRE_BYTES, WIRE_VARINT, type ProtoField } from "./protobufReader.js";

/** ONNX field numbers (onnx.proto3) the decoder reads. */
const MODEL = { irVersion: 1, producerName: 2, producerVersion: 3, domain: 4, modelVersion: 5, docString: 6, graph: 7, opset: 8, metadata: 14 };
const GRAPH = { node: 1, name: 2, initializer: 5, docString: 10, input: 11, output: 12, valueInfo: 13 };
const NODE = { input: 1, output: 2, name: 3, opType: 4, attribute: 5, docString: 6, domain: 7 };
const ATTR = { name: 1, i: 3, type: 20 };
const ATTR_TYPE_INT = 2;
const TENSOR = { dims: 1, dataType: 2, floatData: 4, int64Data: 7, name: 8, rawData: 9, docString: 12 };

/** A decoded, structure-checked PrivAds model file. */
export interface DecodedOnnxModel {
  readonly parameters: ModelParameters;
  /** All `metadata_props`, as strings. */
  readonly metadata: Readonly<Record<string, string>>;
}

/**
 * Decodes `.onnx` bytes and checks they hold exactly the graph `buildOnnxModel` writes for the
 * model's feature set (IR version, opset, node op types and order, tensor names, shapes `[N,F]`
 * etc. and types, term indices, metadata). Files written before feature sets (no
 * `privads.feature_set`, the 20 `seed` features) still load. Anything else throws
 * `ModelFormatError` naming `source` and what differs.
 */
export function decodeOnnxModel(bytes: Uint8Array, source = "model.onnx"): DecodedOnnxModel {
  const fail = (msg: string): never => {
    throw new ModelFormatError(`${source}: ${msg}`);
  };
  if (!(bytes instanceof Uint8Array) || bytes.length === 0) fail("empty file, expected ONNX bytes");
  const first = bytes[0];
  if (first === 0x7b || first === 0x5b) fail("looks like JSON, not an ONNX file");
  const fields = readMessage(bytes, source);
  const one = (list: ProtoField[], field: number, what: string): ProtoField => {
    const hits = list.filter((f) => f.field === field);
    if (hits.length !== 1) fail(`${what}: expected exactly one, found ${hits.length}`);
    return hits[0];
  };
  const str = (f: ProtoField, what: string) => readString(f, `${source}: ${what}`);

  // Metadata first: a foreign ONNX file is told apart by it before any graph detail.
  const metadata: Record<string, string> = {};
  for (const f of fields.filter((f) => f.field === MODEL.metadata)) {
    const entry = readMessage(bytesOf(f, "metadata_props", fail), `${source}: metadata_props`);
    const key = entry.find((e) => e.field === 1);
    const value = entry.find((e) => e.field === 2);
    if (key) metadata[str(key, "metadata key")] = value ? str(value, "metadata value") : "";
  }
  const format = metadata[METADATA_KEYS.format];
  const version = integerOrText(metadata[METADATA_KEYS.formatVersion]);
  checkModelFormat(format, version, ONNX_LABELS, source);
  for (const f of fields) {
    if (![MODEL.irVersion, MODEL.producerName, MODEL.producerVersion, MODEL.domain, MODEL.modelVersion, MODEL.docString, MODEL.graph, MODEL.opset, MODEL.metadata].includes(f.field)) {
      fail(`unexpected ModelProto field ${f.field} (training info, functions, ... are not part of the exported graph)`);
    }
  }
  const ir = one(fields, MODEL.irVersion, "ir_version");
  if (ir.wire !== WIRE_VARINT || ir.int !== ONNX_IR_VERSION) fail(`ir_version must be ${ONNX_IR_VERSION}, got ${ir.int}`);
  const opset = readMessage(bytesOf(one(fields, MODEL.opset, "opset_import"), "opset_import", fail), `${source}: opset_import`);
  const opDomain = opset.find((f) => f.field === 1);
  const opVersion = opset.find((f) => f.field === 2);
  if ((opDomain && str(opDomain, "opset domain") !== "") || opVersion?.int !== ONNX_OPSET) {
    fail(`opset_import must be the default domain at version ${ONNX_OPSET}`);
  }

  // Parsed here, checked with the constants below (checkModelContract).
  const featureNames = parseJson(metadata[METADATA_KEYS.featureNames], METADATA_KEYS.featureNames, fail);
  const termOrder = parseJson(metadata[METADATA_KEYS.termOrder], METADATA_KEYS.termOrder, fail);
  const windowConfig = parseJson(metadata[METADATA_KEYS.windowConfig], METADATA_KEYS.windowConfig, fail);
  const scalerMean = parseJson(metadata[METADATA_KEYS.scalerMean], METADATA_KEYS.scalerMean, fail);
  // The names fix the width F every shape below is checked against.
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

  // The graph.
  const graph = readMessage(bytesOf(one(fields, MODEL.graph, "graph"), "graph", fail), `${source}: graph`);
  for (const f of graph) {
    if (![GRAPH.node, GRAPH.name, GRAPH.initializer, GRAPH.docString, GRAPH.input, GRAPH.output, GRAPH.valueInfo].includes(f.field)) {
      fail(`unexpected GraphProto field ${f.field}`);
    }
  }
  const nodes = graph.filter((f) => f.field === GRAPH.node);
  if (nodes.length !== GRAPH_NODES.length) fail(`graph has ${nodes.length} nodes, the PrivAds graph has ${GRAPH_NODES.length}`);
  nodes.forEach((nodeField, k) => {
    const expected = GRAPH_NODES[k];
    const node = readMessage(bytesOf(nodeField, `node ${k}`, fail), `${source}: node ${k}`);
    const strings = (field: number) => node.filter((f) => f.field === field).map((f) => str(f, `node ${k}`));
    const op = strings(NODE.opType).join("");
    const where = `node ${k} (${op || "no op_type"})`;
    if (op !== expected.op) fail(`${where}: expected op ${expected.op}`);
    if (strings(NODE.domain).some((d) => d !== "")) fail(`${where}: must use the default domain`);
    if (strings(NODE.input).join(",") !== expected.inputs.join(",")) fail(`${where}: inputs must be ${expected.inputs.join(", ")}`);
    if (strings(NODE.output).join(",") !== expected.outputs.join(",")) fail(`${where}: outputs must be ${expected.outputs.join(", ")}`);
    const attrs = node.filter((f) => f.field === NODE.attribute).map((f) => readMessage(bytesOf(f, where, fail), `${source}: ${where} attribute`));
    const expectedAttrs = Object.entries(expected.attributes);
    if (attrs.length !== expectedAttrs.length) fail(`${where}: expected ${expectedAttrs.length} attributes, found ${attrs.length}`);
    attrs.forEach((attr) => {
      const nameField = attr.find((f) => f.field === ATTR.name);
      const name = nameField ? str(nameField, where) : "";
      const typeField = attr.find((f) => f.field === ATTR.type);
      const value = attr.find((f) => f.field === ATTR.i);
      if (!(name in expected.attributes) || typeField?.int !== ATTR_TYPE_INT || value?.wire !== WIRE_VARINT || value.int !== expected.attributes[name]) {
        fail(`${where}: attribute ${JSON.stringify(name)} must be the INT ${JSON.stringify(expected.attributes)}`);
      }
    });
  });
  checkValueInfo(graph, GRAPH.input, INPUT_NAME, F, source, fail);
  checkValueInfo(graph, GRAPH.output, OUTPUT_NAME, 1, source, fail);

  const tensors = new Map<string, { dims: number[]; type: number; values: Float64Array }>();
  const rawParts: Uint8Array[] = [];
  for (const f of graph.filter((f) => f.field === GRAPH.initializer)) {
    const t = readTensor(bytesOf(f, "initializer", fail), source, fail);
    if (tensors.has(t.name)) fail(`initializer "${t.name}" appears twice`);
    tensors.set(t.name, t);
    rawParts.push(t.raw);
  }
  const checksum = metadata[METADATA_KEYS.checksum];
  if (checksum === undefined) fail(`metadata "${METADATA_KEYS.checksum}" is missing`);
  if (checksum !== crc32Hex(rawParts)) {
    fail(`the graph's constants do not match their checksum (metadata "${METADATA_KEYS.checksum}"): the file is corrupt`);
  }
  const expectedTensors: Array<[string, number[], number]> = [
    [INITIALIZERS.mean, [F], ONNX_FLOAT],
    [INITIALIZERS.scale, [F], ONNX_FLOAT],
    [INITIALIZERS.scoreMin, [], ONNX_FLOAT],
    [INITIALIZERS.scoreMax, [], ONNX_FLOAT],
    [INITIALIZERS.left, [terms.length - F], ONNX_INT64],
    [INITIALIZERS.right, [terms.length - F], ONNX_INT64],
    [INITIALIZERS.weights, [terms.length, 1], ONNX_FLOAT],
    [INITIALIZERS.intercept, [1], ONNX_FLOAT],
    [INITIALIZERS.calSlope, [1], ONNX_FLOAT],
    [INITIALIZERS.calIntercept, [1], ONNX_FLOAT],
  ];
  if (tensors.size !== expectedTensors.length) fail(`graph has ${tensors.size} initializers, expected ${expectedTensors.length}`);
  const get = (name: string): Float64Array => {
    const spec = expectedTensors.find(([n]) => n === name)!;
    const t = tensors.get(name);
    if (!t) return fail(`missing initializer "${name}"`);
    if (t.type !== spec[2] || t.dims.join(",") !== spec[1].join(",")) {
      fail(`initializer "${name}" must be ${spec[2] === ONNX_FLOAT ? "float32" : "int64"} [${spec[1].join(",")}], got type ${t.type} [${t.dims.join(",")}]`);
    }
    // Finiteness: the contract checks the model's numbers, the comparisons below the rest.
    return t.values;
  };
  const scale = get(INITIALIZERS.scale);
  const coefficients = get(INITIALIZERS.weights);
  const intercept = get(INITIALIZERS.intercept)[0];
  const calibrationSlope = get(INITIALIZERS.calSlope)[0];
  const calibrationIntercept = get(INITIALIZERS.calIntercept)[0];
  // The model contract, as for the JSON model: the metadata's names, window and full-precision
  // means, and the graph's constants.
  const contract = checkModelContract(
    { format, version, featureNames, window: windowConfig, mean: scalerMean, scale, terms: termOrder, coefficients, intercept, calibrationSlope, calibrationIntercept },
    ONNX_LABELS,
    source,
  );
  const left = get(INITIALIZERS.left);
  const right = get(INITIALIZERS.right);
  terms.slice(F).forEach(([i, j], k) => {
    if (left[k] !== i || right[k] !== j) fail(`term index tensors differ from the fixed term order at product ${k}`);
  });
  const mean = get(INITIALIZERS.mean);
  // The runtimes apply the bound themselves; a graph with another one would disagree with them.
  if (get(INITIALIZERS.scoreMin)[0] !== -MAX_STANDARD_SCORE || get(INITIALIZERS.scoreMax)[0] !== MAX_STANDARD_SCORE) {
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
};

/** Metadata values are strings; the version is compared as the number a decimal string spells. */
function integerOrText(text: string | undefined): number | string | undefined {
  return text !== undefined && /^(0|[1-9][0-9]*)$/.test(text) ? Number(text) : text;
}

function bytesOf(f: ProtoField, what: string, fail: (msg: string) => never): Uint8Array {
  return f.wire === WIRE_BYTES ? f.bytes : fail(`${what}: expected a message, got wire type ${f.wire}`);
}

function parseJson(text: string | undefined, key: string, fail: (msg: string) => never): unknown {
  if (text === undefined) return fail(`metadata "${key}" is missing`);
  try {
    return JSON.parse(text);
  } catch {
    return fail(`metadata "${key}" is not valid JSON`);
  }
}

/** Checks a graph input/output: exactly one, this name, float32, shape [symbolic, columns]. */
function checkValueInfo(graph: ProtoField[], field: number, name: string, columns: number, source: string, fail: (msg: string) => never): void {
  const what = field === 11 ? "input" : "output";
  const list = graph.filter((f) => f.field === field);
  if (list.length !== 1) fail(`graph must have exactly one ${what} ("${name}"), found ${list.length}`);
  const info = readMessage(bytesOf(list[0], what, fail), `${source}: graph ${what}`);
  const nameField = info.find((f) => f.field === 1);
  const actual = nameField ? readString(nameField, `${source}: ${what} name`) : "";
  if (actual !== name) fail(`graph ${what} must be named "${name}", got "${actual}"`);
  const type = info.find((f) => f.field === 2);
  const tensorType = type && readMessage(bytesOf(type, what, fail), `${source}: ${what} type`).find((f) => f.field === 1);
  const tensor = tensorType ? readMessage(bytesOf(tensorType, what, fail), `${source}: ${what} tensor type`) : [];
  const elem = tensor.find((f) => f.field === 1);
  const shape = tensor.find((f) => f.field === 2);
  const dims = shape ? readMessage(bytesOf(shape, what, fail), `${source}: ${what} shape`).filter((f) => f.field === 1) : [];
  const dimText = dims.map((d) => {
    const dim = readMessage(bytesOf(d, what, fail), `${source}: ${what} dim`);
    const value = dim.find((f) => f.field === 1);
    const param = dim.find((f) => f.field === 2);
    return value ? String(value.int) : param ? "N" : "?";
  });
  if (elem?.int !== ONNX_FLOAT || dimText.join(",") !== `N,${columns}`) {
    fail(`graph ${what} "${name}" must be float32 [N,${columns}], got type ${elem?.int ?? "none"} [${dimText.join(",")}]`);
  }
}

function readTensor(bytes: Uint8Array, source: string, fail: (msg: string) => never): { name: string; dims: number[]; type: number; values: Float64Array; raw: Uint8Array } {
  const fields = readMessage(bytes, `${source}: initializer`);
  const nameField = fields.find((f) => f.field === TENSOR.name);
  const name = nameField ? readString(nameField, `${source}: initializer name`) : "";
  const dims = fields.filter((f) => f.field === TENSOR.dims).flatMap((f) => readPackedVarints(f, `${source}: "${name}" dims`));
  const type = fields.find((f) => f.field === TENSOR.dataType)?.int ?? 0;
  const count = dims.reduce((a, b) => a * b, 1);
  for (const f of fields) {
    if (![TENSOR.dims, TENSOR.dataType, TENSOR.floatData, TENSOR.int64Data, TENSOR.name, TENSOR.rawData, TENSOR.docString].includes(f.field)) {
      fail(`initializer "${name}": unsupported TensorProto field ${f.field} (external or segmented data?)`);
    }
  }
  const raw = fields.find((f) => f.field === TENSOR.rawData);
  const values = new Float64Array(count);
  if (raw) {
    const width = type === ONNX_INT64 ? 8 : 4;
    if (raw.bytes.length !== count * width) fail(`initializer "${name}": raw_data has ${raw.bytes.length} bytes, expected ${count * width}`);
    const view = new DataView(raw.bytes.buffer, raw.bytes.byteOffset, raw.bytes.byteLength);
    for (let k = 0; k < count; k++) {
      values[k] = type === ONNX_INT64 ? Number(view.getBigInt64(k * 8, true)) : view.getFloat32(k * 4, true);
    }
  } else if (type === ONNX_FLOAT) {
    const parts = fields.filter((f) => f.field === TENSOR.floatData);
    const data = concat(parts.map((f) => (f.wire === WIRE_BYTES || f.wire === 5 ? f.bytes : fail(`initializer "${name}": bad float_data`))));
    if (data.length !== count * 4) fail(`initializer "${name}": float_data has ${data.length / 4} values, expected ${count}`);
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    for (let k = 0; k < count; k++) values[k] = view.getFloat32(k * 4, true);
  } else {
    const ints = fields.filter((f) => f.field === TENSOR.int64Data).flatMap((f) => readPackedVarints(f, `${source}: "${name}" int64_data`));
    if (ints.length !== count) fail(`initializer "${name}": int64_data has ${ints.length} values, expected ${count}`);
    values.set(ints);
  }
  return { name, dims, type, values, raw: raw?.bytes ?? new Uint8Array(0) };
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let k = 0;
  for (const p of parts) {
    out.set(p, k);
    k += p.length;
  }
  return out;
}
