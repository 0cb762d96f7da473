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
}

/** The repository root (absolute path, trailing slash). */
export declare const ROOT: string;
/** dist/browser/interaction_predictor.js, the package's main entry. */
export declare const BROWSER_BUNDLE: BuildTarget;
export declare const BUILD_TARGETS: readonly BuildTarget[];
/** esbuild options for one target, writing to `outfile` (default: its place in dist/). */
export declare function esbuildOptions(target: BuildTarget, outfile?: string): BuildOptions;
