import type { ActionType } from "./actionTypes.js";

/**
 * What a bounded event buffer must remember of the events it drops (oldest first): the latest
 * focus change, which sets window_focused and the focus state at a window's start, and the
 * latest event with a depth, which later depth-less events take their depth from (docs/features.md,
 * items 13, 14 and 16). The extractor reads the focus state; the tracker keeps the two events
 * themselves (as `T`) in front of its retained span, so a consumer of its events sees the same
 * state as one of the whole session.
 */
export class CarriedState<T = undefined> {
  #drops = 0;
  #focusWasBlur = false;
  #focusItem: T | undefined;
  #focusDrop = -1;
  #depthItem: T | undefined;
  #depthDrop = -1;

  /** Notes one dropped event: its type, its depth (when it has one) and what to keep of it. */
  drop(type: ActionType, depth: number | undefined, item: T): void {
    if (type === "focus_window" || type === "blur_window") {
      this.#focusWasBlur = type === "blur_window";
      this.#focusItem = item;
      this.#focusDrop = this.#drops;
    }
    if (depth !== undefined) {
      this.#depthItem = item;
      this.#depthDrop = this.#drops;
    }
    this.#drops++;
  }

  /** The focus state the dropped events left: focused unless the latest focus change was a blur (sessions start focused). */
  get focused(): boolean {
    return !this.#focusWasBlur;
  }

  /** What was kept of the latest dropped focus change and the latest dropped event with a depth, in session order, each once. */
  carriers(): T[] {
    const out: T[] = [];
    const first = Math.min(this.#focusDrop, this.#depthDrop);
    const second = Math.max(this.#focusDrop, this.#depthDrop);
    if (first >= 0) out.push((first === this.#focusDrop ? this.#focusItem : this.#depthItem) as T);
    if (second > first) out.push((second === this.#focusDrop ? this.#focusItem : this.#depthItem) as T);
    return out;
  }

  /** Forgets every dropped event. */
  reset(): void {
    this.#drops = 0;
    this.#focusWasBlur = false;
    this.#focusItem = undefined;
    this.#focusDrop = -1;
    this.#depthItem = undefined;
    this.#depthDrop = -1;
  }
}
