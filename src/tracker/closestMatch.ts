/** The nearest ancestor-or-self element of `target` matching `selector`, or null (also for non-elements). */
export function closestMatch(target: EventTarget | null | undefined, selector: string): Element | null {
  const element = target as Partial<Element> | null | undefined;
  return element && typeof element.closest === "function" ? element.closest(selector) : null;
}
