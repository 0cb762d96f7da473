import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { type OracleTask, runOracleTasks } from "./oracle.js";

const WORKER_KIND = "privads-oracle";
/** Windows per claimed chunk: small enough to balance two threads, large enough to be cheap to claim. */
const CHUNK = 25;
/**
 * Below this many tasks a worker does not pay: starting one (loading the bundle, ~0.2 s of
 * CPU) costs about as much as the work. `--quick` (300 windows) still gains ~0.1-0.3 s from
 * the second core (measured interleaved, three runs each).
 */
export const MIN_WORKER_TASKS = 200;

export interface OracleOptions {
  runSeed: number;
  rollouts: number;
  horizon: number;
  /**
   * Use a worker thread (on the second core, while the caller trains). Default: when this
   * module runs as bundled JavaScript (the CLI) and there are at least MIN_WORKER_TASKS
   * tasks; under a TypeScript loader (tests) a worker could not load the source, so the
   * work runs in the calling thread. `true` forces a worker whenever one can be loaded.
   */
  worker?: boolean;
}

interface WorkerInput {
  kind: typeof WORKER_KIND;
  tasks: OracleTask[];
  counter: SharedArrayBuffer;
  options: OracleOptions;
}

type WorkerMessage = { type: "chunk"; from: number; values: Float64Array } | { type: "done" };

/** A running oracle estimate; {@link OracleJob.result} lends the calling thread to it. */
export interface OracleJob {
  /** Whether a worker thread is working on it. */
  readonly parallel: boolean;
  /**
   * Claims the chunks nobody has started yet in this thread, then waits for the worker's;
   * resolves to one probability per task, in task order.
   */
  result(): Promise<Float64Array>;
}

function claimLoop(tasks: readonly OracleTask[], counter: Int32Array, options: OracleOptions, onChunk: (from: number, to: number) => void): void {
  const chunks = Math.ceil(tasks.length / CHUNK);
  for (;;) {
    const c = Atomics.add(counter, 0, 1);
    if (c >= chunks) return;
    onChunk(c * CHUNK, Math.min(tasks.length, (c + 1) * CHUNK));
  }
}

function bundledScript(): URL | undefined {
  const here = import.meta.url;
  return here.startsWith("file:") && /\.m?js$/.test(here) ? new URL(here) : undefined;
}

/**
 * Starts estimating the oracle probability of every task (see {@link runOracleTasks}). Work is
 * split in chunks claimed through a shared counter: a worker thread starts at once, and the
 * caller joins in when it calls `result()`, so neither thread idles while the other has work
 * left. Every estimate depends only on the run seed and the task's stream id, so the output
 * is identical whichever thread computed what.
 */
export function startOracle(tasks: readonly OracleTask[], options: OracleOptions): OracleJob {
  const out = new Float64Array(tasks.length);
  const counterBuffer = new SharedArrayBuffer(4);
  const counter = new Int32Array(counterBuffer);
  const wanted = options.worker ?? tasks.length >= MIN_WORKER_TASKS;
  const script = wanted ? bundledScript() : undefined;
  let finished: Promise<void> = Promise.resolve();
  const parallel = script !== undefined && tasks.length > CHUNK;
  if (parallel) {
    const input: WorkerInput = { kind: WORKER_KIND, tasks: [...tasks], counter: counterBuffer, options: { ...options, worker: false } };
    const worker = new Worker(script!, { workerData: input });
    finished = new Promise<void>((resolve, reject) => {
      let done = false;
      worker.on("message", (message: WorkerMessage) => {
        if (message.type === "chunk") out.set(message.values, message.from);
        else done = true;
      });
      worker.on("error", reject);
      worker.on("exit", (code) => (done ? resolve() : reject(new Error(`oracle worker exited with code ${code} before finishing`))));
    });
    // Do not let an unhandled rejection escape before result() is awaited.
    finished.catch(() => {});
  }
  return {
    parallel,
    async result() {
      claimLoop(tasks, counter, options, (from, to) => runOracleTasks(tasks, from, to, options, out));
      await finished;
      return out;
    },
  };
}

/** Worker side: claim chunks until none are left, posting each chunk's values. */
function workerMain(input: WorkerInput): void {
  const port = parentPort!;
  const values = new Float64Array(input.tasks.length);
  claimLoop(input.tasks, new Int32Array(input.counter), input.options, (from, to) => {
    runOracleTasks(input.tasks, from, to, input.options, values);
    port.postMessage({ type: "chunk", from, values: values.slice(from, to) } satisfies WorkerMessage);
  });
  port.postMessage({ type: "done" } satisfies WorkerMessage);
}

// The bundled CLI is also the worker's script: this runs only inside an oracle worker.
if (!isMainThread && (workerData as Partial<WorkerInput> | null)?.kind === WORKER_KIND) workerMain(workerData as WorkerInput);
