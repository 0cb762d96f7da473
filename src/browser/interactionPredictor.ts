import { describeValue } from "../core/describeValue.js";
import { FEATURE_SETS, isFeatureName, type FeatureName, type FeatureSetName, type FeatureVector } from "../core/featureNames.js";
import { ModelFormatError, type InteractionModel } from "../core/interactionModel.js";
import type { WindowConfig } from "../core/windowConfig.js";
import { checkModelSize, MAX_MODEL_BYTES } from "../core/modelContract.js";
import { decodeOnnxModel } from "./decodeOnnxModel.js";
import { modelParametersFromJson, type ModelParameters } from "./modelParameters.js";
import { createBuiltinRuntime } from "./runtimes/builtinRuntime.js";
import { RUNTIME_NAMES, type InferenceRuntime, type RuntimeName } from "../onnx/inferenceRuntime.js";
import { createOnnxruntimeNodeRuntime } from "../node/onnxruntimeNodeRuntime.js";
import { createOnnxruntimeWebRuntime, DEFAULT_WASM_PATHS } from "./runtimes/onnxruntimeWebRuntime.js";

export const DEFAULT_MODEL_URL = "/models/interaction_predictor.onnx";

export interface InteractionPredictorOptions {
  /** Where to fetch the model (`.onnx`, or the `.json` model for the builtin runtime). Default {@link DEFAULT_MODEL_URL}. */
  modelUrl?: string;
  /** The model itself instead of a URL: `.onnx` bytes or a parsed JSON model. */
  model?: Uint8Array | ArrayBuffer | InteractionModel;
  /** Default "builtin" (no dependencies, float64). */
  runtime?: RuntimeName;
  /** onnxruntime-web only: URL prefix of the copied `ort/` files on the app's origin. Default "/models/ort/". */
  wasmPaths?: string;
  /** Injected fetch (tests, custom transports). Default `globalThis.fetch`. */
  fetch?: typeof fetch;
}

type Rows = Float32Array | Float64Array | readonly (readonly number[])[];

/**
 * On-device click-probability model. `initialize()` loads and checks the model once;
 * `predictClickProbability(features)` scores one named feature vector of the model's feature
 * set (`featureSet`: the 26 of `ads` or the 20 of `seed`; missing names take the training
 * mean). All data stays in the page.
 */
export class InteractionPredictor {
  readonly #options: InteractionPredictorOptions;
  readonly #runtimeName: RuntimeName;
  #loading: Promise<void> | undefined;
  #runtime: InferenceRuntime | undefined;
  #parameters: ModelParameters | undefined;
  /** One row of the model's width, reused by every single prediction (no allocation per call). */
  #row = new Float64Array(0);
  #disposed = false;

  constructor(options: InteractionPredictorOptions = {}) {
    if (typeof options !== "object" || options === null) throw new TypeError(`InteractionPredictor: options must be an object, got ${String(options)}`);
    const runtime = options.runtime ?? "builtin";
    if (!RUNTIME_NAMES.includes(runtime)) {
      throw new TypeError(`InteractionPredictor: runtime must be one of ${RUNTIME_NAMES.join(", ")}, got ${JSON.stringify(runtime)}`);
    }
    this.#options = options;
    this.#runtimeName = runtime;
  }

  /** Loads, checks and prepares the model. Safe to call more than once; later calls share the first. */
  initialize(): Promise<void> {
    if (this.#disposed) return Promise.reject(new Error("InteractionPredictor: disposed"));
    this.#loading ??= this.#load().catch((error: unknown) => {
      this.#loading = undefined; // allow a retry (e.g. after a network error)
      throw error;
    });
    return this.#loading;
  }

  /** True once `initialize()` has resolved. */
  get ready(): boolean {
    return this.#runtime !== undefined;
  }

  /** The runtime in use. */
  get runtimeInUse(): RuntimeName {
    return this.#runtimeName;
  }

  /** The model's window config (from its metadata); throws before `initialize()`. */
  get windowConfig(): WindowConfig {
    return this.#loaded().parameters.window;
  }

  /** The feature set the model was trained on (`ads` or `seed`); undefined until `initialize()` has resolved. */
  get featureSet(): FeatureSetName | undefined {
    return this.#parameters?.featureSet;
  }

  /** The model's feature names in contract order (what `predictBatch` rows hold); throws before `initialize()`. */
  get featureNames(): readonly FeatureName[] {
    return FEATURE_SETS[this.#loaded().parameters.featureSet];
  }

  /** Training means used to impute missing features, by name (the model's set); throws before `initialize()`. */
  get featureMeans(): FeatureVector {
    const mean = this.#loaded().parameters.imputationMean;
    return Object.fromEntries(this.featureNames.map((name, i) => [name, mean[i]])) as FeatureVector;
  }

  /**
   * Probability of an ad click within the model's horizon for one window's features.
   * Missing (or `undefined`) names take the training mean; an unknown name, a name outside the
   * model's set (e.g. `ads_in_view` for a `seed` model) or a value that is not a finite number
   * throws `TypeError` naming the field.
   */
  async predictClickProbability(features: Partial<FeatureVector>): Promise<number> {
    if (typeof features !== "object" || features === null || Array.isArray(features)) {
      throw new TypeError(`predictClickProbability: features must be an object of named features, got ${describeValue(features)}`);
    }
    if (!this.#runtime) {
      // Validate names and values before awaiting anything, so bad input fails the same way
      // before and after initialize(); whether a name is in the model's set waits for the model.
      readFeatures(features, new Float64Array(FEATURE_SETS.ads.length));
      await this.initialize();
    }
    const { runtime, parameters } = this.#loaded();
    const row = this.#row;
    row.set(parameters.imputationMean);
    readFeatures(features, row, parameters.featureSet);
    if (runtime.scoreRow) return runtime.scoreRow(row, 0);
    return (await runtime.run(row.slice(), 1))[0];
  }

  /**
   * Scores many rows of the model's F raw features (`featureNames`, contract order: 26 for
   * `ads`, 20 for `seed`): a flat row-major typed array whose length is a multiple of F, or an
   * array of F-number arrays. Returns one probability per row (Float64Array from builtin,
   * Float32Array from onnxruntime).
   */
  async predictBatch(rows: Rows): Promise<Float32Array | Float64Array> {
    if (!this.#runtime) await this.initialize();
    const { runtime } = this.#loaded();
    const { flat, count } = flattenRows(rows, this.featureNames);
    if (count === 0) return new Float64Array(0);
    return runtime.run(flat, count);
  }

  /** Releases the runtime (onnxruntime sessions hold wasm/native memory). */
  dispose(): void {
    this.#disposed = true;
    this.#runtime?.dispose();
    this.#runtime = undefined;
    this.#loading = undefined;
  }

  #loaded(): { runtime: InferenceRuntime; parameters: ModelParameters } {
    if (this.#disposed) throw new Error("InteractionPredictor: disposed");
    if (!this.#runtime || !this.#parameters) throw new Error("InteractionPredictor: call initialize() first");
    return { runtime: this.#runtime, parameters: this.#parameters };
  }

  async #load(): Promise<void> {
    const { model, modelUrl = DEFAULT_MODEL_URL } = this.#options;
    let bytes: Uint8Array | undefined;
    let parameters: ModelParameters;
    if (model !== undefined && !(model instanceof Uint8Array) && !(model instanceof ArrayBuffer)) {
      parameters = modelParametersFromJson(model, "InteractionPredictor model");
    } else {
      const source = model === undefined ? modelUrl : "InteractionPredictor model bytes";
      bytes = model === undefined ? await this.#fetchModel(modelUrl) : model instanceof ArrayBuffer ? new Uint8Array(model) : model;
      checkModelSize(bytes.length, source);
      if (looksLikeJson(bytes)) {
        let json: unknown;
        try {
          json = JSON.parse(new TextDecoder().decode(bytes));
        } catch (error) {
          throw new ModelFormatError(`${source}: not valid JSON (${(error as Error).message})`);
        }
        parameters = modelParametersFromJson(json, source);
        bytes = undefined;
      } else {
        parameters = decodeOnnxModel(bytes, source).parameters;
      }
    }
    let runtime: InferenceRuntime;
    if (this.#runtimeName === "builtin") {
      runtime = createBuiltinRuntime(parameters);
    } else {
      if (!bytes) throw new TypeError(`InteractionPredictor: runtime "${this.#runtimeName}" needs the .onnx model; a JSON model runs on "builtin" only`);
      runtime =
        this.#runtimeName === "onnxruntime-web"
          ? await createOnnxruntimeWebRuntime(bytes, parameters.mean.length, this.#options.wasmPaths ?? DEFAULT_WASM_PATHS)
          : await createOnnxruntimeNodeRuntime(bytes, parameters.mean.length);
    }
    if (this.#disposed) {
      runtime.dispose();
      throw new Error("InteractionPredictor: disposed during initialize()");
    }
    this.#parameters = parameters;
    this.#row = new Float64Array(parameters.mean.length);
    this.#runtime = runtime;
  }

  async #fetchModel(url: string): Promise<Uint8Array> {
    const doFetch = this.#options.fetch ?? globalThis.fetch;
    if (typeof doFetch !== "function") throw new Error(`InteractionPredictor: no fetch available to load ${url}; pass options.model or options.fetch`);
    const response = await doFetch(url);
    if (!response.ok) throw new Error(`InteractionPredictor: could not load the model from ${url}: HTTP ${response.status}`);
    // Dev servers with an SPA fallback answer a missing file with index.html and status 200.
    const type = response.headers?.get?.("content-type") ?? "";
    if (type.includes("text/html")) {
      throw new Error(`InteractionPredictor: no model at ${url} (the server answered with an HTML page); build it with \`npm run pipeline\``);
    }
    return readBoundedBody(response, url);
  }
}

/**
 * The response body, refused beyond `MAX_MODEL_BYTES` (1 MiB) before it is read: by its
 * `Content-Length`, then while streaming (a missing or false length stops at the bound and
 * cancels the download). A response without a stream body (some injected fetches) is read
 * whole; the caller checks its size.
 */
async function readBoundedBody(response: Response, url: string): Promise<Uint8Array> {
  checkModelSize(Number(response.headers?.get?.("content-length")) || 0, url);
  const reader = response.body?.getReader?.();
  if (!reader) return new Uint8Array(await response.arrayBuffer());
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (let chunk; !(chunk = await reader.read()).done; chunks.push(chunk.value)) {
    length += chunk.value.length;
    if (length > MAX_MODEL_BYTES) void reader.cancel().catch(() => undefined);
    checkModelSize(length, url);
  }
  return new Uint8Array(await new Blob(chunks as BlobPart[]).arrayBuffer());
}

/**
 * Writes the given named features over `row` (which holds the imputation means); throws
 * TypeError naming a bad field. `row` has the model's width: the sets are nested (`seed` is the
 * first 20 of `ads`, at the same positions), so a name belongs to the model's set exactly when
 * its `ads` position falls inside the row. Without `set` (model not loaded yet) only names and
 * values are checked.
 */
function readFeatures(features: Partial<FeatureVector>, row: Float64Array, set?: FeatureSetName): void {
  // One lookup per name of the set (own properties only: a polluted prototype is not read),
  // then a count: any other own key is a name this model does not know.
  const names = FEATURE_SETS[set ?? "ads"];
  let known = 0;
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    if (!hasOwn.call(features, name)) continue;
    known++;
    const value: unknown = features[name];
    if (value === undefined) continue;
    if (typeof value !== "number" || !Number.isFinite(value)) {
      throw new TypeError(`predictClickProbability: feature "${name}" must be a finite number, got ${describeValue(value)}`);
    }
    row[i] = value;
  }
  const own = Object.keys(features);
  if (own.length === known) return;
  for (const name of own) {
    if (!isFeatureName(name)) {
      throw new TypeError(`predictClickProbability: unknown feature ${JSON.stringify(name)}; valid names are ${names.join(", ")}`);
    }
    if (!names.includes(name)) {
      throw new TypeError(`predictClickProbability: "${name}" is not a feature of this model's set "${set}" (${names.join(", ")})`);
    }
  }
}

const hasOwn = Object.prototype.hasOwnProperty;

function looksLikeJson(bytes: Uint8Array): boolean {
  for (const b of bytes) {
    if (b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09 || b === 0xef || b === 0xbb || b === 0xbf) continue;
    return b === 0x7b; // "{"
  }
  return false;
}

/** Checks rows of the model's features (`names`, its width) and lays them out flat. */
function flattenRows(rows: Rows, names: readonly FeatureName[]): { flat: Float32Array | Float64Array; count: number } {
  const F = names.length;
  if (rows instanceof Float32Array || rows instanceof Float64Array) {
    if (rows.length % F !== 0) {
      throw new RangeError(`predictBatch: a flat array needs a multiple of ${F} values (rows x the model's features), got ${rows.length}`);
    }
    for (let k = 0; k < rows.length; k++) {
      if (!Number.isFinite(rows[k])) {
        throw new TypeError(`predictBatch: row ${Math.floor(k / F)}, feature "${names[k % F]}" must be a finite number, got ${rows[k]}`);
      }
    }
    return { flat: rows, count: rows.length / F };
  }
  if (!Array.isArray(rows)) throw new TypeError(`predictBatch: rows must be a Float32Array, Float64Array or an array of arrays, got ${describeValue(rows)}`);
  const flat = new Float64Array(rows.length * F);
  rows.forEach((row, r) => {
    if (!Array.isArray(row) || row.length !== F) {
      throw new RangeError(`predictBatch: row ${r} must be an array of ${F} numbers (${names.join(", ")})`);
    }
    for (let i = 0; i < F; i++) {
      const v: unknown = row[i];
      if (typeof v !== "number" || !Number.isFinite(v)) {
        throw new TypeError(`predictBatch: row ${r}, feature "${names[i]}" must be a finite number, got ${describeValue(v)}`);
      }
      flat[r * F + i] = v;
    }
  });
  return { flat, count: rows.length };
}
