import { AD_ATTRIBUTE } from "./adAttribute.js";
import { closestMatch } from "./closestMatch.js";
import type { ObserverContext, Teardown } from "./observerContext.js";

/** Elements whose dwell counts as a `hover` (docs/browser.md: link, button, image, ad). */
export const INTERACTIVE_SELECTOR = `a, button, img, [role=button], input, select, textarea, [${AD_ATTRIBUTE}]`;

/**
 * `hover` once the pointer has dwelt `dwellMs` on the innermost interactive element under it;
 * one per entry, leaving early cancels. The element is held only while the pointer is on it,
 * to detect leaving, and never recorded.
 */
export function initHoverObserver(ctx: ObserverContext, dwellMs: number): Teardown {
  let current: Element | null = null;
  let cancelDwell: Teardown | undefined;
  const cancel = (): void => {
    cancelDwell?.();
    cancelDwell = undefined;
  };
  const moveTo = (element: Element | null): void => {
    if (element === current || ctx.isClosed()) return;
    cancel();
    current = element;
    if (element === null) return;
    cancelDwell = ctx.later(() => {
      cancelDwell = undefined;
      if (current !== null) ctx.observe("hover");
    }, dwellMs);
  };
  const stops = [
    ctx.listen(ctx.document, "mouseover", (event) => moveTo(closestMatch(event.target, INTERACTIVE_SELECTOR)), true),
    ctx.listen(ctx.document, "mouseout", (event) => moveTo(closestMatch((event as MouseEvent).relatedTarget, INTERACTIVE_SELECTOR)), true),
  ];
  return () => {
    for (const stop of stops) stop();
    cancel();
    current = null;
  };
}
