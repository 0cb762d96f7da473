import protobuf from "onnx-proto";
import { MAX_STANDARD_SCORE } from "../core/standardScoreBound.js";
import { modelFeatureSet, parseInteractionModel, MODEL_FORMAT, MODEL_FORMAT_VERSION, type InteractionModel } from "../core/interactionModel.js";
import { polynomialTerms } from "../core/polynomialTerms.js";
import {
  BATCH_DIM,
  graphDescription,
  graphNodes,
  INITIALIZERS,
  initializerLayout,
  INPUT_NAME,
  METADATA_KEYS,
  ONNX_FLOAT,
  ONNX_INT64,
  ONNX_IR_VERSION,
  type InitializerName,
  ONNX_OPSET,
  ONNX_PRODUCER,
  OUTPUT_NAME,
} from "../onnx/onnxLayout.js";
import { crc32Hex } from "../onnx/crc32.js";

const { onnx } = protobuf;

/** Version string written as the ONNX producer_version (the exporter's, not the package's). */
export const EXPORTER_VERSION = "1";

/**
 * Writes a trained model as an ONNX graph (IR 8, opset 13): input `features` float32 `[N,F]`
 * (F = 26 for the `ads` feature set, 20 for `seed`), output `click_probability` float32 `[N,1]`,
 * computing the clamp to the model's domain (Max, Min: only when the model has one),
 * standardisation, the degree-2 terms (377 or 230), the linear layer, calibration and the
 * sigmoid (see `graphNodes`). `metadata_props` carry the feature set and names, window
 * config, horizon, scaler mean, term order and format (docs/inference.md).
 * The same model always gives the same bytes. The model is validated first. `extraMetadata`
 * adds entries after those (e.g. `privads.run_id`, `privads.seed` from an export).
 */
export function buildOnnxModel(model: InteractionModel, extraMetadata: ReadonlyArray<[string, string]> = []): Uint8Array {
  const m = parseInteractionModel(model, "buildOnnxModel");
  const featureSet = modelFeatureSet(m);
  const F = m.featureNames.length;
  const terms = polynomialTerms(F);
  const pairs = terms.filter(([, j]) => j >= 0);
  const clamped = m.domain !== undefined;
  const values: Record<InitializerName, readonly number[]> = {
    [INITIALIZERS.domainLow]: m.domain?.low ?? [],
    [INITIALIZERS.domainHigh]: m.domain?.high ?? [],
    [INITIALIZERS.mean]: m.scaler.mean,
    [INITIALIZERS.scale]: m.scaler.scale,
    [INITIALIZERS.scoreMin]: [-MAX_STANDARD_SCORE],
    [INITIALIZERS.scoreMax]: [MAX_STANDARD_SCORE],
    [INITIALIZERS.left]: pairs.map(([i]) => i),
    [INITIALIZERS.right]: pairs.map(([, j]) => j),
    [INITIALIZERS.weights]: m.coefficients,
    [INITIALIZERS.intercept]: [m.intercept],
    [INITIALIZERS.calSlope]: [m.calibration.slope],
    [INITIALIZERS.calIntercept]: [m.calibration.intercept],
  };
  const initializers = initializerLayout(F, terms.length, clamped).map(([name, dims, type]) =>
    type === ONNX_INT64 ? int64Tensor(name, values[name]) : floatTensor(name, dims, values[name]),
  );
  const nodes = graphNodes(clamped).map((node, k) =>
    onnx.NodeProto.create({
      name: `${node.op.toLowerCase()}_${k}`,
      opType: node.op,
      input: [...node.inputs],
      output: [...node.outputs],
      attribute: Object.entries(node.attributes).map(([name, value]) =>
        onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.INT, i: value }),
      ),
    }),
  );
  const description = graphDescription(clamped);
  const graph = onnx.GraphProto.create({
    name: "privads_interaction_predictor",
    node: nodes,
    initializer: initializers,
    input: [valueInfo(INPUT_NAME, F)],
    output: [valueInfo(OUTPUT_NAME, 1)],
    docString: description,
  });
  const metadata: Array<[string, string]> = [
    [METADATA_KEYS.format, MODEL_FORMAT],
    [METADATA_KEYS.formatVersion, String(MODEL_FORMAT_VERSION)],
    [METADATA_KEYS.featureNames, JSON.stringify(m.featureNames)],
    [METADATA_KEYS.featureSet, featureSet],
    [METADATA_KEYS.windowConfig, JSON.stringify(m.window)],
    [METADATA_KEYS.horizon, String(m.window.horizon)],
    [METADATA_KEYS.scalerMean, JSON.stringify(m.scaler.mean)],
    [METADATA_KEYS.termOrder, JSON.stringify(m.terms)],
    [METADATA_KEYS.graph, description],
    [METADATA_KEYS.checksum, crc32Hex(initializers.map((t) => t.rawData))],
    ...extraMetadata,
  ];
  const proto = onnx.ModelProto.create({
    irVersion: ONNX_IR_VERSION,
    opsetImport: [onnx.OperatorSetIdProto.create({ domain: "", version: ONNX_OPSET })],
    producerName: ONNX_PRODUCER,
    producerVersion: EXPORTER_VERSION,
    domain: "ai.privads",
    modelVersion: MODEL_FORMAT_VERSION,
    docString: `PrivAds on-device ad-click probability from the ${F} sliding-window features of the "${featureSet}" set`,
    graph,
    metadataProps: metadata.map(([key, value]) => onnx.StringStringEntryProto.create({ key, value })),
  });
  // A plain Uint8Array: protobufjs returns a Node Buffer, whose slice() is a view, not a copy.
  return new Uint8Array(onnx.ModelProto.encode(proto).finish());
}

function floatTensor(name: string, dims: number[], values: readonly number[]): protobuf.onnx.TensorProto {
  const data = new Float32Array(values);
  return onnx.TensorProto.create({ name, dims, dataType: ONNX_FLOAT, rawData: littleEndianBytes(data) });
}

function int64Tensor(name: string, values: readonly number[]): protobuf.onnx.TensorProto {
  const data = new BigInt64Array(values.map((v) => BigInt(v)));
  return onnx.TensorProto.create({ name, dims: [values.length], dataType: ONNX_INT64, rawData: littleEndianBytes(data) });
}

/** raw_data is little-endian by the ONNX spec, whatever the host. */
function littleEndianBytes(data: Float32Array | BigInt64Array): Uint8Array {
  const out = new Uint8Array(data.length * data.BYTES_PER_ELEMENT);
  const view = new DataView(out.buffer);
  for (let k = 0; k < data.length; k++) {
    if (data instanceof Float32Array) view.setFloat32(k * 4, data[k], true);
    else view.setBigInt64(k * 8, data[k], true);
  }
  return out;
}

function valueInfo(name: string, columns: number): protobuf.onnx.ValueInfoProto {
  return onnx.ValueInfoProto.create({
    name,
    type: onnx.TypeProto.create({
      tensorType: onnx.TypeProto.Tensor.create({
        elemType: ONNX_FLOAT,
        shape: onnx.TensorShapeProto.create({
          dim: [
            onnx.TensorShapeProto.Dimension.create({ dimParam: BATCH_DIM }),
            onnx.TensorShapeProto.Dimension.create({ dimValue: columns }),
          ],
        }),
      }),
    }),
  });
}
