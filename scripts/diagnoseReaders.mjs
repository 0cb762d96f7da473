// `node scripts/diagnoseReaders.mjs [--model PATH] [--samples N] [--seed S]`: the readers'
// diagnosis (docs/readers.md) as Markdown on stdout. Bundles scripts/readerDiagnosis.ts to
// plain JS first (nothing else in the repository runs TypeScript directly).
import { build } from "esbuild";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const root = new URL("..", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "privads-readers-"));
try {
  const outfile = join(dir, "readerDiagnosis.mjs");
  await build({ absWorkingDir: root, entryPoints: ["scripts/readerDiagnosis.ts"], outfile, bundle: true, format: "esm", platform: "node", target: "node20", logLevel: "warning",
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" } });
  process.chdir(root);
  await import(pathToFileURL(outfile).href);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
