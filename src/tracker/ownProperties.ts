/**
 * Guards against a host page that adds properties to `Object.prototype` (a bad polyfill, a
 * prototype-pollution bug): an object literal inherits them, so `{ passive: true }` would also
 * say `once: true` to the browser, and an event without a depth would read one
 * (docs/privacy.md, "A hostile or broken host page"). The SDK makes the objects it hands out or
 * passes to the browser with {@link bare}, and reads the objects it is given with
 * {@link ownOptions}.
 * @internal
 */

/** `fields` on an object without a prototype: it has exactly these properties, nothing inherited. */
export function bare<T extends object>(fields: T): T {
  return Object.assign(Object.create(null) as T, fields);
}

/**
 * The own enumerable properties of an options object (read once, getters included), on an
 * object without a prototype; anything that is not an object reads as no options. Inherited
 * properties are never seen.
 */
export function ownOptions<T extends object>(options: T | null | undefined): Partial<T> {
  return bare(typeof options === "object" && options !== null ? options : {});
}

/** Listener options (passive, bubbling phase), shared by every listener of the SDK. */
export const PASSIVE: AddEventListenerOptions = bare({ passive: true });

/** Listener options (passive, capture phase). */
export const PASSIVE_CAPTURE: AddEventListenerOptions = bare({ passive: true, capture: true });
