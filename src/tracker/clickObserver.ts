import { AD_ATTRIBUTE } from "./adAttribute.js";
import { closestMatch } from "./closestMatch.js";
import type { ObserverContext, Teardown } from "./observerContext.js";

/**
 * `click` for a pointer click anywhere, `click_ad` inside an element marked `data-privads-ad`
 * (docs/browser.md). Listens in the capture phase, so a page that stops propagation still
 * counts. `isSuppressed` covers the tracker's own synthetic clicks (the download link).
 */
export function initClickObserver(ctx: ObserverContext, isSuppressed: () => boolean): Teardown {
  return ctx.listen(
    ctx.document,
    "click",
    (event) => {
      if (isSuppressed()) return;
      ctx.observe(closestMatch(event.target, `[${AD_ATTRIBUTE}]`) ? "click_ad" : "click");
    },
    true,
  );
}
