import { isWindowEvent } from "./isWindowEvent.js";
import { PASSIVE } from "./ownProperties.js";

/** Wraps a listener so it never throws into the page (and does nothing once stopped). */
export type Guard = <A extends unknown[]>(fn: (...args: A) => void) => (...args: A) => void;

/** A page's attention state; see {@link watchPageAttention}. @internal */
export interface PageAttention {
  /** Visible and focused now. */
  readonly attentive: boolean;
  /** Removes the listeners. */
  stop(): void;
}

/**
 * Follows whether the page has the user's attention: visible and its window focused, the
 * condition both ad signals hold to (docs/ad-signals.md). One copy of the three listeners (the
 * document's `visibilitychange`, the window's own `focus` and `blur`) the two ad observers
 * need, so the bundle carries them once. `onChange` runs after every event that may change it.
 * A page opened in a background window is visible but unfocused: it starts unfocused.
 * @internal
 */
export function watchPageAttention(win: Window, doc: Document, guard: Guard, onChange: () => void): PageAttention {
  let visible = doc.visibilityState !== "hidden";
  let focused = typeof doc.hasFocus === "function" ? doc.hasFocus() : true;
  const onVisibility = guard(() => {
    visible = doc.visibilityState !== "hidden";
    onChange();
  });
  // Element focus events do not bubble to the window; only the window's own pass the target test.
  const onFocusChange = guard((event: Event) => {
    if (!isWindowEvent(event)) return;
    focused = event.type === "focus";
    onChange();
  });
  doc.addEventListener("visibilitychange", onVisibility, PASSIVE);
  win.addEventListener("focus", onFocusChange, PASSIVE);
  win.addEventListener("blur", onFocusChange, PASSIVE);
  return {
    get attentive() {
      return visible && focused;
    },
    stop() {
      doc.removeEventListener("visibilitychange", onVisibility);
      win.removeEventListener("focus", onFocusChange);
      win.removeEventListener("blur", onFocusChange);
    },
  };
}
