import react from "@vitejs/plugin-react";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = fileURLToPath(new URL(".", import.meta.url));
const src = fileURLToPath(new URL("../src/", import.meta.url));

// The demo imports the library the way a user would ("privads", "privads/react"); the aliases
// point those names at the library's TypeScript sources in this repository.
export default defineConfig({
  root: here,
  plugins: [react()],
  resolve: {
    alias: [
      { find: /^privads\/react$/, replacement: `${src}react/index.ts` },
      { find: /^privads\/tracker$/, replacement: `${src}tracker/index.ts` },
      { find: /^privads$/, replacement: `${src}browser/index.ts` },
    ],
  },
  // Models (and onnxruntime-web's files, when exported with --with-onnxruntime-web) are served from public/models/.
  publicDir: "public",
  server: { host: "127.0.0.1", port: 5173, fs: { allow: [fileURLToPath(new URL("..", import.meta.url))] } },
  preview: { host: "127.0.0.1", port: 4173 },
  // onnxruntime-web is loaded on demand (runtime=onnxruntime-web) and must not be pre-bundled.
  optimizeDeps: { exclude: ["onnxruntime-web"] },
  // Built into the repository's dist/ (ignored by git and eslint).
  build: { outDir: fileURLToPath(new URL("../dist/demo/", import.meta.url)), emptyOutDir: true, target: "es2020", chunkSizeWarningLimit: 1024 },
});
