import { isWindowEvent } from "./isWindowEvent.js";
import type { ObserverContext, Teardown } from "./observerContext.js";

/**
 * `focus_window` / `blur_window` from the window's focus and blur and the document's
 * `visibilitychange`, de-duplicated against the session's focus state so the stream alternates
 * (docs/browser.md). A page that starts hidden records `blur_window` at once.
 */
export function initFocusObserver(ctx: ObserverContext): Teardown {
  const setFocused = (focused: boolean): void => {
    if (focused === ctx.isFocused() || ctx.isClosed()) return;
    ctx.observe(focused ? "focus_window" : "blur_window");
  };
  const stops = [
    ctx.listen(ctx.window, "focus", (event) => {
      if (isWindowEvent(event)) setFocused(true);
    }),
    ctx.listen(ctx.window, "blur", (event) => {
      if (isWindowEvent(event)) setFocused(false);
    }),
    ctx.listen(ctx.document, "visibilitychange", () => {
      const state = ctx.document.visibilityState;
      if (state === "hidden") setFocused(false);
      else if (state === "visible") setFocused(true);
    }),
  ];
  if (ctx.document.visibilityState === "hidden") setFocused(false);
  return () => {
    for (const stop of stops) stop();
  };
}
