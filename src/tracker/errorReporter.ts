/** Where the SDK writes its (rare) warnings. */
export interface PrivAdsLogger {
  warn(...args: unknown[]): void;
}

/** Prefix of every message the SDK logs. */
export const LOG_PREFIX = "[privads]";

/**
 * Swallows errors raised inside the SDK so they never reach the host page: the first one is
 * logged with the `[privads]` prefix, later ones are only counted.
 * @internal
 */
export class ErrorReporter {
  #count = 0;
  readonly #logger: PrivAdsLogger | undefined;
  readonly #what: string;

  constructor(logger: PrivAdsLogger | undefined, what: string) {
    this.#logger = logger;
    this.#what = what;
  }

  /** Errors caught so far. */
  get errorCount(): number {
    return this.#count;
  }

  report(error: unknown): void {
    this.#count++;
    if (this.#count !== 1) return;
    try {
      (this.#logger ?? globalThis.console)?.warn(`${LOG_PREFIX} ${this.#what} caught an error (ignored; later ones are not logged):`, error);
    } catch {
      // A broken console must not break the page either.
    }
  }
}
