// The esbuild options of the package's bundles, declared once: scripts/build.mjs builds with
// them, and the tests and benchmarks that build a bundle themselves reuse them, so they run and
// measure what ships. Types: buildOptions.d.mts.
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** Resolves imports of the SDK's own modules (core, browser, tracker) to the package's main entry. */
const sdkAsPackage = {
  name: "sdk-as-package",
  setup(b) {
    b.onResolve({ filter: /^\.\.\/(core|browser|tracker)\// }, (args) => (args.importer.includes("/src/react/") ? { path: "privads", external: true } : undefined));
  },
};

/**
 * The browser bundle leaves out the onnxruntime-node adapter (native, Node only): a stub that
 * rejects with a clear error takes its place.
 */
const nodeRuntimeStub = {
  name: "node-runtime-stub",
  setup(b) {
    b.onResolve({ filter: /\/node\/onnxruntimeNodeRuntime\.js$/ }, () => ({ path: join(ROOT, "src/browser/runtimes/onnxruntimeNodeUnavailable.ts") }));
  },
};

export const BROWSER_BUNDLE = { entry: "src/browser/index.ts", out: "dist/browser/interaction_predictor.js", platform: "browser", external: ["onnxruntime-web", "onnxruntime-web/wasm"], minify: true, browserOnly: true };

/** The same module for Node (package.json "exports", condition "node"): it runs onnxruntime-node too. */
export const NODE_BUNDLE = { entry: "src/browser/index.ts", out: "dist/node/interaction_predictor.js", platform: "node", external: ["onnxruntime-node", "onnxruntime-web", "onnxruntime-web/wasm"] };

export const BUILD_TARGETS = [
  { entry: "src/cli/main.ts", out: "dist/cli.js", platform: "node", external: ["onnxruntime-node", "onnxruntime-web", "playwright-core"] },
  BROWSER_BUNDLE,
  NODE_BUNDLE,
  // React bindings: a separate entry, so pages without React never load them. They import the
  // SDK itself from the package ("privads"), so a page using both holds one copy of it.
  { entry: "src/react/index.ts", out: "dist/react.js", platform: "browser", external: ["react", "react-dom", "onnxruntime-web", "onnxruntime-web/wasm"], minify: false, sdkExternal: true },
];

/** esbuild options for one target, writing to `outfile` (default: its place in dist/). */
export function esbuildOptions({ entry, out, platform, external, minify = false, sdkExternal = false, browserOnly = false }, outfile = out) {
  return {
    absWorkingDir: ROOT,
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: "esm",
    platform,
    target: platform === "node" ? "node20" : "es2022",
    external,
    minify,
    plugins: [...(sdkExternal ? [sdkAsPackage] : []), ...(browserOnly ? [nodeRuntimeStub] : [])],
    sourcemap: false,
    legalComments: "none",
    logLevel: "warning",
    // CommonJS dependencies bundled into ESM still call require(); give them one.
    banner: platform === "node" ? { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" } : undefined,
  };
}
