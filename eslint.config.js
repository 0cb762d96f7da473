import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "dist/", "models/", "privads-demo/public/models/", "coverage/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: "readonly", console: "readonly", performance: "readonly", URL: "readonly", setTimeout: "readonly", clearTimeout: "readonly" },
    },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
  // The platform-neutral core: shared by the CLI, the browser bundle and the React bindings, so
  // it imports only itself (no DOM, no node:, no npm package). tsconfig.core.json checks the
  // globals; test/build/coreBoundary.test.ts shows both checks failing on a bad import.
  {
    files: ["src/core/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { regex: "^node:", message: "src/core is platform-neutral: no Node built-ins (Node-only code goes in src/node)." },
            { regex: "^\\.\\./|/\\.\\./", message: "src/core imports only src/core: move the shared part into src/core, or the caller out of it." },
            { regex: "^(?!\\.|node:)", message: "src/core uses no npm packages (and no bare Node built-ins)." },
          ],
        },
      ],
      "no-restricted-syntax": ["error", { selector: "ImportExpression", message: "src/core loads no module at run time: import statically from src/core." }],
    },
  },
  // The ONNX layout and the runtime contract, shared by the writer (Node) and the reader (browser).
  {
    files: ["src/onnx/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ regex: "^(?!\\./|\\.\\./core/)", message: "src/onnx is platform-neutral: it imports only src/onnx and src/core." }] },
      ],
    },
  },
  // The browser bundle: Node built-ins never reach it (test/export/bundleSize.test.ts checks the output too).
  {
    files: ["src/browser/**/*.ts", "src/tracker/**/*.ts", "src/react/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ regex: "^node:", message: "browser code imports no Node built-in." }] }],
    },
  },
);
