import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";

// The platform-neutral core is enforced by the build, not by habit: eslint.config.js forbids
// src/core from importing anything outside src/core, and tsconfig.core.json (part of
// `npm run typecheck`) type-checks src/core without DOM or Node globals. Each check is shown
// catching a bad file here, and passing a good one.

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), "privads-core-boundary-"));
// ES modules, as in the repository (NodeNext reads "type" from the nearest package.json).
writeFileSync(join(tmp, "package.json"), '{ "type": "module" }\n');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("eslint keeps src/core's imports inside src/core", () => {
  const eslint = new ESLint({ cwd: ROOT });
  /** Lints `code` as if it were a file at `path` (relative to the repository), with the project's config. */
  const lint = async (code: string, path: string) => {
    const [result] = await eslint.lintText(code, { filePath: join(ROOT, path) });
    return result.messages.map((m) => `${m.ruleId}: ${m.message}`);
  };

  it.each([
    ['import { readFileSync } from "node:fs";', /no-restricted-imports: .*no Node built-ins/],
    ['import { readFileSync } from "fs";', /no-restricted-imports: .*no npm packages/],
    ['import { writeFileAtomic } from "../io/atomicFile.js";', /no-restricted-imports: .*imports only src\/core/],
    ['export { startStaticServer } from "../node/staticServer.js";', /no-restricted-imports: .*imports only src\/core/],
    ['import type { Plot } from "@observablehq/plot";', /no-restricted-imports: .*no npm packages/],
    ['export const load = () => import("./featureNames.js");', /no-restricted-syntax: .*loads no module at run time/],
  ])("rejects %s in src/core", async (code, message) => {
    const messages = await lint(`${code}\n`, "src/core/boundaryProbe.ts");
    expect(messages.some((m) => message.test(m)), messages.join("\n")).toBe(true);
  });

  it("accepts imports within src/core, and leaves other folders to their own rules", async () => {
    expect(await lint('import { FEATURE_NAMES } from "./featureNames.js";\nexport const first = FEATURE_NAMES[0];\n', "src/core/boundaryProbe.ts")).toEqual([]);
    expect(await lint('import { readFile } from "node:fs/promises";\nexport const read = readFile;\n', "src/node/boundaryProbe.ts")).toEqual([]);
  });

  it("the real src/core passes", async () => {
    const results = await eslint.lintFiles([join(ROOT, "src/core")]);
    expect(results.length).toBeGreaterThan(5);
    expect(results.flatMap((r) => r.messages.map((m) => `${r.filePath}: ${m.message}`))).toEqual([]);
  });
});

describe("tsconfig.core.json type-checks src/core without DOM or Node globals", () => {
  const configPath = join(ROOT, "tsconfig.core.json");
  const { config, error } = ts.readConfigFile(configPath, ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, ROOT, undefined, configPath);
  /** Type-checks one file under the core's compiler options; returns the diagnostics as text. */
  const check = (name: string, code: string): string[] => {
    const file = join(tmp, name);
    writeFileSync(file, code);
    const program = ts.createProgram([file], parsed.options);
    return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
  };

  it("is a valid config that includes the core", () => {
    expect(error).toBeUndefined();
    expect(parsed.errors).toEqual([]);
    expect(parsed.options.lib).toEqual(["lib.es2022.d.ts"]);
    expect(parsed.fileNames).toContain(join(ROOT, "src/core/interactionModel.ts").replaceAll("\\", "/"));
    expect(parsed.fileNames.every((f) => f.includes("/src/core/"))).toBe(true);
  });

  it.each([
    ["document.ts", "export const title = document.title;\n", /Cannot find name 'document'/],
    ["window.ts", "export const width = window.innerWidth;\n", /Cannot find name 'window'/],
    ["process.ts", "export const env = process.env.HOME;\n", /Cannot find name 'process'/],
    ["buffer.ts", 'export const bytes = Buffer.from("x");\n', /Cannot find name 'Buffer'/],
  ])("rejects %s", (name, code, message) => {
    const diagnostics = check(name, code);
    expect(diagnostics).toHaveLength(1); // the missing global, nothing else
    expect(diagnostics[0]).toMatch(message);
  });

  it("accepts plain ES2022", () => {
    expect(check("plain.ts", "export const largest = Math.max(...[1, 2, 3]);\nexport const keys = Object.entries({ a: 1 }).flat();\n")).toEqual([]);
  });

  it("the real src/core type-checks", () => {
    const program = ts.createProgram(parsed.fileNames, parsed.options);
    expect(ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"))).toEqual([]);
  });
});
