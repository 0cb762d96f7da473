import { readFileSync } from "node:fs";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type * as ReactBindings from "../../src/react/index.js";

// `npm test` builds dist/ first. The React entry is what `import ... from "privads/react"` loads.
describe("dist/react.js", () => {
  it("imports the SDK from the package instead of bundling a second copy", () => {
    const code = readFileSync(new URL("../../dist/react.js", import.meta.url), "utf8");
    expect(code).toMatch(/from "privads"/);
    expect(code).not.toMatch(/class SlidingWindowExtractor|function decodeOnnxModel/);
  });

  it("renders through the package's own exports (self-reference resolves to the browser bundle)", async () => {
    // A variable specifier: type-checking must not depend on dist/types being built.
    const specifier = "privads/react";
    const { PrivAdsProvider } = (await import(specifier)) as typeof ReactBindings;
    const html = renderToString(createElement(PrivAdsProvider, { predictor: null }, createElement("p", null, "article")));
    expect(html).toBe("<p>article</p>");
  });
});
