import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CHROMIUM_TESTS } from "../../vitest.config.js";

// vitest.config.ts splits the tests into a "node" and a "chromium" project by an explicit list;
// this keeps the list honest as files come and go.

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? testFiles(path) : entry.name.endsWith(".test.ts") ? [relative(ROOT, path).replaceAll("\\", "/")] : [];
  });
}

function allTs(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? allTs(path) : entry.name.endsWith(".ts") ? [relative(ROOT, path).replaceAll("\\", "/")] : [];
  });
}

/** How `from` imports `to` (both repository-relative .ts paths): `./x.js`, `../y/z.js`. */
function relativeImport(from: string, to: string): string {
  const path = relative(dirname(from), to).replaceAll("\\", "/").replace(/\.ts$/, ".js");
  return path.startsWith(".") ? path : `./${path}`;
}

describe("vitest projects", () => {
  const files = testFiles(join(ROOT, "test"));

  it("the chromium project lists existing test files", () => {
    for (const file of CHROMIUM_TESTS) expect(existsSync(join(ROOT, file)), file).toBe(true);
  });

  it("every test file that launches Chromium is in the chromium project, and only those", () => {
    const LAUNCH = /\blaunchChromium\(|launchPersistentContext\(|chromium\.launch\(/;
    // Test helpers (not test files) that launch it on a test's behalf, e.g. a fixture site, also
    // through another helper: grown until no helper imports one not yet in the set.
    const importsHelper = (file: string, source: string) =>
      helpers.some((helper) => source.includes(`"${relativeImport(file, helper)}"`));
    const candidates = allTs(join(ROOT, "test")).filter((file) => !file.endsWith(".test.ts") && !file.endsWith("support/chromium.ts"));
    const helpers = candidates.filter((file) => LAUNCH.test(readFileSync(join(ROOT, file), "utf8")));
    for (let grown = true; grown; ) {
      const more = candidates.filter((file) => !helpers.includes(file) && importsHelper(file, readFileSync(join(ROOT, file), "utf8")));
      helpers.push(...more);
      grown = more.length > 0;
    }
    const launching = files.filter((file) => {
      const source = readFileSync(join(ROOT, file), "utf8");
      return LAUNCH.test(source) || importsHelper(file, source);
    });
    expect(launching.sort()).toEqual([...CHROMIUM_TESTS].sort());
  });

  it("browser tests start Chromium through test/support/chromium.ts only", () => {
    const byHand = files.filter((file) => /launchPersistentContext\(|chromium\.launch\(/.test(readFileSync(join(ROOT, file), "utf8")));
    expect(byHand).toEqual([]);
  });
});
