// The PRNG moved to src/random/ so training and evaluation can draw without reaching into the
// generator; this keeps the generator's own imports (and its public index) unchanged.
export { MAX_SEED, SeededRandom } from "../random/seededRandom.js";
export { fmix32, mixSeeds } from "../core/randomStreams.js";
