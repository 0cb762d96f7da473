// Bundles the CLI (Node) and the browser module with esbuild; type-checking is `npm run typecheck`.
import { build } from "esbuild";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { BUILD_TARGETS, esbuildOptions, ROOT } from "./buildOptions.mjs";

await Promise.all(BUILD_TARGETS.filter(({ entry }) => existsSync(join(ROOT, entry))).map((target) => build(esbuildOptions(target))));
