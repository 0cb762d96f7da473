import { isMainThread, MessageChannel, type MessagePort, receiveMessageOnPort, Worker, workerData } from "node:worker_threads";
import { type FoldDesign, type FoldFit, foldDesigns } from "../training/crossValidate.js";
import type { FeatureTransform } from "../training/featureTransform.js";
import type { FoldSplit } from "../training/groupedKFold.js";
import { assemblePath, checkPath, foldPath, REGULARISATION_PATH, type RegularisationPath, regularisationPath } from "../training/regularisationPath.js";

const WORKER_KIND = "privads-path";
/**
 * Below this many training rows a second thread does not pay: starting one (loading the
 * bundle, ~0.2 s of CPU) costs about what it saves.
 */
export const MIN_WORKER_ROWS = 10_000;

// Shared control words: the next fold to claim, and how many folds the worker has posted.
const CLAIM = 0;
const POSTED = 1;

interface WorkerInput {
  kind: typeof WORKER_KIND;
  X: Float64Array;
  n: number;
  y: Uint8Array;
  folds: FoldSplit[];
  transforms: FeatureTransform[];
  path: number[];
  tolerance?: number;
  control: SharedArrayBuffer;
  port: MessagePort;
}

type WorkerMessage = { type: "fold"; fold: number; fits: FoldFit[] } | { type: "error"; fold: number; message: string };

function bundledScript(): URL | undefined {
  const here = import.meta.url;
  return here.startsWith("file:") && /\.m?js$/.test(here) ? new URL(here) : undefined;
}

/**
 * The regularisation path (see regularisationPath; hierarchical penalty) of the degree-2 designs of `transforms`
 * (one per fold) over the raw `n x F` matrix `X`, with the folds shared between this thread
 * and a worker thread: each claims the next fold through a shared counter and runs that
 * fold's whole path. Folds are independent and deterministic, so the result is the same
 * whichever thread ran which fold (and identical to the single-threaded one). A worker is
 * used from MIN_WORKER_ROWS training rows when this module runs as the bundled CLI (under a
 * TypeScript loader, in tests, it could not load the source) or when `worker` is true; a
 * fold the worker claimed but has not delivered long after this thread finished is run here.
 * Without a worker it is regularisationPath in this thread.
 */
export function runRegularisationPath(
  X: Float64Array,
  n: number,
  y: Uint8Array,
  rows: Int32Array,
  folds: readonly FoldSplit[],
  transforms: readonly FeatureTransform[],
  options: { path?: readonly number[]; tolerance?: number; worker?: boolean; onFold?: (done: number, total: number) => void } = {},
): RegularisationPath {
  const path = options.path ?? REGULARISATION_PATH;
  checkPath(path);
  if (transforms.length !== folds.length) throw new RangeError(`runRegularisationPath: ${transforms.length} transforms for ${folds.length} folds`);
  const designs: FoldDesign[] = foldDesigns(X, n, transforms, 2);
  const F = transforms[0].mean.length;
  const wanted = options.worker ?? rows.length >= MIN_WORKER_ROWS;
  const script = wanted && folds.length > 1 ? bundledScript() : undefined;
  if (script === undefined) return regularisationPath(designs, y, rows, folds, { path, tolerance: options.tolerance, features: F, onFold: options.onFold });

  const perFold: (FoldFit[] | undefined)[] = folds.map(() => undefined);
  let done = 0;
  const finish = (f: number, fits: FoldFit[]): void => {
    if (perFold[f] !== undefined) return;
    perFold[f] = fits;
    options.onFold?.(++done, folds.length);
  };
  const control = new Int32Array(new SharedArrayBuffer(8));
  // Datasets keep their features in shared memory (see WindowDatasetBuilder); others are copied once.
  let sharedX = X;
  if (!(X.buffer instanceof SharedArrayBuffer)) {
    sharedX = new Float64Array(new SharedArrayBuffer(X.byteLength));
    sharedX.set(X);
  }
  const { port1: port, port2 } = new MessageChannel();
  const input: WorkerInput = {
    kind: WORKER_KIND,
    X: sharedX,
    n,
    y,
    folds: [...folds],
    transforms: [...transforms],
    path: [...path],
    tolerance: options.tolerance,
    control: control.buffer as SharedArrayBuffer,
    port: port2,
  };
  const worker = new Worker(script, { workerData: input, transferList: [port2] });
  // A failure surfaces through the fold messages (or the fallback below), never as an unhandled event.
  worker.on("error", () => {});

  let ownMs = 0;
  let ownFolds = 0;
  for (;;) {
    const f = Atomics.add(control, CLAIM, 1);
    if (f >= folds.length) break;
    const started = performance.now();
    finish(f, foldPath(designs[f], y, folds[f], path, options.tolerance, F));
    ownMs += performance.now() - started;
    ownFolds++;
  }

  // Wait for the worker's folds; one it does not deliver in several times our own time per fold is run here.
  const limitMs = Math.max(10_000, 4 * (ownFolds > 0 ? ownMs / ownFolds : 0));
  let waitedSince = performance.now();
  let seen = 0;
  while (perFold.some((p) => p === undefined)) {
    let message: { message: WorkerMessage } | undefined;
    while ((message = receiveMessageOnPort(port) as { message: WorkerMessage } | undefined) !== undefined) {
      const m = message.message;
      if (m.type === "error") throw new Error(`regularisation path, fold ${m.fold + 1} (worker thread): ${m.message}`);
      finish(m.fold, m.fits);
      waitedSince = performance.now();
    }
    if (!perFold.some((p) => p === undefined)) break;
    if (performance.now() - waitedSince > limitMs) {
      const missing = perFold.findIndex((p) => p === undefined);
      finish(missing, foldPath(designs[missing], y, folds[missing], path, options.tolerance, F));
      waitedSince = performance.now();
      continue;
    }
    const posted = Atomics.load(control, POSTED);
    if (posted === seen) Atomics.wait(control, POSTED, seen, 200);
    seen = Atomics.load(control, POSTED);
  }
  port.close();
  void worker.terminate();
  return assemblePath(perFold as FoldFit[][], y, rows, folds, path);
}

/** Worker side: claim folds until none are left, posting each fold's path. */
function workerMain(input: WorkerInput): void {
  const control = new Int32Array(input.control);
  const designs = foldDesigns(input.X, input.n, input.transforms, 2);
  for (;;) {
    const f = Atomics.add(control, CLAIM, 1);
    if (f >= input.folds.length) break;
    let message: WorkerMessage;
    try {
      const F = input.transforms[f].mean.length;
      message = { type: "fold", fold: f, fits: foldPath(designs[f], input.y, input.folds[f], input.path, input.tolerance, F) };
    } catch (error) {
      message = { type: "error", fold: f, message: error instanceof Error ? error.message : String(error) };
    }
    input.port.postMessage(message);
    Atomics.add(control, POSTED, 1);
    Atomics.notify(control, POSTED);
    if (message.type === "error") break;
  }
  input.port.close();
}

// The bundled CLI is also the worker's script: this runs only inside a path worker.
if (!isMainThread && (workerData as Partial<WorkerInput> | null)?.kind === WORKER_KIND) workerMain(workerData as WorkerInput);
