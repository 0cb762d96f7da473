import type { BuildOptions } from "esbuild";

/** One bundle of the package. */
export interface BuildTarget {
  readonly entry: string;
  readonly out: string;
  readonly platform: "node" | "browser";
  readonly external: readonly string[];
  readonly minify?: boolean;
  /** React bindings: import the SDK from the package instead of bundling it. */
  readonly sdkExternal?: boolean;
  /** The browser bundle: the onnxruntime-node adapter is replaced by a stub that rejects. */
  readonly browserOnly?: boolean;
}

/** The repository root (absolute path, trailing slash). */
export declare const ROOT: string;
/** dist/browser/interaction_predictor.js, the package's main entry. */
export declare const BROWSER_BUNDLE: BuildTarget;
/** dist/node/interaction_predictor.js, the main entry under Node (with the onnxruntime-node adapter). */
export declare const NODE_BUNDLE: BuildTarget;
export declare const BUILD_TARGETS: readonly BuildTarget[];
/** esbuild options for one target, writing to `outfile` (default: its place in dist/). */
export declare function esbuildOptions(target: BuildTarget, outfile?: string): BuildOptions;
