// Bundles the CLI (Node) and the browser module with esbuild; type-checking is `npm run typecheck`.
import { build } from "esbuild";
import { existsSync } from "node:fs";

const root = new URL("..", import.meta.url).pathname;

/** Resolves imports of the SDK's own modules (core, browser, tracker) to the package's main entry. */
const sdkAsPackage = {
  name: "sdk-as-package",
  setup(b) {
    b.onResolve({ filter: /^\.\.\/(core|browser|tracker)\// }, (args) => (args.importer.includes("/src/react/") ? { path: "privads", external: true } : undefined));
  },
};
const entries = [
  { entry: "src/cli/main.ts", out: "dist/cli.js", platform: "node", external: ["onnxruntime-node", "onnxruntime-web", "playwright-core"] },
  { entry: "src/browser/index.ts", out: "dist/browser/interaction_predictor.js", platform: "browser", external: ["onnxruntime-web", "onnxruntime-web/wasm"], minify: true },
  // React bindings: a separate entry, so pages without React never load them. They import the
  // SDK itself from the package ("privads"), so a page using both holds one copy of it.
  { entry: "src/react/index.ts", out: "dist/react.js", platform: "browser", external: ["react", "react-dom", "onnxruntime-web", "onnxruntime-web/wasm"], minify: false, sdkExternal: true },
];

await Promise.all(
  entries
    .filter(({ entry }) => existsSync(root + entry))
    .map(({ entry, out, platform, external, minify = false, sdkExternal = false }) =>
      build({
        absWorkingDir: root,
        entryPoints: [entry],
        outfile: out,
        bundle: true,
        format: "esm",
        platform,
        target: platform === "node" ? "node20" : "es2020",
        external,
        minify,
        plugins: sdkExternal ? [sdkAsPackage] : [],
        sourcemap: false,
        legalComments: "none",
        logLevel: "warning",
        // CommonJS dependencies bundled into ESM still call require(); give them one.
        banner: platform === "node" ? { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" } : undefined,
      }),
    ),
);
