import { vi } from "vitest";
import type { InteractionEvent } from "../../src/core/interactionEvent.js";
import { InteractionTracker, type InteractionTrackerOptions } from "../../src/tracker/interactionTracker.js";

/** Scrollable range used by the tests: 1000 px of travel (scrollHeight 1500, clientHeight 500). */
export const SCROLL_MAX = 1000;

/** Makes the happy-dom page scrollable by `max` pixels (happy-dom has no layout). */
export function makeScrollable(max = SCROLL_MAX, client = 500): void {
  const root = document.documentElement;
  Object.defineProperty(root, "scrollHeight", { configurable: true, get: () => max + client });
  Object.defineProperty(root, "clientHeight", { configurable: true, get: () => client });
  root.scrollTop = 0;
}

/** Moves the page to `top` and fires the `scroll` event a browser would. */
export function scrollTo(top: number): void {
  document.documentElement.scrollTop = top;
  window.dispatchEvent(new Event("scroll"));
}

export function click(target: Element): void {
  target.dispatchEvent(new MouseEvent("click", { bubbles: true, cancelable: true, detail: 1 }));
}

/** The pointer moves from `from` (or outside the page) onto `to`. */
export function pointerMove(from: Element | null, to: Element | null): void {
  from?.dispatchEvent(new MouseEvent("mouseout", { bubbles: true, relatedTarget: to }));
  to?.dispatchEvent(new MouseEvent("mouseover", { bubbles: true, relatedTarget: from }));
}

export function setVisibility(state: "visible" | "hidden"): void {
  Object.defineProperty(document, "visibilityState", { configurable: true, get: () => state });
  document.dispatchEvent(new Event("visibilitychange"));
}

export interface Harness {
  tracker: InteractionTracker;
  /** Every event the tracker emitted, in order. */
  events: InteractionEvent[];
  /** Advances the fake clock (and runs due timers). */
  advance(ms: number): void;
  /** Milliseconds since the tracker started. */
  elapsed(): number;
}

/**
 * A started tracker on the happy-dom window with fake timers and a clock that follows them
 * (`Date.now()` under `vi.useFakeTimers()`), so t = elapsed fake milliseconds / 1000.
 */
export function startTracker(options: InteractionTrackerOptions = {}): Harness {
  vi.useFakeTimers();
  const origin = Date.now();
  const tracker = new InteractionTracker({ now: () => Date.now() - origin, window, ...options });
  const events: InteractionEvent[] = [];
  tracker.onEvent((event) => events.push(event));
  tracker.start();
  return {
    tracker,
    events,
    advance: (ms) => vi.advanceTimersByTime(ms),
    elapsed: () => Date.now() - origin,
  };
}

/** `[type, t]` pairs (and depth when present), for compact expectations. */
export function brief(events: readonly InteractionEvent[]): Array<[string, number] | [string, number, number]> {
  return events.map((e) => (e.depth === undefined ? [e.type, e.t] : [e.type, e.t, e.depth]));
}

/** Builds the article used by the tests: text, a link, a button, an image and an ad with a button inside. */
export function buildPage(): {
  paragraph: HTMLElement;
  span: HTMLElement;
  link: HTMLAnchorElement;
  linkText: HTMLElement;
  button: HTMLButtonElement;
  image: HTMLImageElement;
  roleButton: HTMLElement;
  input: HTMLInputElement;
  ad: HTMLElement;
  adText: HTMLElement;
  adButton: HTMLButtonElement;
} {
  document.body.innerHTML = `
    <main>
      <p id="p">Some private text the tracker must never record. <span id="span">inner</span></p>
      <a id="link" href="https://example.com/secret-path?user=42"><em id="linkText">secret link text</em></a>
      <button id="button">Press</button>
      <img id="image" alt="picture">
      <div id="role" role="button">Role button</div>
      <input id="input" value="typed secret">
      <aside id="ad" data-privads-ad="slot-1"><p id="adText">Ad copy</p><button id="adButton">Buy</button></aside>
    </main>`;
  const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
  return {
    paragraph: byId("p"),
    span: byId("span"),
    link: byId("link"),
    linkText: byId("linkText"),
    button: byId("button"),
    image: byId("image"),
    roleButton: byId("role"),
    input: byId("input"),
    ad: byId("ad"),
    adText: byId("adText"),
    adButton: byId("adButton"),
  };
}
