import type { ObserverContext, Teardown } from "./observerContext.js";

/** `close_tab` on `pagehide`: the session ends (the tracker then tears every observer down). */
export function initPageHideObserver(ctx: ObserverContext): Teardown {
  return ctx.listen(ctx.window, "pagehide", () => ctx.observe("close_tab"));
}
