import type { ObserverContext, Teardown } from "./observerContext.js";

/** The scroll observer: its teardown, and the pending gesture other actions must end first. */
export interface ScrollObserver {
  /** Records the pending gesture, if any, now (its `t` is its last scroll event's). */
  flush(): void;
  /** True while a gesture waits for its quiet time; the wait clock holds meanwhile. */
  readonly pending: boolean;
  teardown: Teardown;
}

/**
 * `scroll_down` / `scroll_up`: one per gesture, window `scroll` events coalesced until
 * `quietMs` of quiet; direction from the net pixel movement since the previous gesture (none
 * when zero), `t` of the gesture's last scroll event, `depth` at its end (docs/browser.md).
 */
export function initScrollObserver(ctx: ObserverContext, quietMs: number): ScrollObserver {
  let startTop = readScroll(ctx.document).top;
  let pending = false;
  let lastScrollMs = 0;
  let lastScrollT = 0;
  let cancelQuiet: Teardown | undefined;
  const cancel = (): void => {
    cancelQuiet?.();
    cancelQuiet = undefined;
  };

  const flush = (): void => {
    if (!pending) return;
    pending = false;
    cancel();
    const { top, depth } = readScroll(ctx.document);
    const net = top - startTop;
    startTop = top;
    if (net > 0) ctx.observe("scroll_down", lastScrollT, depth);
    else if (net < 0) ctx.observe("scroll_up", lastScrollT, depth);
    else ctx.resumeWaits();
  };

  // Scroll events come in bursts: one timer per gesture, re-armed for the rest of the quiet
  // time when it fires early, rather than one timer per event.
  const onQuiet = (): void => {
    cancelQuiet = undefined;
    if (!pending) return;
    const idle = ctx.now() - lastScrollMs;
    if (idle < quietMs) {
      cancelQuiet = ctx.later(onQuiet, Math.max(1, Math.ceil(quietMs - idle)));
      return;
    }
    flush();
  };

  const stop = ctx.listen(ctx.window, "scroll", () => {
    if (ctx.isClosed()) return;
    const t = ctx.currentTime();
    lastScrollMs = ctx.now();
    lastScrollT = t;
    if (!pending) {
      pending = true;
      cancelQuiet = ctx.later(onQuiet, quietMs);
    }
  });

  return {
    flush,
    get pending() {
      return pending;
    },
    teardown: () => {
      stop();
      cancel();
      pending = false;
    },
  };
}

/** The page's scroll position in pixels and as a depth in [0, 1] (4 decimals). */
function readScroll(doc: Document): { top: number; depth: number } {
  const element = doc.scrollingElement ?? doc.documentElement;
  if (!element) return { top: 0, depth: 0 };
  const top = Number(element.scrollTop) || 0;
  const max = (Number(element.scrollHeight) || 0) - (Number(element.clientHeight) || 0);
  const depth = max > 0 ? Math.min(1, Math.max(0, top / max)) : 0;
  return { top, depth: Math.round(depth * 1e4) / 1e4 };
}
