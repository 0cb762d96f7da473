import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
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

describe("vitest projects", () => {
  const files = testFiles(join(ROOT, "test"));

  it("the chromium project lists existing test files", () => {
    for (const file of CHROMIUM_TESTS) expect(existsSync(join(ROOT, file)), file).toBe(true);
  });

  it("every test file that launches Chromium is in the chromium project, and only those", () => {
    const launching = files.filter((file) => /\blaunchChromium\(|launchPersistentContext\(|chromium\.launch\(/.test(readFileSync(join(ROOT, file), "utf8")));
    expect(launching.sort()).toEqual([...CHROMIUM_TESTS].sort());
  });

  it("browser tests start Chromium through test/support/chromium.ts only", () => {
    const byHand = files.filter((file) => /launchPersistentContext\(|chromium\.launch\(/.test(readFileSync(join(ROOT, file), "utf8")));
    expect(byHand).toEqual([]);
  });
});
