import { defineConfig } from "vitest/config";

/**
 * Test files that launch Chromium (test/support/chromium.ts): their own project, so
 * `vitest run --project node` is the quick loop and `--project chromium` the browser one.
 * test/build/vitestProjects.test.ts checks this list against the files.
 */
export const CHROMIUM_TESTS = [
  "test/browser/chromium.test.ts",
  "test/e2e/demo.test.ts",
  "test/readers/readers.chromium.test.ts",
  "test/report/reportBrowser.test.ts",
  "test/robustness/privacy.test.ts",
  "test/robustness/trackerLoad.test.ts",
  "test/tracker/adViewabilityObserver.chromium.test.ts",
  "test/tracker/consent.chromium.test.ts",
  "test/tracker/pointerOnAdObserver.chromium.test.ts",
  "test/tracker/prototypePollution.chromium.test.ts",
];

export const ALL_TESTS = "test/**/*.test.ts";

// Every test file belongs to exactly one project: chromium's list, or else node.
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: "node", include: [ALL_TESTS], exclude: CHROMIUM_TESTS } },
      { extends: true, test: { name: "chromium", include: CHROMIUM_TESTS } },
    ],
  },
});
