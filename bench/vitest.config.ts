import { defineConfig } from "vitest/config";

// Browser benchmarks: timings belong here, not in `npm test`.
export default defineConfig({
  test: {
    root: new URL("..", import.meta.url).pathname,
    include: ["bench/browser/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
